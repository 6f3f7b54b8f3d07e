package dev.sablegraph.internal.record;

import static dev.sablegraph.internal.record.IdMapLayout.COUNTER_OFFSET;
import static dev.sablegraph.internal.record.IdMapLayout.DIRECTORY;
import static dev.sablegraph.internal.storage.MetaPage.KIND_OFFSET;
import static dev.sablegraph.internal.record.IdMapLayout.LEAF;
import static dev.sablegraph.internal.record.IdMapLayout.ROOT;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.internal.storage.MetaPage;
import dev.sablegraph.internal.storage.MetaPageKind;
import dev.sablegraph.internal.storage.PageCursor;
import dev.sablegraph.internal.storage.PageType;
import dev.sablegraph.internal.storage.Pager;
import java.util.concurrent.atomic.AtomicLong;
import dev.sablegraph.internal.util.LockOrder;
import dev.sablegraph.internal.util.RankedLock;

/**
 * Dense entity ids (0, 1, 2, ...) mapped to a {@code long} each, usually a record pointer; 0 means
 * "no entity". Ids are handed out in order and never reused by this class. The graph layer keeps one
 * map for nodes and one for edges, so that an entity keeps its id when its record moves.
 *
 * <p>Structure: a radix tree of fixed depth 3 in META pages, root → directories → leaves, each page
 * an array of u64 entries after a 32-byte header (layout and id arithmetic in {@link IdMapLayout}
 * and docs/file-format.md). The root page is found through a root slot of the file header.
 * Directories and leaves are allocated on the first {@code set} below them; a lookup that meets an
 * absent child answers 0 without allocating.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A child page is formatted (kind, first id) before it is linked into its parent, so a reader
 *       that follows any link finds a formatted page of the expected kind.</li>
 *   <li>Only ids below {@link #nextId()} have a non-zero value. {@code nextId} only grows.</li>
 *   <li>The root page's next-id field is at most the in-memory counter, and equal to it after
 *       every pager flush (written by a flush hook, as {@code RecordStore} writes its counters).</li>
 * </ul>
 *
 * <p>Concurrency: {@link #get} takes no lock (three optimistic page reads). {@link #allocate} is a
 * compare-and-set on an in-memory counter. {@link #set} and the flush hook are serialised by
 * {@code writeLock}, which ranks like {@code RecordStore.writeLock} in docs/lock-order.md: under it
 * this class calls only {@code Pager.allocate}, {@code Pager.read} and {@code Pager.write}, one
 * cursor at a time and never allocating with a cursor open.
 *
 * <p>Why the next id is not written on every allocate: a write cursor on the root page would
 * invalidate the optimistic read of every concurrent {@code get}, all of which pass through the
 * root, and would make allocation take a frame lock. Like every other change it becomes durable at
 * the next flush; until a write-ahead log exists, a crash loses whatever was not flushed.
 */
public final class IdMap {
    private final Pager pager;
    private final int rootSlot;
    private final long rootPage;
    private final IdMapLayout layout;
    private final AtomicLong nextId;
    /** Whose pages these are, for corruption messages: built once, not on every lookup's check. */
    private final String owner;
    private final RankedLock writeLock = new RankedLock(LockOrder.STRUCTURE);
    /** The next id as last written into the root page. */
    private long persistedNextId; // guarded by writeLock

    private IdMap(Pager pager, int rootSlot, long rootPage, IdMapLayout layout, long nextId) {
        this.pager = pager;
        this.rootSlot = rootSlot;
        this.rootPage = rootPage;
        this.layout = layout;
        this.nextId = new AtomicLong(nextId);
        this.persistedNextId = nextId;
        this.owner = "id map of root slot " + rootSlot;
    }

    /**
     * Opens the map whose root page is in the pager's root slot {@code rootSlot}, creating an empty
     * map (and writing its root page into the slot) when the slot is 0. Open each map once per
     * pager: the next id lives in this object, and a second instance would hand out the same ids.
     *
     * @throws CorruptionException when the slot names a page that is not an id map root
     */
    public static IdMap open(Pager pager, int rootSlot) {
        IdMapLayout layout = new IdMapLayout(pager.pageSize());
        MetaPage root = MetaPage.open(pager, rootSlot, MetaPageKind.ID_MAP_ROOT);
        // A new root page is zero after its kind: next id 0, no directories.
        IdMap map = new IdMap(pager, rootSlot, root.page(), layout, 0);
        if (!root.isNew()) {
            long next = map.loadNextId();
            map.nextId.set(next);
            map.persistedNextId = next;
        }
        root.attach(map::writeNextId);
        return map;
    }

