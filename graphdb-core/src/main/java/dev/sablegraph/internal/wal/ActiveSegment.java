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
 * <p>Segments start small and grow, preallocated a step at a time: {@link #create} writes the
 * header and {@link #INITIAL_BYTES} of zeros before the segment gets its name, and
 * {@link #ensureWritable} appends zeros (doubling the file, at most {@link #MAX_GROWTH_BYTES} at a
 * time) before a write that would pass the end of the file, up to the segment's capacity (the
 * configured segment size). Appends overwrite zeros inside the file, so only the first force after
 * a growth changes file metadata (it forces with metadata; every other force is
 * {@code force(false)}), a full disk shows up when a segment is created or grown, before the
 * records are written, never in a force, and a small log stays small on disk. The zeros a growth
 * wrote are an end mark to the reader until records replace them, so a crash during a growth
 * leaves at most a torn tail (docs/durability.md).
 *
 * <p>Its channels are {@link InterruptSafeChannel}s and its writes positional: the token holder
 * is often a committer, and an interrupt of it during a write or force must neither close the
 * segment for everyone nor fail the log (which would report a commit failed that is on disk).
 */
final class ActiveSegment implements AutoCloseable {
    private static final int ZEROS_CHUNK = 1 << 20;
    /** Size of a new segment file, header included (or the capacity, if smaller). */
    static final long INITIAL_BYTES = 64 << 10;
    /** The largest single growth: writing its zeros delays the batch that needs it. */
    static final long MAX_GROWTH_BYTES = 8 << 20;

    final Path path;
    final long firstLsn;
    /** LSN just past the last byte the segment may hold once grown to its capacity. */
    final long limitLsn;
    private final FileChannel channel;
    /** The file's size: header, records and zeros. */
    private long fileSize;
    /** Set by a growth, cleared by the next force, which then forces the new size too. */
    private boolean grown;

    private ActiveSegment(Path path, long firstLsn, long fileSize, long capacity, FileChannel channel) {
        this.path = path;
        this.firstLsn = firstLsn;
        this.fileSize = fileSize;
        this.limitLsn = firstLsn + Math.max(fileSize, capacity) - SegmentHeader.SIZE;
        this.channel = channel;
    }

    /**
     * Creates segment {@code firstLsn} that may grow to {@code capacity} bytes: header and the
     * first zeros go into a temporary file, which is forced, renamed to the segment's name, and the
     * directory forced, so that a file with a segment name always has a whole, durable header.
     */
    static ActiveSegment create(Path directory, long firstLsn, long capacity, ChannelFactory factory)
            throws IOException {
        long size = Math.min(capacity, INITIAL_BYTES);
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
        return open(path, firstLsn, capacity, factory);
    }

    /**
     * Opens an existing segment for appending; it may grow to {@code capacity} bytes, or stays at
     * its size if that is larger (a segment written with a larger configured size).
     */
    static ActiveSegment open(Path path, long firstLsn, long capacity, ChannelFactory factory) throws IOException {
        FileChannel ch = InterruptSafeChannel.open(factory::open, path, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            return new ActiveSegment(path, firstLsn, ch.size(), capacity, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** LSN just past the last byte the file holds now. */
    long fileEndLsn() {
        return firstLsn + fileSize - SegmentHeader.SIZE;
    }

    /**
     * Grows the file with zeros, if needed, so that it holds the LSNs below {@code endLsn} (at most
     * {@link #limitLsn}): by its own size (doubling it) but at most {@link #MAX_GROWTH_BYTES}, or
     * further if {@code endLsn} needs it, never past the capacity. The new size is forced by the
     * next {@link #force}, the one that makes the records in it durable.
     */
    void ensureWritable(long endLsn) throws IOException {
        assert endLsn <= limitLsn : "records must fit the segment";
        if (endLsn <= fileEndLsn()) {
            return;
        }
        long capacity = limitLsn - firstLsn + SegmentHeader.SIZE;
        long needed = offsetOf(endLsn);
        long size = Math.min(capacity, Math.max(needed, fileSize + Math.min(fileSize, MAX_GROWTH_BYTES)));
        writeZeros(channel, fileSize, size);
        fileSize = size;
        grown = true;
    }

    /** Writes {@code src} (its remaining bytes, a run of whole records) at {@code lsn}, inside the file. */
    void write(ByteBuffer src, long lsn) throws IOException {
        assert lsn >= firstLsn && lsn + src.remaining() <= fileEndLsn() : "records must fit the file: grow it first";
        writeFully(channel, src, offsetOf(lsn));
    }

    /** Zeros file offsets [from, to). */
    void zero(long from, long to) throws IOException {
        writeZeros(channel, from, to);
    }

    /** Forces written data, and the file's size too after a growth (only then has it changed). */
    void force() throws IOException {
        boolean metadata = grown;
        channel.force(metadata);
        if (metadata) {
            grown = false;
        }
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
