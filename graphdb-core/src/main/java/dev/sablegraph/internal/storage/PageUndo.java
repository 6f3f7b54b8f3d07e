package dev.sablegraph.internal.storage;

import dev.sablegraph.internal.util.LongIntHashMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pages an atomic change wrote, each as it was before the change first touched it, so that
 * {@link PageCache#rollBack} can put it back:
 * <ul>
 *   <li>a page that was dirty: the bytes each write replaced, logged before the write
 *       ({@link Restore#LOGGED}; only memory holds that state), or a copy of the whole page once
 *       its log would outgrow a quarter of a page ({@link Restore#COPY});</li>
 *   <li>a page that was clean: nothing, it is read from the data file again (a clean page holds
 *       exactly what the file holds: evicted dirty pages go to the spill file, never to the data
 *       file, and a page loaded from the spill file is dirty);</li>
 *   <li>a page the change created: nothing, it leaves the cache.</li>
 * </ul>
 *
 * <p>Why pages, not records: a change that fails part-way (a full cache, a failed read, a bug) may
 * have written any mix of record, adjacency, index and allocation pages; putting back their bytes
 * is the one way back that needs no knowledge of what the change meant. A page the change wrote
 * may have been evicted to the spill file meanwhile (a change may write more pages than the cache
 * holds), so pages are found again by id, not by frame.
 *
 * <p>Why a log of replaced bytes first: a commit that adds an edge rewrites a hundred bytes or so
 * of each page it touches, and copying the whole page before its first write was the single
 * largest cost of a load into a graph larger than the cache (a sixth of the loading thread's CPU
 * at 24 MiB, 2026-12-07: a thousand or more 8 KiB copies per commit, into memory no cache held).
 * Every write of a page goes through a {@link PageCursor}, which calls {@link #log} before it
 * writes while the frame names this page's record ({@link Frame#undoLog}, set by
 * {@link PageCache#recordForUndo} whenever a writer takes the frame). Putting the logged ranges
 * back newest first gives back the first state byte for byte; the page header is logged with the
 * first write, so that the checksum a spill wrote meanwhile is put back too. A page written more
 * than its log limit (a compaction, a zeroed page) is copied instead: its first state, rebuilt
 * from the current bytes and the log, goes into a copy buffer and its log is no longer read.
 *
 * <p>Cost: the log's chunks and the copy buffers are kept for the next change (one change runs
 * at a time), so that steady commits allocate nothing here. It keeps as many as the largest recent
 * change used, a number that decays by 1/64 with each change (the collector's small changes run
 * between commits and must not empty the pool), at least {@link #MIN_SPARE_COPIES} copies and
 * one chunk, at most {@code maxSpareCopies} pages' worth of each: a rare huge change's memory is
 * let go over the next few dozen changes.
 */
final class PageUndo {
    /** How the page is restored. */
    enum Restore { COPY, LOGGED, REREAD, UNMAP }

    /**
     * A page as it was before the change: for {@link Restore#COPY}, {@link #image} holds its bytes;
     * for {@link Restore#LOGGED}, the log holds the ranges its writes replaced, newest at
     * {@link #newestRange}. A logged page turns into a copied one once (under the write lock of the
     * frame that holds it).
     */
    static final class Before {
        private final long pageId;
        private Restore how;
        private ByteBuffer image;
        /** The log position of this page's newest range, or -1; each range names the one before it. */
        private long newestRange = -1;
        /** Log bytes this page's ranges take, headers included. */
        private int loggedBytes;

        Before(long pageId, Restore how) {
            this.pageId = pageId;
            this.how = how;
        }

        long pageId() {
            return pageId;
        }

        Restore how() {
            return how;
        }

        ByteBuffer image() {
            return image;
        }
    }

    /** Copies always kept between changes, whatever the last one needed. */
    static final int MIN_SPARE_COPIES = 256;

    private final int pageSize;
    private final int maxSpareCopies;
    /** A page's log may take this many bytes before it is copied instead. */
    private final int logLimit;
    private final List<Before> pages = new ArrayList<>();
    /** Index in {@link #pages} by page id: asked when a change writes a page its frame does not mark as recorded. */
    private final LongIntHashMap recorded = new LongIntHashMap();
    /**
     * Copy buffers: {@code [0, copied)} hold this change's copies, {@code [0, kept)} are allocated.
     * Taken in order and kept in place, so that ending a change touches none of them.
     */
    private ByteBuffer[] copies = new ByteBuffer[MIN_SPARE_COPIES];
    private int copied;
    private int kept;
    /** How many copies recent changes needed: the largest, decaying by 1/64 per change. */
    private int recentNeed;
    private final RangeLog log;
    /** Tells this change from every earlier one (see {@link #markRecorded}); starts above a new frame's 0. */
    private long change = 1;

    /** {@code maxSpareCopies}: the most pages' worth of copies (and of log) kept between changes (the cache passes half its frames). */
    PageUndo(int pageSize, int maxSpareCopies) {
        this.pageSize = pageSize;
        this.maxSpareCopies = Math.max(MIN_SPARE_COPIES, maxSpareCopies);
        this.logLimit = pageSize / 4;
        this.log = new RangeLog(Math.max(RangeLog.MIN_CHUNK, 2 * (RangeLog.HEADER + pageSize)),
                (long) this.maxSpareCopies * pageSize);
    }

    /** Whether the page was already recorded (its first state is the one to keep). */
    boolean contains(long pageId) {
        return recorded.containsKey(pageId);
    }

    /**
     * Whether {@code f} is marked as holding a page this change recorded: a field read on the frame
     * the writer already holds, instead of a probe of {@link #recorded} (a cache miss per write
     * cursor when a change writes thousands of pages). A page recorded and then evicted, or a
     * frame given to another page since, is not marked: the caller asks {@link #record}.
     */
    boolean markedRecorded(Frame f) {
        return f.undoChange == change && f.undoPage == f.pageId;
    }

    /** Marks {@code f}'s page as recorded by this change; the caller holds its write lock. */
    void markRecorded(Frame f) {
        f.undoChange = change;
        f.undoPage = f.pageId;
    }

    /** Records a page the change created. */
    void created(long pageId) {
        add(new Before(pageId, Restore.UNMAP));
    }

    /**
     * Before a writer changes {@code f} (holding its write lock): records its page if this change
     * has not yet, and points the frame at the page's log if its writes are to be logged.
     */
    void record(Frame f) {
        int i = recorded.get(f.pageId, -1);
        if (i < 0) {
            beforeWrite(f);
        } else {
            Before b = pages.get(i);
            f.undoLog = b.how == Restore.LOGGED ? b : null;
        }
    }

    /** Records a page before its first write; the caller holds its write lock. */
    void beforeWrite(Frame f) {
        if (!f.dirty) {
            add(new Before(f.pageId, Restore.REREAD));
            f.undoLog = null;
            return;
        }
        Before b = new Before(f.pageId, Restore.LOGGED);
        add(b);
        f.undoLog = b;
        log(f, 0, PageLayout.HEADER_SIZE);
    }

    /**
     * Keeps the {@code length} bytes at {@code offset} of {@code f}'s page, which the caller (holding
     * the frame's write lock) is about to overwrite: in the page's log, or, when the log would pass
     * its limit, by copying the page's first state (after which the frame's writes are not logged).
     */
    void log(Frame f, int offset, int length) {
        Before b = f.undoLog;
        if (b.how != Restore.LOGGED || b.pageId != f.pageId) {
            f.undoLog = null; // copied since the frame was pointed at it
            return;
        }
        if (b.loggedBytes + RangeLog.HEADER + length > logLimit) {
            ByteBuffer copy = takeCopyBuffer();
            copy.put(0, f.buffer, 0, pageSize);
            putBack(b, copy);
            b.image = copy;
            b.how = Restore.COPY;
            f.undoLog = null;
            return;
        }
        b.newestRange = log.append(b.newestRange, f.buffer, offset, length);
        b.loggedBytes += RangeLog.HEADER + length;
    }

    /** Puts back into {@code page} the bytes a logged page's writes replaced, newest first. */
    void putBack(Before b, ByteBuffer page) {
        for (long at = b.newestRange; at >= 0; ) {
            at = log.putBack(at, page);
        }
    }

    private ByteBuffer takeCopyBuffer() {
        if (copied == copies.length) {
            copies = Arrays.copyOf(copies, copies.length * 2);
        }
        if (copied == kept) {
            copies[kept++] = ByteBuffer.allocate(pageSize);
        }
        return copies[copied++];
    }

    private void add(Before before) {
        recorded.put(before.pageId(), pages.size());
        pages.add(before);
    }

    List<Before> pages() {
        return pages;
    }

    /**
     * Forgets the recorded pages, keeping their copies' buffers and the log's chunks for the next
     * change: as many as recent changes needed, within [{@link #MIN_SPARE_COPIES}, {@code maxSpareCopies}].
     */
    void clear() {
        recentNeed = Math.max(copied, recentNeed - recentNeed / 64);
        int keep = Math.min(maxSpareCopies, Math.max(MIN_SPARE_COPIES, recentNeed));
        if (kept > keep) {
            Arrays.fill(copies, keep, kept, null);
            kept = keep;
            if (copies.length > 2 * Math.max(MIN_SPARE_COPIES, keep)) {
                copies = Arrays.copyOf(copies, Math.max(MIN_SPARE_COPIES, keep));
            }
        }
        copied = 0;
        log.clear();
        pages.clear();
        recorded.clear();
        change++;
    }

    /** Copy buffers kept for the next change (for tests). */
    int spareCopies() {
        return kept - copied;
    }

    /** Bytes the log keeps allocated (for tests). */
    long logCapacity() {
        return log.capacity();
    }
}