    private long loadNextId() {
        PageType type;
        byte kind;
        long next;
        try (PageCursor c = cursor(rootPage, 0, false)) {
            do {
                type = c.pageType();
                kind = c.getByte(KIND_OFFSET);
                next = c.getLong(COUNTER_OFFSET);
            } while (c.shouldRetry());
        }
        checkPage(rootPage, ROOT, 0, type, kind, 0);
        if (next < 0 || next > layout.capacity) {
            throw new CorruptionException(pager.path(), rootPage, "id map next id " + next
                    + " is outside 0.." + layout.capacity);
        }
        return next;
    }

    /**
     * The next id, unique and one above the previous one. Lock-free and O(1); durable at the next
     * pager flush.
     *
     * @throws IllegalStateException when all {@link #capacity()} ids are allocated
     */
    public long allocate() {
        for (;;) {
            long id = nextId.get();
            if (id >= layout.capacity) {
                throw new IllegalStateException("id map in root slot " + rootSlot + " of " + pager.path()
                        + " is full: all " + layout.capacity + " ids are allocated");
            }
            if (nextId.compareAndSet(id, id + 1)) {
                return id;
            }
        }
    }

    /** How many ids have been allocated: ids {@code 0 .. nextId() - 1}. */
    /**
     * Makes {@code id} allocated if it is not: the next id becomes at least {@code id + 1}. Recovery
     * uses it to recreate entities under the ids their log records carry.
     */
    public void ensureAllocated(long id) {
        requireNonNegative(id);
        if (id >= layout.capacity) {
            throw new IllegalArgumentException("id " + id + " is beyond the capacity " + layout.capacity);
        }
        nextId.accumulateAndGet(id + 1, Math::max);
    }

    public long nextId() {
        return nextId.get();
    }

    /** How many ids this map can ever hold: F³ for F = (pageSize − 32) / 8. */
    public long capacity() {
        return layout.capacity;
    }

    /**
     * The value of {@code id}: 0 when it was never set, was set to 0, or is not allocated. Lock-free.
     *
     * @throws IllegalArgumentException when {@code id} is negative
     */
    public long get(long id) {
        requireNonNegative(id);
        if (id >= nextId.get()) {
            return 0;
        }
        long page = rootPage;
        long linkedFrom = 0;
        for (int level = ROOT; level < LEAF; level++) {
            long child = readEntry(page, level, id, linkedFrom);
            if (child == 0) {
                return 0;
            }
            checkLink(page, level, id, child);
            linkedFrom = page;
            page = child;
        }
        return readEntry(page, LEAF, id, linkedFrom);
    }

    /**
     * The ids from {@code from} up to (not including) {@code below} whose value is not 0,
     * ascending, written into {@code out} until it is full; returns how many. Fewer than
     * {@code out.length} means there are no more below {@code below}. A scan of all ids in use calls
     * it again from the last id returned plus one. Directories and leaves never set are skipped
     * whole; a leaf is read with one cursor. Lock-free, like {@link #get}: beside a concurrent
     * {@link #set} an id may or may not be reported, so a caller that must see a consistent state
     * keeps writers out (or validates) around each call.
     *
     * @throws IllegalArgumentException when {@code from} is negative
     */
    public int setIds(long from, long below, long[] out) {
        requireNonNegative(from);
        long limit = Math.min(below, nextId.get());
        int n = 0;
        long id = from;
        while (id < limit && n < out.length) {
            long directory = readEntry(rootPage, ROOT, id, 0);
            if (directory == 0) {
                id = layout.directoryBase(id) + layout.perDirectory;
                continue;
            }
            checkLink(rootPage, ROOT, id, directory);
            long leaf = readEntry(directory, DIRECTORY, id, rootPage);
            if (leaf != 0) {
                checkLink(directory, DIRECTORY, id, leaf);
                n = readSetIds(leaf, id, directory, limit, out, n);
            }
            id = layout.leafBase(id) + layout.fanOut;
        }
        return n;
    }

    /** Appends to {@code out} (from {@code n}) the ids of one leaf from {@code id} below {@code limit} with a value. */
    private int readSetIds(long leaf, long id, long linkedFrom, long limit, long[] out, int n) {
        long base = layout.leafBase(id);
        int first = layout.leafIndex(id);
        int end = (int) Math.min(layout.fanOut, limit - base);
        PageType type;
        byte kind;
        long counter;
        int found;
        try (PageCursor c = cursor(leaf, linkedFrom, false)) {
            do {
                type = c.pageType();
                kind = c.getByte(KIND_OFFSET);
                counter = c.getLong(COUNTER_OFFSET);
                found = n;
                for (int i = first; i < end && found < out.length; i++) {
                    if (c.getLong(IdMapLayout.entryOffset(i)) != 0) {
                        out[found++] = base + i;
                    }
                }
            } while (c.shouldRetry());
        }
        checkPage(leaf, LEAF, id, type, kind, counter);
        return found;
    }

