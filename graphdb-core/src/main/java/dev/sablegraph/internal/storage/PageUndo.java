package dev.sablegraph.internal.storage;

import dev.sablegraph.internal.util.LongIntHashMap;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
    /** The ids of {@link #pages}, as keys: asked on every write cursor a change opens. */
    private final LongIntHashMap recorded = new LongIntHashMap();
    private final ArrayDeque<ByteBuffer> spare = new ArrayDeque<>();
    /** How many copies recent changes needed: the largest, decaying by 1/64 per change. */
    private int recentNeed;

    /** {@code maxSpareCopies}: the most copies kept between changes (the cache passes half its frames). */
    PageUndo(int pageSize, int maxSpareCopies) {
        this.pageSize = pageSize;
        this.maxSpareCopies = Math.max(MIN_SPARE_COPIES, maxSpareCopies);
    }

    /** Whether the page was already recorded (its first state is the one to keep). */
    boolean contains(long pageId) {
        return recorded.containsKey(pageId);
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
        ByteBuffer copy = spare.isEmpty() ? ByteBuffer.allocate(pageSize) : spare.pop();
        copy.put(0, f.buffer, 0, pageSize);
        add(new Before(f.pageId, Restore.COPY, copy));
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
        int copied = 0;
        for (Before b : pages) {
            if (b.image() != null) {
                copied++;
                spare.push(b.image());
            }
        }
        recentNeed = Math.max(copied, recentNeed - recentNeed / 64);
        int keep = Math.min(maxSpareCopies, Math.max(MIN_SPARE_COPIES, recentNeed));
        while (spare.size() > keep) {
            spare.pop();
        }
        pages.clear();
        recorded.clear();
    }

    /** Copy buffers kept for the next change (for tests). */
    int spareCopies() {
        return spare.size();
    }
}
