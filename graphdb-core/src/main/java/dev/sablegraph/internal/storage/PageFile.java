package dev.sablegraph.internal.storage;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.util.LockOrder;
import dev.sablegraph.internal.util.RankedLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file of fixed-size checksummed pages: positional reads and writes of whole pages, and growth
 * in extents. Knows nothing of what pages hold. Thread-safe: {@link FileChannel} positional I/O
 * does not share a file position, and growth is serialised by {@link #growLock}. The channel is
 * an {@link InterruptSafeChannel}: every thread shares it, and an interrupted reader must not
 * close it for the others.
 */
public final class PageFile implements AutoCloseable {
    static final long MIN_EXTENT_BYTES = 1L << 20;
    static final long MAX_EXTENT_BYTES = 16L << 20;

    private final Path path;
    private final FileChannel channel;
    private final int pageSize;
    private final RankedLock growLock = new RankedLock(LockOrder.FILE_GROWTH);
    /** Pages the file holds on disk; grows only, under {@link #growLock}. */
    private volatile long capacityPages; // guarded by growLock

    PageFile(Path path, FileChannel channel, int pageSize) throws IOException {
        this.path = path;
        this.channel = channel;
        this.pageSize = pageSize;
        this.capacityPages = channel.size() / pageSize;
    }

    public static PageFile open(Path path, int pageSize) {
        try {
            FileChannel ch = InterruptSafeChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            return new PageFile(path, ch, pageSize);
        } catch (IOException e) {
            throw new GraphException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    public int pageSize() {
        return pageSize;
    }

    public long capacityPages() {
        return capacityPages;
    }

    /**
     * Reads page {@code pageId} into {@code dst} (position 0, pageSize bytes) and verifies its
     * checksum. A short read or a mismatch is a {@link CorruptionException}; {@code dst} then holds
     * bytes that must not be used.
     */
    public void read(long pageId, ByteBuffer dst) {
        try {
            if (!PageIo.read(channel, dst, pageSize, pageId * pageSize)) {
                throw new CorruptionException(path, pageId, "file ends inside the page (file has "
                        + channel.size() + " bytes)");
            }
        } catch (IOException e) {
            throw new GraphException("cannot read page " + pageId + " of " + path + ": " + e.getMessage(), e);
        }
        if (!PageLayout.checksumMatches(dst, pageId)) {
            throw new CorruptionException(path, pageId, String.format(
                    "checksum mismatch (stored %08x, computed %08x)",
                    dst.getInt(PageLayout.CHECKSUM_OFFSET), PageLayout.computeChecksum(dst, pageId)));
        }
    }

    /** Seals {@code src} (the caller must own it exclusively) and writes it as page {@code pageId}. */
    public void write(long pageId, ByteBuffer src) {
        PageLayout.seal(src, pageId);
        try {
            PageIo.write(channel, src, pageSize, pageId * pageSize);
        } catch (IOException e) {
            throw new GraphException("cannot write page " + pageId + " of " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the file hold at least {@code pages} pages, growing by an extent of an eighth of its
     * size (1 to 16 MiB) so that appends do not change file metadata on every page. The zeros
     * are written, not left as a hole, so the blocks are really allocated. Only allocators wait
     * on {@link #growLock} while the extent is written.
     */
    public void ensureCapacity(long pages) {
        if (pages <= capacityPages) {
            return;
        }
        growLock.lock();
        try {
            long current = capacityPages;
            if (pages <= current) {
                return;
            }
            long extent = Math.min(MAX_EXTENT_BYTES, Math.max(MIN_EXTENT_BYTES, current * pageSize / 8));
            long target = Math.max(pages, current + extent / pageSize);
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(MIN_EXTENT_BYTES, (target - current) * pageSize));
            try {
                long pos = current * pageSize;
                long end = target * pageSize;
                while (pos < end) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), end - pos));
                    pos += channel.write(zeros, pos);
                }
            } catch (IOException e) {
                throw new GraphException("cannot grow " + path + " to " + target + " pages: " + e.getMessage(), e);
            }
            capacityPages = target;
        } finally {
            growLock.unlock();
        }
    }

    /** Forces written pages to the device. */
    public void force() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new GraphException("cannot force " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new GraphException("cannot close " + path + ": " + e.getMessage(), e);
        }
    }
}
