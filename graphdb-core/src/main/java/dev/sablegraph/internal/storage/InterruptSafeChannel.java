package dev.sablegraph.internal.storage;

import dev.sablegraph.internal.util.LockOrder;
import dev.sablegraph.internal.util.RankedLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;

/**
 * A {@link FileChannel} that an interrupt cannot close. A plain file channel is an
 * {@code InterruptibleChannel}: when a thread doing I/O on it is interrupted (or starts I/O with
 * its interrupt status set) it closes itself, for every thread that shares it, and the next I/O of
 * any of them fails with {@code ClosedChannelException}. Application threads are interrupted all
 * the time ({@code Future.cancel(true)}, {@code shutdownNow}, request timeouts), so every channel
 * of the data file, the log and the checkpoint files is one of these.
 *
 * <p>Each call clears the caller's interrupt status, so that a status set before the call cannot
 * close the channel, and gives it back when the call returns or throws. If the underlying channel
 * is found closed anyway (an interrupt that arrived during the I/O, of this thread or of another
 * thread sharing the channel) and this channel was not closed, the first thread to notice opens
 * the file again under {@link #reopenLock} (the others see the new channel and only retry), and
 * the call is repeated whole: the same buffer contents at the same file position, so a retried
 * write writes the same bytes again (the first attempt may have written some or all of them) and
 * a retried read reads them again. Relative reads and writes keep their own position here, so a
 * reopen does not lose it. The interrupted thread thus sees its call complete and its interrupt
 * status still set; other threads see nothing.
 *
 * <p>A force that an interrupt cut short is repeated on the new channel. {@code fsync} flushes the
 * file, not one descriptor, so the repeat makes durable what the first attempt may not have. The
 * one case it cannot handle: if the first attempt failed with an I/O error at the very moment of
 * the interrupt, the JDK reports only the interrupt, and the error is lost to the retry.
 *
 * <p>H2 ({@code FilePathRetryOnInterrupt}) and Neo4j (its page swapper's {@code tryReopen}) do the
 * same; unlike H2 this keeps the interrupt status, never reopens a channel that was closed on
 * purpose, rewinds the buffer before a retry, and never creates or truncates the file again. File
 * locks and transfers are not supported: a reopen would drop a lock, and a transfer cannot be
 * repeated whole.
 */
public final class InterruptSafeChannel extends FileChannel {
    /** Opens the underlying channels: the real file system, or a test's wrapper of it. */
    @FunctionalInterface
    public interface Opener {
        FileChannel open(Path path, OpenOption... options) throws IOException;
    }

    /** One call on the underlying channel, repeated whole after a reopen. */
    @FunctionalInterface
    private interface Io<T> {
        T on(FileChannel channel) throws IOException;
    }

    /** Options a reopen leaves out: the file exists by then and must not be created or emptied again. */
    private static final Set<OpenOption> FIRST_OPEN_ONLY = Set.of(StandardOpenOption.CREATE,
            StandardOpenOption.CREATE_NEW, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SPARSE);

    private final Path path;
    private final Opener opener;
    private final OpenOption[] reopenOptions;
    /** Replaces a channel an interrupt closed; closes this one. Innermost (docs/lock-order.md). */
    private final RankedLock reopenLock = new RankedLock(LockOrder.CHANNEL_REOPEN);
    /** The underlying channel; replaced under {@link #reopenLock}, read anywhere. */
    private volatile FileChannel channel; // guarded by reopenLock
    /** How many times an interrupt made us reopen; written under {@link #reopenLock}. */
    private volatile long reopens; // guarded by reopenLock
    /** Serialises relative reads and writes, as {@link FileChannel} does. */
    private final Object positionLock = new Object();
    /** The position of relative reads and writes. */
    private long position; // guarded by positionLock

    private InterruptSafeChannel(Path path, Opener opener, OpenOption[] reopenOptions, FileChannel channel) {
        this.path = path;
        this.opener = opener;
        this.reopenOptions = reopenOptions;
        this.channel = channel;
    }

    /** Opens {@code path} on the real file system; options as {@link FileChannel#open(Path, OpenOption...)}. */
    public static InterruptSafeChannel open(Path path, OpenOption... options) throws IOException {
        return open(FileChannel::open, path, options);
    }