    /**
     * Sets the value of an allocated id; 0 clears it. Allocates the directory and leaf on the way
     * when absent (but not to store a 0).
     *
     * @throws IllegalArgumentException when {@code id} is negative or not below {@link #nextId()}
     */
    public void set(long id, long value) {
        requireNonNegative(id);
        writeLock.lock();
        try {
            long limit = nextId.get();
            if (id >= limit) {
                throw new IllegalArgumentException("id " + id + " is not allocated (next id is " + limit
                        + ") in id map of root slot " + rootSlot);
            }
            long page = rootPage;
            long linkedFrom = 0;
            for (int level = ROOT; level < LEAF; level++) {
                long child = readEntry(page, level, id, linkedFrom);
                if (child == 0) {
                    if (value == 0) {
                        return; // nothing below: the id already reads as 0
                    }
                    child = addChild(page, level, id, linkedFrom);
                } else {
                    checkLink(page, level, id, child);
                }
                linkedFrom = page;
                page = child;
            }
            writeEntry(page, LEAF, id, linkedFrom, value);
        } finally {
            writeLock.unlock();
        }
    }

    // ---- internals ----

    private static void requireNonNegative(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("id must not be negative, was " + id);
        }
    }

    /**
     * Formats a new page for the level below {@code parent} and links it into {@code parent}. Under
     * writeLock. The page is allocated with no cursor open and formatted before it is linked.
     */
    private long addChild(long parent, int parentLevel, long id, long parentLinkedFrom) {
        int level = parentLevel + 1;
        long child = pager.allocate(PageType.META);
        try (PageCursor c = pager.write(child)) {
            c.putByte(KIND_OFFSET, IdMapLayout.kind(level).code());
            c.putLong(COUNTER_OFFSET, layout.base(level, id));
        }
        writeEntry(parent, parentLevel, id, parentLinkedFrom, child);
        return child;
    }

    /** Entry of {@code page} on the path to {@code id}, after checking the page's kind and range. Lock-free. */
    private long readEntry(long page, int level, long id, long linkedFrom) {
        int offset = IdMapLayout.entryOffset(layout.index(level, id));
        PageType type;
        byte kind;
        long counter;
        long entry;
        try (PageCursor c = cursor(page, linkedFrom, false)) {
            do {
                type = c.pageType();
                kind = c.getByte(KIND_OFFSET);
                counter = c.getLong(COUNTER_OFFSET);
                entry = c.getLong(offset);
            } while (c.shouldRetry());
        }
        checkPage(page, level, id, type, kind, counter);
        return entry;
    }

    /** Writes the entry of {@code page} on the path to {@code id}, checking the page first. Under writeLock. */
    private void writeEntry(long page, int level, long id, long linkedFrom, long value) {
        try (PageCursor c = cursor(page, linkedFrom, true)) {
            checkPage(page, level, id, c.pageType(), c.getByte(KIND_OFFSET), c.getLong(COUNTER_OFFSET));
            c.putLong(IdMapLayout.entryOffset(layout.index(level, id)), value);
        }
    }

    /**
     * A cursor on a page reached through a link in {@code linkedFrom} (0: the file header's root
     * slot). The pager refuses pages outside the file; that means the link is damaged.
     */
    private PageCursor cursor(long page, long linkedFrom, boolean write) {
        try {
            return write ? pager.write(page) : pager.read(page);
        } catch (IllegalArgumentException e) {
            throw new CorruptionException(pager.path(), linkedFrom, "id map link to page " + page
                    + ", which is not an allocated page", e);
        }
    }

    private void checkLink(long parent, int level, long id, long child) {
        // 0 means absent; a link to the wrong page of ours is caught by the child's kind and range.
        if (child < 0) {
            throw new CorruptionException(pager.path(), parent, IdMapLayout.kind(level).description()
                    + " entry " + layout.index(level, id) + " links to page " + child);
        }
    }

    private void checkPage(long page, int level, long id, PageType type, byte kind, long counter) {
        MetaPageKind want = IdMapLayout.kind(level);
        MetaPage.requireKind(pager, page, type, kind, want, owner);
        if (level != ROOT && counter != layout.base(level, id)) {
            throw new CorruptionException(pager.path(), page, want.description() + " covers ids from "
                    + counter + ", expected from " + layout.base(level, id));
        }
    }

    /** Flush hook: writes the next id into the root page when it changed. */
    private void writeNextId() {
        writeLock.lock();
        try {
            long next = nextId.get(); // read under the lock: concurrent flushes write in increasing order
            if (next == persistedNextId) {
                return;
            }
            try (PageCursor c = pager.write(rootPage)) {
                checkPage(rootPage, ROOT, 0, c.pageType(), c.getByte(KIND_OFFSET), 0);
                c.putLong(COUNTER_OFFSET, next);
            }
            persistedNextId = next;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "IdMap[root slot " + rootSlot + ", root page " + rootPage + ", next id " + nextId.get() + "]";
    }
}
