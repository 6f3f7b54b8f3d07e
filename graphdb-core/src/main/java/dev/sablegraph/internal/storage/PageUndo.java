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
 *   <li>a page that was dirty: a copy of its bytes (only memory holds that state);</li>
 *   <li>a page that was clean: nothing, it is read from the data file again (a clean page holds
 *       exactly what the file holds: evicted dirty pages go to the spill file, never to the data
 *       file, and a page loaded from the spill file is dirty);</li>
 *   <li>a page the change created: nothing, it leaves the cache.</li>
 * </ul>
 *
 * <p>Why whole pages: a change that fails part-way (a full cache, a failed read, a bug) may have
 * written any mix of record, adjacency, index and allocation pages; restoring their images is
 * the one way back that needs no knowledge of what the change meant. A page the change wrote may
 * have been evicted to the spill file meanwhile (a change may write more pages than the cache
 * holds), so pages are found again by id, not by frame.
 *
 * <p>Cost: one page copy per dirty page a commit writes, into buffers this object keeps for the
 * next change (one change runs at a time), so that steady commits allocate nothing here. A load
 * into a graph larger than the cache copies over a thousand pages per commit, and allocating them
 * anew was half of all its allocation. So it keeps as many as the largest recent change copied,
 * a number that decays by 1/64 with each change (the collector's small changes run between
 * commits and must not empty the pool), at least {@link #MIN_SPARE_COPIES} and at most
 * {@code maxSpareCopies}: a rare huge change's copies are let go over the next few dozen changes.
 */
final class PageUndo {
    /** How the page is restored. */
    enum Restore { COPY, REREAD, UNMAP }

    /** A page as it was before the change; {@code image} holds its bytes for {@link Restore#COPY}. */
    record Before(long pageId, Restore how, ByteBuffer image) {}

    /** Copies always kept between changes, whatever the last one needed. */
    static final int MIN_SPARE_COPIES = 256;

    private final int pageSize;
    private final int maxSpareCopies;
    private final List<Before> pages = new ArrayList<>();
    /** The ids of {@link #pages}, as keys: asked when a change writes a page its frame does not mark as recorded. */
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
    /** Tells this change from every earlier one (see {@link #markRecorded}); starts above a new frame's 0. */
    private long change = 1;

    /** {@code maxSpareCopies}: the most copies kept between changes (the cache passes half its frames). */
    PageUndo(int pageSize, int maxSpareCopies) {
        this.pageSize = pageSize;
        this.maxSpareCopies = Math.max(MIN_SPARE_COPIES, maxSpareCopies);
    }

    /** Whether the page was already recorded (its first state is the one to keep). */
    boolean contains(long pageId) {
        return recorded.containsKey(pageId);
    }

    /**
     * Whether {@code f} is marked as holding a page this change recorded: a field read on the frame
     * the writer already holds, instead of a probe of {@link #recorded} (a cache miss per write
     * cursor when a change writes thousands of pages). A page recorded and then evicted, or a
     * frame given to another page since, is not marked: the caller asks {@link #contains}.
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
        add(new Before(pageId, Restore.UNMAP, null));
    }

    /** Records a page before its first write; the caller holds its write lock. */
    void beforeWrite(Frame f) {
        if (!f.dirty) {
            add(new Before(f.pageId, Restore.REREAD, null));
            return;
        }
        ByteBuffer copy = takeCopyBuffer();
        copy.put(0, f.buffer, 0, pageSize);
        add(new Before(f.pageId, Restore.COPY, copy));
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
        recorded.put(before.pageId(), 0);
        pages.add(before);
    }

    List<Before> pages() {
        return pages;
    }

    /**
     * Forgets the recorded pages, keeping their copies' buffers for the next change: as many as
     * recent changes needed, within [{@link #MIN_SPARE_COPIES}, {@code maxSpareCopies}].
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
        pages.clear();
        recorded.clear();
        change++;
    }

    /** Copy buffers kept for the next change (for tests). */
    int spareCopies() {
        return kept - copied;
    }
}
