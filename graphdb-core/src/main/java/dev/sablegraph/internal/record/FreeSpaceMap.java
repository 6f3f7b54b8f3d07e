package dev.sablegraph.internal.record;

import dev.sablegraph.internal.util.LongIntHashMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Where a store has room: pages with at least {@link #MIN_TRACKED} free bytes, bucketed into 16
 * classes by free space. Finding a page costs O(classes) plus a few candidates, never a scan of
 * the file. It is a hint: the store confirms on the page itself and corrects the map when wrong.
 * Not thread-safe; the owning store calls it under its write lock.
 */
final class FreeSpaceMap {
    static final int MIN_TRACKED = 32;
    private static final int UNTRACKED = -1;
    private static final int CLASSES = 16;
    private static final int CANDIDATES_IN_EDGE_CLASS = 4;

    private final int classWidth;
    /** Free bytes by page, for the tracked pages; {@link #UNTRACKED} for the others. */
    private final LongIntHashMap freeByPage = new LongIntHashMap();
    private final List<LinkedHashSet<Long>> buckets = new ArrayList<>(CLASSES);
    /**
     * While an atomic change runs: each page's free bytes before the change first updated it
     * ({@link #UNTRACKED}: not tracked then). Null otherwise.
     */
    private LongIntHashMap journal;

    FreeSpaceMap(int pageSize) {
        this.classWidth = Math.max(1, pageSize / CLASSES);
        for (int i = 0; i < CLASSES; i++) {
            buckets.add(new LinkedHashSet<>());
        }
    }

    private int classOf(int freeBytes) {
        return Math.min(CLASSES - 1, freeBytes / classWidth);
    }

    /** Records that {@code page} now has {@code freeBytes} free. */
    void update(long page, int freeBytes) {
        int current = freeByPage.get(page, UNTRACKED);
        if (current != UNTRACKED ? current == freeBytes : freeBytes < MIN_TRACKED) {
            return; // unchanged: the common case for in-place rewrites
        }
        if (journal != null && !journal.containsKey(page)) {
            journal.put(page, current);
        }
        set(page, freeBytes < MIN_TRACKED ? UNTRACKED : freeBytes);
    }

    private void set(long page, int freeBytes) {
        int old = freeByPage.get(page, UNTRACKED);
        if (old != UNTRACKED) {
            buckets.get(classOf(old)).remove(page);
        }
        if (freeBytes != UNTRACKED) {
            freeByPage.put(page, freeBytes);
            buckets.get(classOf(freeBytes)).add(page);
        } else if (old != UNTRACKED) {
            freeByPage.remove(page);
        }
    }

    /** Starts remembering what {@link #update} changes, for {@link #undoJournal}. */
    void startJournal() {
        journal = new LongIntHashMap();
    }

    /** Forgets the journal: the change it covered succeeded. */
    void dropJournal() {
        journal = null;
    }

    /** Puts back every page's entry as it was at {@link #startJournal}. */
    void undoJournal() {
        LongIntHashMap j = journal;
        journal = null;
        if (j != null) {
            j.forEach(this::set);
        }
    }

    /**
     * A page believed to have {@code need} free bytes, or 0. Prefers the fullest page that surely
     * fits (the lowest class above the need's own), which keeps pages dense.
     */
    long find(int need) {
        int edge = classOf(need);
        for (int c = edge + 1; c < CLASSES; c++) {
            LinkedHashSet<Long> b = buckets.get(c);
            if (!b.isEmpty()) {
                return b.iterator().next();
            }
        }
        Iterator<Long> it = buckets.get(edge).iterator();
        for (int i = 0; i < CANDIDATES_IN_EDGE_CLASS && it.hasNext(); i++) {
            long page = it.next();
            if (freeByPage.get(page, UNTRACKED) >= need) {
                return page;
            }
        }
        return 0;
    }

    int trackedPages() {
        return freeByPage.size();
    }

    /**
     * Up to {@code max} (page, free bytes) pairs, most free first: what survives a reopen. Taken
     * from the classes with the most room downwards, so it costs O(max), not a sort of every
     * tracked page: it runs at every checkpoint's switch, with commits waiting, and a large store
     * tracks millions of pages. Within the last class it takes, pages come in the class's order,
     * so the pairs are the most free up to one class's width.
     */
    List<long[]> largest(int max) {
        List<long[]> out = new ArrayList<>(Math.min(max, freeByPage.size()));
        for (int c = CLASSES - 1; c >= 0 && out.size() < max; c--) {
            for (Iterator<Long> it = buckets.get(c).iterator(); it.hasNext() && out.size() < max; ) {
                long page = it.next();
                out.add(new long[] {page, freeByPage.get(page, UNTRACKED)});
            }
        }
        out.sort(Comparator.comparingLong((long[] e) -> -e[1]));
        return out;
    }
}
