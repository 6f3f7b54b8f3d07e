package dev.sablegraph.internal.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * The slots of the spill file ({@link SpillFile}) as memory: a page is spilled and read back by
 * copying it into and out of a mapping of the file, not by a {@code pwrite} and a {@code pread}.
 * Each eviction of a dirty page and each fault of a spilled one did one such system call on the
 * thread that needed the frame, usually a committer under the commit lock; with a graph several
 * times the cache that was most of a load's system time (docs/benchmarks.md, "The spill file
 * mapped"). The file is never forced and never read after a crash, so a mapping loses nothing a
 * channel gave: the kernel writes its dirty pages back when it likes, as it did the written ones.
 *
 * <p><b>Chunks.</b> The file is mapped in chunks, each mapped once, when the file first grows over
 * it, and unmapped only at {@link #close}. Chunk <i>k</i> holds 2<sup>k</sup> slots up to
 * {@link #CHUNK_BYTES} (so chunk <i>k</i> starts at slot 2<sup>k</sup> − 1), then every chunk holds
 * that much: a file that spills a few pages maps and zeroes a few pages, and one that spills
 * gigabytes has a few hundred mappings. A chunk is <i>usable</i> while the file covers it.
 * Growing over a chunk writes zeros through the channel first, so the file is long enough for
 * every access and its disk space is allocated: a full disk (or a test's injected fault) is an
 * {@link IOException} from that write, reported as the spill failing, instead of a fault inside a
 * later copy. {@link #truncate} gives the space back and keeps the mappings, which cover the file
 * again once it has grown again (an access in between would be outside the file; none is made,
 * see below).
 *
 * <p><b>Concurrency.</b> The caller ({@link SpillFile}) copies a slot only while it holds its
 * lock's read side (or write side), and only a slot it took from its allocator, whose chunk it
 * made usable with {@link #ensureUsable} under that same hold; {@link #truncate} and
 * {@link #close} run under the write side, so no copy is in flight then. Growth may run on
 * several readers at once: it is serialised on {@link #growth}, which guards the chunk array and
 * the usable count (both volatile, so a copy reads them without the monitor). The bytes of a slot
 * pass from the thread that spilled a page to the thread that reads it through the spill file's
 * concurrent map, whose put and get order them.
 */
final class MappedSlots implements AutoCloseable {
    /** The most bytes mapped at a time: big enough that mappings stay few, small enough that growing over one is quick. */
    static final long CHUNK_BYTES = 8L << 20;
    private static final int ZEROS = 64 << 10;

    private final FileChannel channel;
    private final int pageSize;
    /** Slots of the largest chunks, 2<sup>{@link #doublings}</sup>; the chunks before them double up to it. */
    private final int maxChunkSlots;
    private final int doublings;
    /** Slots in the doubling chunks together: where the first full-size chunk starts. */
    private final long doublingSlots;
    private final Object growth = new Object();
    private volatile MappedByteBuffer[] chunks = new MappedByteBuffer[0]; // guarded by growth for writes
    private volatile int usable; // chunks the file covers now; guarded by growth for writes

    MappedSlots(FileChannel channel, int pageSize) {
        this.channel = channel;
        this.pageSize = pageSize;
        this.maxChunkSlots = (int) Math.max(1, CHUNK_BYTES / pageSize); // both powers of two
        this.doublings = Integer.numberOfTrailingZeros(maxChunkSlots);
        this.doublingSlots = maxChunkSlots - 1L;
    }

    /** Makes the chunk of {@code slot} usable, growing the file over it (zeros, through the channel) if need be. */
    void ensureUsable(long slot) throws IOException {
        int chunk = chunkOf(slot);
        if (chunk < usable) {
            return;
        }
        synchronized (growth) {
            while (usable <= chunk) {
                int next = usable;
                long position = chunkStart(next) * pageSize;
                long bytes = (long) chunkSlots(next) * pageSize;
                zeroFill(position, bytes);
                if (next == chunks.length) {
                    MappedByteBuffer[] grown = Arrays.copyOf(chunks, next + 1);
                    grown[next] = channel.map(FileChannel.MapMode.READ_WRITE, position, bytes);
                    chunks = grown;
                }
                usable = next + 1;
            }
        }
    }

    /** Copies the first page size bytes of {@code src} into {@code slot}, whose chunk is usable. */
    void write(long slot, ByteBuffer src) {
        int k = chunkOf(slot);
        usableChunk(k, slot).put(offsetIn(k, slot), src, 0, pageSize);
    }

    /**
     * Copies {@code slot} into {@code dst} (from 0); false when the file does not cover it (a
     * slot that was never written, which the caller reports as damage).
     */
    boolean read(long slot, ByteBuffer dst) {
        int k = chunkOf(slot);
        if (k >= usable) {
            return false;
        }
        dst.put(0, chunks[k], offsetIn(k, slot), pageSize);
        return true;
    }

    /** Empties the file; the mappings stay for when it grows again. Under the spill file's write lock. */
    void truncate() throws IOException {
        synchronized (growth) {
            usable = 0;
            channel.truncate(0);
        }
    }

    /** Unmaps every chunk now. Under the spill file's write lock, after which nothing is copied again. */
    @Override
    public void close() {
        synchronized (growth) {
            MappedByteBuffer[] all = chunks;
            chunks = new MappedByteBuffer[0];
            usable = 0;
            for (MappedByteBuffer chunk : all) {
                DirectMemory.release(chunk);
            }
        }
    }

    private MappedByteBuffer usableChunk(int k, long slot) {
        if (k >= usable) {
            throw new IllegalStateException("spill slot " + slot + " is outside the file's usable chunks (" + usable + ")");
        }
        return chunks[k];
    }

    /** The chunk holding {@code slot}. */
    int chunkOf(long slot) {
        if (slot < doublingSlots) {
            return 63 - Long.numberOfLeadingZeros(slot + 1); // chunk k holds slots [2^k - 1, 2^(k+1) - 1)
        }
        return Math.toIntExact(doublings + (slot - doublingSlots) / maxChunkSlots);
    }

    /** The first slot of chunk {@code k}. */
    long chunkStart(int k) {
        return k < doublings ? (1L << k) - 1 : doublingSlots + (long) (k - doublings) * maxChunkSlots;
    }

    /** The slots of chunk {@code k}. */
    int chunkSlots(int k) {
        return k < doublings ? 1 << k : maxChunkSlots;
    }

    private int offsetIn(int k, long slot) {
        return Math.toIntExact((slot - chunkStart(k)) * pageSize);
    }

    private void zeroFill(long position, long length) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZEROS, length));
        for (long done = 0; done < length; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), length - done));
            while (zeros.hasRemaining()) {
                done += channel.write(zeros, position + done);
            }
        }
    }
}