    /**
     * Opens {@code path} through {@code opener}, now and again after each interrupt that closes
     * it. {@code APPEND} and {@code DELETE_ON_CLOSE} are refused: the first would lose the
     * position at a reopen, the second would delete the file when an interrupt closes it.
     */
    public static InterruptSafeChannel open(Opener opener, Path path, OpenOption... options) throws IOException {
        for (OpenOption o : options) {
            if (o == StandardOpenOption.APPEND || o == StandardOpenOption.DELETE_ON_CLOSE) {
                throw new IllegalArgumentException(o + " is not supported by an interrupt-safe channel");
            }
        }
        OpenOption[] reopen = Arrays.stream(options).filter(o -> !FIRST_OPEN_ONLY.contains(o))
                .toArray(OpenOption[]::new);
        return new InterruptSafeChannel(path, opener, reopen, opener.open(path, options));
    }

    /** How many times an interrupt closed the underlying channel and it was opened again. */
    public long reopens() {
        return reopens;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        int start = dst.position();
        return io(ch -> ch.read(dst.position(start), position));
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        int start = src.position();
        return io(ch -> ch.write(src.position(start), position));
    }

    @Override
    public void force(boolean metaData) throws IOException {
        io(ch -> {
            ch.force(metaData);
            return null;
        });
    }

    @Override
    public long size() throws IOException {
        return io(FileChannel::size);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        synchronized (positionLock) {
            io(ch -> ch.truncate(size));
            position = Math.min(position, size);
        }
        return this;
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return io(ch -> ch.map(mode, position, size));
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        synchronized (positionLock) {
            int n = read(dst, position);
            if (n > 0) {
                position += n;
            }
            return n;
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        synchronized (positionLock) {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                int n = read(dsts[i]);
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                total += n;
                if (dsts[i].hasRemaining()) {
                    break;
                }
            }
            return total;
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        synchronized (positionLock) {
            int n = write(src, position);
            position += n;
            return n;
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        synchronized (positionLock) {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
                if (srcs[i].hasRemaining()) {
                    break;
                }
            }
            return total;
        }
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        synchronized (positionLock) {
            return position;
        }
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException("position " + newPosition);
        }
        ensureOpen();
        synchronized (positionLock) {
            position = newPosition;
        }
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
        throw new UnsupportedOperationException("a transfer cannot be repeated after an interrupt; read and write");
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
        throw new UnsupportedOperationException("a transfer cannot be repeated after an interrupt; read and write");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException("a reopen after an interrupt would drop the lock");
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException("a reopen after an interrupt would drop the lock");
    }

    @Override
    protected void implCloseChannel() throws IOException {
        reopenLock.lock();
        try {
            channel.close();
        } finally {
            reopenLock.unlock();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /**
     * Runs {@code op} with the caller's interrupt status cleared, on a fresh channel again if an
     * interrupt closed the one it ran on; gives the status back afterwards.
     */
    private <T> T io(Io<T> op) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                FileChannel ch = channel;
                try {
                    return op.on(ch);
                } catch (ClosedChannelException e) {
                    // ClosedByInterruptException (this thread's interrupt, which leaves the status
                    // set), AsynchronousCloseException (another thread's, during our I/O) or a
                    // plain ClosedChannelException (another thread's, before our I/O began).
                    interrupted |= Thread.interrupted();
                    reopenAfter(ch, e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Makes sure {@link #channel} is no longer {@code closed}, unless this channel itself was
     * closed: then {@code cause} stands. Opens the file once, whichever of the threads that met
     * the closed channel comes first.
     */
    private void reopenAfter(FileChannel closed, ClosedChannelException cause) throws IOException {
        reopenLock.lock();
        try {
            if (!isOpen()) {
                throw cause;
            }
            if (channel != closed) {
                return; // another thread has reopened it
            }
            try {
                channel = opener.open(path, reopenOptions);
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
                throw cause;
            }
            reopens++;
            try {
                closed.close(); // a no-op for a JDK channel; releases a wrapper around one
            } catch (IOException ignored) {
                // it was closed already: nothing of it is in use
            }
        } finally {
            reopenLock.unlock();
        }
    }
}
