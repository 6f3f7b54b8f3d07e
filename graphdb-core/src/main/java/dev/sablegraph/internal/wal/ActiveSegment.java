package dev.sablegraph.internal.wal;

import dev.sablegraph.internal.storage.InterruptSafeChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The segment the log appends to: its channel, and the LSN range it can hold. Used only by the
 * thread holding the log's flush token, so it needs no lock of its own.
 *
 * <p>Segments are preallocated: {@link #create} writes the header and zeros over the whole file
 * before the segment gets its name. Appends then overwrite zeros inside the file, so a force
 * never has to change file metadata (size, block map) and {@code force(false)} is enough; and a
 * full disk shows up when a segment is created, not in the middle of a commit's force.
 *
 * <p>Its channels are {@link InterruptSafeChannel}s and its writes positional: the token holder
 * is often a committer, and an interrupt of it during a write or force must neither close the
 * segment for everyone nor fail the log (which would report a commit failed that is on disk).
 */
final class ActiveSegment implements AutoCloseable {
    private static final int ZEROS_CHUNK = 1 << 20;

    final Path path;
    final long firstLsn;
    /** LSN just past the last byte the file can hold. */
    final long limitLsn;
    private final FileChannel channel;

    private ActiveSegment(Path path, long firstLsn, long fileSize, FileChannel channel) {
        this.path = path;
        this.firstLsn = firstLsn;
        this.limitLsn = firstLsn + fileSize - SegmentHeader.SIZE;
        this.channel = channel;
    }

    /**
     * Creates segment {@code firstLsn} of {@code size} bytes: header and zeros go into a temporary
     * file, which is forced, renamed to the segment's name, and the directory forced, so that a
     * file with a segment name always has a whole, durable header.
     */
    static ActiveSegment create(Path directory, long firstLsn, long size, ChannelFactory factory) throws IOException {
        Path tmp = SegmentFiles.temporaryPath(directory, firstLsn);
        Path path = SegmentFiles.path(directory, firstLsn);
        Files.deleteIfExists(tmp);
        try {
            try (FileChannel ch = InterruptSafeChannel.open(factory::open, tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                writeFully(ch, SegmentHeader.encode(firstLsn), 0);
                writeZeros(ch, SegmentHeader.SIZE, size);
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp); // give the space back; the log fails anyway
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        SegmentFiles.syncDirectory(directory, factory);
        return open(path, firstLsn, factory);
    }

    /** Opens an existing segment for appending. */
    static ActiveSegment open(Path path, long firstLsn, ChannelFactory factory) throws IOException {
        FileChannel ch = InterruptSafeChannel.open(factory::open, path, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            return new ActiveSegment(path, firstLsn, ch.size(), ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Writes {@code src} (its remaining bytes, a run of whole records) at {@code lsn}. */
    void write(ByteBuffer src, long lsn) throws IOException {
        assert lsn >= firstLsn && lsn + src.remaining() <= limitLsn : "records must fit the segment";
        writeFully(channel, src, offsetOf(lsn));
    }

    /** Zeros file offsets [from, to). */
    void zero(long from, long to) throws IOException {
        writeZeros(channel, from, to);
    }

    /** Forces written data; the file's size never changes after {@link #create}, so no metadata. */
    void force() throws IOException {
        channel.force(false);
    }

    long offsetOf(long lsn) {
        return SegmentHeader.SIZE + lsn - firstLsn;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
        long pos = position;
        while (src.hasRemaining()) {
            pos += ch.write(src, pos);
        }
    }

    private static void writeZeros(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZEROS_CHUNK, Math.max(0, to - from)));
        for (long pos = from; pos < to; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - pos));
            writeFully(ch, zeros, pos);
            pos += zeros.limit();
        }
    }
}
