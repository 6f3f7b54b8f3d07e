package dev.sablegraph.internal.storage;

import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.util.LockOrder;
import dev.sablegraph.internal.util.RankedLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The storage layer's face to the record layer: one data file, its page cache, page allocation
 * and the header's root slots. The record layer sees pages only through this class.
 *
 * <p>Allocation: pages come from the free list (a chain through freed pages, head in the header),
 * else from the high-water mark, growing the file in extents. Allocation and freeing are
 * serialised by the allocator monitor; that monitor is taken before any frame lock and may wait
 * on a page fault of a free-list page (docs/lock-order.md).
 */
public final class Pager implements AutoCloseable {
    /** Offset in a FREE page of the next free page's number. */
    static final int FREE_NEXT_OFFSET = PageLayout.HEADER_SIZE;

    private final PageFile file;
    private final PageCache cache;
    private final FileHeader header; // guarded by allocator (its fields; page count also read lock-free)
    private final ByteBuffer headerBuffer; // guarded by allocator
    private final RankedLock allocator = new RankedLock(LockOrder.ALLOCATOR);
    private final List<Runnable> flushHooks = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private Pager(PageFile file, PageCache cache, FileHeader header) {
        this.file = file;
        this.cache = cache;
        this.header = header;
        // On the heap, like every buffer here but the cache's: closing gives all direct memory back.
        this.headerBuffer = ByteBuffer.allocate(file.pageSize());
    }

    /** Opens or creates the data file at {@code path}; an existing file keeps its own page size. */
    public static Pager open(Path path, GraphConfig config) {
        long size = sizeOf(path);
        boolean fresh = size == 0;
        int pageSize = fresh ? config.pageSize() : peekPageSize(path, size);
        PageFile file = PageFile.open(path, pageSize);
        try {
            FileHeader header;
            if (fresh) {
                header = FileHeader.fresh();
                file.ensureCapacity(1);
            } else {
                ByteBuffer page = ByteBuffer.allocate(pageSize);
                file.read(0, page);
                header = FileHeader.readFrom(path, page, file.capacityPages());
            }
            Pager pager = new Pager(file, new PageCache(file, config.pageCacheBytes()), header);
            if (fresh) {
                pager.writeHeader();
                file.force();
            }
            return pager;
        } catch (RuntimeException | Error e) { // an OutOfMemoryError from the cache's direct memory too
            file.close();
            throw e;
        }
    }

