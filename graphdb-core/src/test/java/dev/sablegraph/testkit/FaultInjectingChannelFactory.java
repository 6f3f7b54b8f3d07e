package dev.sablegraph.testkit;

import dev.sablegraph.internal.wal.ChannelFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * For tests (here and in the modules above, which reach the log's channels through
 * {@code ConcurrentGraphDB}'s package-private {@code open(Path, GraphConfig, ChannelFactory)}): a
 * {@link ChannelFactory} of real file channels that can be told to fail: the n-th write from
 * now (torn: half its bytes land, then it throws), the n-th force from now, or every write once K
 * more bytes have been written ("No space left on device", after a short write, as a full disk
 * does). It can also interrupt the thread doing the n-th write or force, as an application's
 * {@code Future.cancel(true)} would while a commit runs. Faults apply to files matching
 * {@link #faultsOnly} (copies into a writable mapping are not checked; see {@link Channel#map}). It also records, per file, the
 * writes and forces that succeeded, so a test can check that the file forced is the one holding
 * the records, and it can slow forces down to behave like a real disk.
 *
 * <p>It lives in graphdb-core's test sources, never in a shipped jar; other modules get it from
 * graphdb-core's test-jar, which holds only this package (docs/testing.md, "Fault injection").
 */
public final class FaultInjectingChannelFactory implements ChannelFactory {
    /** A write or force that succeeded, in the order they happened. */
    public record Event(Kind kind, Path path, long position, long length) {}

    public enum Kind { WRITE, FORCE }

    private final AtomicInteger writesUntilFailure = new AtomicInteger(-1);
    private final AtomicInteger forcesUntilFailure = new AtomicInteger(-1);
    private volatile String errorThreadPrefix;
    private final AtomicInteger errorsThrown = new AtomicInteger();
    private final AtomicInteger writesUntilInterrupt = new AtomicInteger(-1);
    private final AtomicInteger forcesUntilInterrupt = new AtomicInteger(-1);
    private final AtomicInteger interruptsSent = new AtomicInteger();
    private final AtomicLong bytesUntilFull = new AtomicLong(-1);
    private final Map<Path, AtomicInteger> forcesByPath = new ConcurrentHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private volatile Predicate<Path> target = p -> true;
    private volatile long forceDelayNanos;

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        return new Channel(key(path), FileChannel.open(path, options));
    }

    /** Faults apply only to files for which {@code filter} holds (all files by default). */
    public FaultInjectingChannelFactory faultsOnly(Predicate<Path> filter) {
        this.target = filter;
        return this;
    }

    /** The {@code n}-th write from now (1 = the next) writes half its bytes and throws. */
    public FaultInjectingChannelFactory failWrite(int n) {
        writesUntilFailure.set(n);
        return this;
    }

    /** The {@code n}-th force from now throws. */
    public FaultInjectingChannelFactory failForce(int n) {
        forcesUntilFailure.set(n);
        return this;
    }

    /**
     * The next force made by a thread whose name starts with {@code threadNamePrefix} throws an
     * {@link OutOfMemoryError}: not an I/O failure but an {@link Error} met on that thread, as when
     * another thread's work has taken the heap. For threads that must not die of one.
     */
    public FaultInjectingChannelFactory errorOnForceBy(String threadNamePrefix) {
        errorThreadPrefix = threadNamePrefix;
        return this;
    }

    /** How many errors {@link #errorOnForceBy} has thrown. */
    public int errorsThrown() {
        return errorsThrown.get();
    }

    /**
     * The {@code n}-th write from now is interrupted while it runs: half its bytes land, then the
     * writing thread is interrupted and the real channel meets the interrupt in the rest of the
     * write (a plain {@code FileChannel} then closes and throws {@code ClosedByInterruptException}).
     */
    public FaultInjectingChannelFactory interruptWrite(int n) {
        writesUntilInterrupt.set(n);
        return this;
    }

    /** The {@code n}-th force from now is interrupted: the forcing thread is interrupted as it starts. */
    public FaultInjectingChannelFactory interruptForce(int n) {
        forcesUntilInterrupt.set(n);
        return this;
    }

    /** After {@code bytes} more bytes, every write fails with "No space left on device". */
    public FaultInjectingChannelFactory diskFullAfter(long bytes) {
        bytesUntilFull.set(bytes);
        return this;
    }

    /** Every force takes at least this long, as on a device with a real flush latency. */
    public FaultInjectingChannelFactory slowForces(long micros) {
        this.forceDelayNanos = micros * 1000;
        return this;
    }

    /** How many interrupts {@link #interruptWrite} and {@link #interruptForce} have sent. */
    public int interruptsSent() {
        return interruptsSent.get();
    }

    public int forces(Path path) {
        AtomicInteger n = forcesByPath.get(key(path));
        return n == null ? 0 : n.get();
    }

    public List<Event> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    private static Path key(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private void record(Event e) {
        synchronized (events) {
            events.add(e);
        }
    }

    /** Counts down a one-shot fault; true when this call is the one that must fail. */
    private static boolean due(AtomicInteger countdown) {
        while (true) {
            int n = countdown.get();
            if (n <= 0) {
                return false;
            }
            if (countdown.compareAndSet(n, n - 1)) {
                return n == 1;
            }
        }
    }

    /** A real channel whose writes and forces go through the fault checks. */
    private final class Channel extends FileChannel {
        private final Path path;
        private final FileChannel delegate;

        Channel(Path path, FileChannel delegate) {
            this.path = path;
            this.delegate = delegate;
        }

        private boolean targeted() {
            return target.test(path);
        }

        /** Applies the write faults to {@code src}; returns how many bytes may be written, or throws. */
        private int allowedBytes(ByteBuffer src) throws IOException {
            int wanted = src.remaining();
            if (!targeted()) {
                return wanted;
            }
            if (due(writesUntilFailure)) {
                return -1; // torn: the caller writes half, then throws
            }
            while (true) {
                long budget = bytesUntilFull.get();
                if (budget < 0) {
                    return wanted;
                }
                if (budget == 0) {
                    throw new IOException("No space left on device");
                }
                int allowed = (int) Math.min(wanted, budget);
                if (bytesUntilFull.compareAndSet(budget, budget - allowed)) {
                    return allowed;
                }
            }
        }

        private int faultyWrite(ByteBuffer src, long position, boolean positional) throws IOException {
            if (targeted() && due(writesUntilInterrupt)) {
                return interruptedWrite(src, position, positional);
            }
            int allowed = allowedBytes(src);
            boolean torn = allowed < 0;
            int n = torn ? src.remaining() / 2 : allowed;
            ByteBuffer part = src.duplicate().limit(src.position() + n);
            int written = positional ? delegate.write(part, position) : delegate.write(part);
            src.position(src.position() + written);
            if (torn) {
                throw new IOException("injected write failure (Input/output error)");
            }
            record(new Event(Kind.WRITE, path, positional ? position : delegate.position() - written, written));
            return written;
        }

        /** Writes half of {@code src}, interrupts the calling thread, and writes the rest (which throws). */
        private int interruptedWrite(ByteBuffer src, long position, boolean positional) throws IOException {
            ByteBuffer half = src.duplicate().limit(src.position() + src.remaining() / 2);
            int written = positional ? delegate.write(half, position) : delegate.write(half);
            src.position(src.position() + written);
            interruptsSent.incrementAndGet();
            Thread.currentThread().interrupt();
            return written + (positional ? delegate.write(src, position + written) : delegate.write(src));
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return faultyWrite(src, -1, false);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return faultyWrite(src, position, true);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                if (srcs[i].hasRemaining()) {
                    int n = write(srcs[i]);
                    total += n;
                    if (srcs[i].hasRemaining()) {
                        break;
                    }
                }
            }
            return total;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (targeted() && due(forcesUntilFailure)) {
                throw new IOException("injected force failure (Input/output error)");
            }
            String prefix = errorThreadPrefix;
            if (prefix != null && targeted() && Thread.currentThread().getName().startsWith(prefix)) {
                errorThreadPrefix = null;
                errorsThrown.incrementAndGet();
                throw new OutOfMemoryError("injected: Java heap space");
            }
            if (targeted() && due(forcesUntilInterrupt)) {
                interruptsSent.incrementAndGet();
                Thread.currentThread().interrupt();
            }
            long delay = forceDelayNanos;
            if (delay > 0) {
                LockSupport.parkNanos(delay);
            }
            delegate.force(metaData);
            forcesByPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            record(new Event(Kind.FORCE, path, -1, -1));
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new UnsupportedOperationException("writes must go through the fault checks");
        }

        /**
         * Writes through a writable mapping bypass the fault checks. The one user, the page cache's
         * spill file, grows the file with {@link #write(ByteBuffer, long)} before it maps and
         * copies into a range, so its faults are injected at that growth.
         */
        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