    private static long sizeOf(Path path) {
        try {
            return Files.exists(path) ? Files.size(path) : 0;
        } catch (IOException e) {
            throw new GraphException("cannot stat " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads the page size from the header's first bytes, before the page size is known. */
    private static int peekPageSize(Path path, long size) {
        if (size < 64) {
            throw new CorruptionException(path, 0, "file is " + size + " bytes, too short for a header");
        }
        ByteBuffer first = ByteBuffer.allocate(64);
        try (FileChannel ch = InterruptSafeChannel.open(path, StandardOpenOption.READ)) {
            while (first.hasRemaining() && ch.read(first, first.position()) >= 0) {
                // until the 64 bytes are in
            }
        } catch (IOException e) {
            throw new GraphException("cannot read " + path + ": " + e.getMessage(), e);
        }
        return FileHeader.peekPageSize(path, first);
    }

    public int pageSize() {
        return file.pageSize();
    }

    public Path path() {
        return file.path();
    }

    public PageCache cache() {
        return cache;
    }

    public PageCursor read(long pageId) {
        checkPage(pageId);
        return cache.read(pageId);
    }

    public PageCursor write(long pageId) {
        checkPage(pageId);
        return cache.write(pageId);
    }

    private void checkPage(long pageId) {
        if (pageId <= 0 || pageId >= header.pageCount) {
            throw new IllegalArgumentException("page " + pageId + " is not an allocated page of " + file.path()
                    + " (pages 1.." + (header.pageCount - 1) + ")");
        }
    }

    /**
     * Allocates a page, zeroed but for its type, in the cache and dirty. The caller formats it
     * through {@link #write(long)}.
     */
    public long allocate(PageType type) {
        checkOpen();
        allocator.lock();
        try {
            long pageId;
            if (header.freeHead != 0) {
                pageId = header.freeHead;
                long next;
                try (PageCursor c = cache.write(pageId)) {
                    if (c.pageType() != PageType.FREE) {
                        throw new CorruptionException(file.path(), pageId, "page on the free list is not marked free");
                    }
                    next = c.getLong(FREE_NEXT_OFFSET);
                    if (next < 0 || next >= header.pageCount) {
                        throw new CorruptionException(file.path(), pageId, "free list link " + next + " out of range");
                    }
                    c.zeroPage();
                    c.setPageType(type);
                }
                header.freeHead = next;
                header.freeCount--;
            } else {
                pageId = header.pageCount;
                file.ensureCapacity(pageId + 1);
                cache.create(pageId);
                header.pageCount = pageId + 1;
                try (PageCursor c = cache.write(pageId)) {
                    c.setPageType(type);
                }
            }
            return pageId;
        } finally {
            allocator.unlock();
        }
    }

    /** Returns a page to the free list; its contents are gone. */
    public void free(long pageId) {
        checkOpen();
        checkPage(pageId);
        allocator.lock();
        try {
            try (PageCursor c = cache.write(pageId)) {
                if (c.pageType() == PageType.FREE) {
                    throw new IllegalStateException("page " + pageId + " is already free");
                }
                c.zeroPage();
                c.setPageType(PageType.FREE);
                c.putLong(FREE_NEXT_OFFSET, header.freeHead);
            }
            header.freeHead = pageId;
            header.freeCount++;
        } finally {
            allocator.unlock();
        }
    }

    /**
     * Starts an atomic change of the file's pages and header (see
     * {@link PageCache#beginAtomicChange}, whose conditions apply): restoring the point puts back
     * every page written since, the high-water mark, the free list and the root slots.
     */
    public RollbackPoint beginAtomicChange() {
        long pageCount;
        long freeHead;
        long freeCount;
        long[] roots;
        allocator.lock();
        try {
            pageCount = header.pageCount;
            freeHead = header.freeHead;
            freeCount = header.freeCount;
            roots = header.roots.clone();
        } finally {
            allocator.unlock();
        }
        RollbackPoint pages = cache.beginAtomicChange();
        return new RollbackPoint() {
            @Override
            public void restore() {
                pages.restore();
                allocator.lock();
                try {
                    header.pageCount = pageCount;
                    header.freeHead = freeHead;
                    header.freeCount = freeCount;
                    System.arraycopy(roots, 0, header.roots, 0, roots.length);
                } finally {
                    allocator.unlock();
                }
            }

            @Override
            public void discard() {
                pages.discard();
            }
        };
    }

    /** Pages in use, header included: the high-water mark. Lock-free (a volatile read). */
    public long pageCount() {
        return header.pageCount;
    }

    public long freePageCount() {
        allocator.lock();
        try {
            return header.freeCount;
        } finally {
            allocator.unlock();
        }
    }

    /**
     * Whether the file held an older format than this build writes when it was opened. The next
     * header write (a flush or a checkpoint) upgrades it, since the header is always written in
     * the current format (docs/file-format.md, "Versions and upgrades").
     */
    public boolean openedOlderFormat() {
        return header.versionRead != FileHeader.FORMAT_VERSION; // final: no lock needed
    }

    /** A root slot's value (0 when never set): where higher layers keep their entry points. */
    public long root(int slot) {
        checkOpen();
        checkSlot(slot);
        allocator.lock();
        try {
            return header.roots[slot];
        } finally {
            allocator.unlock();
        }
    }

    public void setRoot(int slot, long value) {
        checkOpen();
        checkSlot(slot);
        allocator.lock();
        try {
            header.roots[slot] = value;
        } finally {
            allocator.unlock();
        }
    }

    /**
     * Registers work to run at the start of every {@link #flush()}: higher layers write the state
     * they keep in memory (counters, hints) into their pages here. Hooks must not call flush.
     */
    public void addFlushHook(Runnable hook) {
        flushHooks.add(hook);
    }

    /** Unregisters a hook given to {@link #addFlushHook} (its structure's pages were freed). */
    public void removeFlushHook(Runnable hook) {
        flushHooks.remove(hook);
    }

    private static void checkSlot(int slot) {
        if (slot < 0 || slot >= FileHeader.ROOT_SLOTS) {
            throw new IllegalArgumentException("root slot must be 0.." + (FileHeader.ROOT_SLOTS - 1) + ", was " + slot);
        }
    }

    /** Runs the flush hooks, writes every dirty page, then the header, then forces the file. */
    public void flush() {
        checkOpen();
        flushHooks.forEach(Runnable::run);
        cache.flush();
        writeHeader();
        file.force();
    }

    private void writeHeader() {
        allocator.lock();
        try {
            header.writeTo(headerBuffer, file.pageSize());
            file.write(0, headerBuffer);
        } finally {
            allocator.unlock();
        }
    }

    /** Runs the flush hooks alone: higher layers write their in-memory state into their pages. */
    public void runFlushHooks() {
        checkOpen();
        flushHooks.forEach(Runnable::run);
    }

    /** An image of the header page as it is now, for a checkpoint to write with its pages. */
    public ByteBuffer headerImage() {
        checkOpen();
        ByteBuffer image = ByteBuffer.allocate(file.pageSize());
        allocator.lock();
        try {
            header.writeTo(image, file.pageSize());
        } finally {
            allocator.unlock();
        }
        return image;
    }

    /** Writes a page image (sealing its checksum) straight to the data file; for checkpoints and recovery. */
    public void writeImage(long pageId, ByteBuffer image) {
        checkOpen();
        file.ensureCapacity(pageId + 1);
        file.write(pageId, image);
    }

    /** Forces the data file. */
    public void force() {
        checkOpen();
        file.force();
    }

    /** Closes without flushing: what is not checkpointed is recovered from the log. */
    public void closeWithoutFlush() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cache.closeWithoutFlush();
        } finally {
            file.close();
        }
    }

    public PageCacheMetrics metrics() {
        return cache.metrics();
    }

    /**
     * Integrity check of the data file as it is on disk: the header, then every page it counts,
     * each read from the file (not the cache) with its checksum and page type verified. The caller
     * keeps the file from being written meanwhile: with the write-ahead log's cache, which evicts
     * dirty pages to its spill file, only checkpoints write it, so holding off checkpoints is enough.
     */
    public void checkPagesOnDisk(IntegrityReport.Builder report) {
        checkOpen();
        ByteBuffer page = ByteBuffer.allocate(file.pageSize());
        long pages;
        try {
            file.read(0, page);
            pages = FileHeader.readFrom(file.path(), page, file.capacityPages()).pageCount;
        } catch (CorruptionException e) {
            report.problem(e.getMessage() + " (the file header: no other page can be checked)");
            return;
        }
        long checked = 1;
        for (long id = 1; id < pages; id++) {
            try {
                file.read(id, page);
                byte type = page.get(PageLayout.TYPE_OFFSET);
                if (PageType.of(type) == null || type == PageType.FILE_HEADER.code()) {
                    report.problem(new CorruptionException(file.path(), id, "page type " + type).getMessage());
                } else {
                    checked++;
                }
            } catch (CorruptionException e) {
                report.problem(e.getMessage());
            }
        }
        report.add("data file pages verified on disk (checksum, type)", checked);
    }

    /**
     * Integrity check of the free-page list as the cache holds it: every listed page is marked
     * free, the list has no cycle, and its length is the header's count.
     */
    public void checkFreeList(IntegrityReport.Builder report) {
        checkOpen();
        allocator.lock();
        try {
            long listed = 0;
            for (long id = header.freeHead; id != 0; ) {
                if (id < 0 || id >= header.pageCount || ++listed > header.pageCount) {
                    report.problem("free-page list of " + file.path() + " has a cycle or a link out of range ("
                            + id + ")");
                    return;
                }
                PageType type;
                long next;
                try (PageCursor c = cache.read(id)) {
                    do {
                        type = c.pageType();
                        next = c.getLong(FREE_NEXT_OFFSET);
                    } while (c.shouldRetry());
                }
                if (type != PageType.FREE) {
                    report.problem("page " + id + " of " + file.path() + " is on the free list but typed " + type);
                    return;
                }
                id = next;
            }
            if (listed != header.freeCount) {
                report.problem("free-page list of " + file.path() + " has " + listed + " pages; the header counts "
                        + header.freeCount);
            }
            report.add("free pages", listed);
            report.add("pages in use", header.pageCount - listed);
        } finally {
            allocator.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("pager of " + file.path() + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            try {
                cache.closeWithoutFlush(); // flushed above; when that failed, flushing again would too
            } finally {
                file.close();
            }
        }
    }
}
