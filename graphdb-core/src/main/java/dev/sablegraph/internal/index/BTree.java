package dev.sablegraph.internal.index;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.internal.storage.FileHeader;
import dev.sablegraph.internal.storage.MetaPage;
import dev.sablegraph.internal.storage.MetaPageKind;
import dev.sablegraph.internal.storage.PageCursor;
import dev.sablegraph.internal.storage.PageType;
import dev.sablegraph.internal.storage.RollbackPoint;
import dev.sablegraph.internal.storage.Pager;
import dev.sablegraph.internal.util.LockOrder;
import dev.sablegraph.internal.util.RankedLock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A persistent B+tree of fixed-size keys with set semantics (keys only; inserting a present key
 * changes nothing), ordered as unsigned byte strings. Leaves ({@link LeafPage}) hold the keys and
 * form a doubly linked chain in key order; inner nodes ({@link InternalPage}) hold separators.
 * The tree is found through its meta page, whose number is kept in a pager root slot:
 *
 * <pre>
 * meta page (type META), after the common page header, big endian:
 * offset  size  field
 *   16    u8    meta kind, 5 = {@link MetaPageKind#BTREE}
 *   17    u8    key size k, 8 .. 255
 *   18    u8    layout version, 1
 *   19    u8    reserved, zero
 *   20    u32   height: levels from root to leaf, 1 = the root is a leaf
 *   24    u64   root page
 *   32    u64   keys in the tree
 * </pre>
 *
 * <p>Root and height are written when they change; the key count at every pager flush (a flush
 * hook), like {@code RecordStore}'s counters.
 *
 * <p><b>Changes.</b> Inserts split full pages upwards; a full root gets a new root above it. A
 * split of a leaf at its right end (the new key is larger than all its keys) moves only the new key
 * to the new page, so ascending inserts fill leaves completely. Deletes never leave an empty leaf
 * behind except a root leaf: an emptied leaf is unlinked from its siblings and its parent and
 * freed, and a parent left without children is freed the same way, upwards. A leaf that falls below
 * a quarter full merges with its left (else right) neighbour under the same parent when the two fit
 * in three quarters of a page, and the emptied page is freed. Inner nodes are never merged; a root
 * left with one child is replaced by that child. So a scan reads no empty page, and a leaf under a
 * quarter full survives only where both neighbours under its parent are too full to merge with it
 * or it is its parent's only child.
 *
 * <p><b>Concurrency.</b> Writes are serialised by {@link #writeLock}. Reads take no lock: a read
 * of several pages (descend, then read a leaf) is checked against {@link #modCount}, a sequence
 * number that is odd while a change is under way (a seqlock). A read that overlapped a change is
 * repeated, and after a few failures it runs under the write lock, so reads are correct even beside
 * a writer, although callers are expected to keep readers and writers apart. A {@link Cursor}
 * keeps one leaf's keys and re-seeks from the root when the tree changed since it read them.
 *
 * <p>Lock order: {@code writeLock} has the rank of a record store's write lock
 * ({@link LockOrder#STRUCTURE}), above every storage lock (docs/lock-order.md). At most one page
 * cursor is open at a time, and pages are allocated and freed with no cursor open.
 *
 * <p>Open a tree at most once per pager: each instance keeps its own counters and flush hook.
 */
public final class BTree {
    public static final int MIN_KEY_SIZE = 8;
    public static final int MAX_KEY_SIZE = 255;

    // Meta page layout (after the common page header and the kind byte, MetaPage.KIND_OFFSET).
    static final int META_KEY_SIZE_OFFSET = 17;
    static final int META_VERSION_OFFSET = 18;
    static final int META_HEIGHT_OFFSET = 20;
    static final int META_ROOT_OFFSET = 24;
    static final int META_SIZE_OFFSET = 32;
    static final byte LAYOUT_VERSION = 1;
    /** More levels than a tree can reach: at real capacities a root splits with >= 16 children. */
    static final int MAX_HEIGHT = 32;
    /** Optimistic tries of a read before it takes the write lock. */
    private static final int OPTIMISTIC_ATTEMPTS = 4;
    /** Consecutive leaves without a wanted key that a cursor step tolerates before calling it damage. */
    private static final int MAX_BARREN_LEAVES = 16;
    /** Keys a cursor copies in its first batch: a point lookup needs its key and the one past it. */
    private static final int FIRST_BATCH = 4;

    private final Pager pager;
    private final int rootSlot;
    private final MetaPage meta;
    private final int keySize;
    private final int leafCapacity;
    private final int internalCapacity;
    private final RankedLock writeLock = new RankedLock(LockOrder.STRUCTURE);
    /** A bound above every key (one byte longer than a key, all 0xFF): where a descending scan starts. */
    private final byte[] aboveEveryKey;
    // Scratch for the writer.
    private final byte[] moveBuffer; // guarded by writeLock
    private final byte[] zeros; // guarded by writeLock (never written: kept zero)
    private final byte[] writerScratch; // guarded by writeLock
    /** Writes the key count into the meta page at every pager flush, from open until {@link #release}. */
    private final Runnable flushHook = this::flushMeta;
    /** The key count as last written into the meta page. */
    private long sizeInMeta = -1; // guarded by writeLock

    // Changed only between beginChange and endChange; volatile for the lock-free readers.
    private volatile long root; // guarded by writeLock
    private volatile int height; // guarded by writeLock
    private volatile long size; // guarded by writeLock
    /** Seqlock: incremented at the start and end of every change, so odd means "changing". */
    private volatile long modCount; // guarded by writeLock

    private BTree(Pager pager, int rootSlot, MetaPage meta, int keySize, int maxLeafKeys, int maxInnerKeys) {
        this.pager = pager;
        this.rootSlot = rootSlot;
        this.meta = meta;
        this.keySize = keySize;
        this.leafCapacity = Math.min(maxLeafKeys, LeafPage.capacity(pager.pageSize(), keySize));
        this.internalCapacity = Math.min(maxInnerKeys, InternalPage.capacity(pager.pageSize(), keySize));
        this.moveBuffer = new byte[pager.pageSize()];
        this.zeros = new byte[pager.pageSize()];
        this.writerScratch = new byte[keySize];
        this.aboveEveryKey = new byte[keySize + 1];
        Arrays.fill(aboveEveryKey, (byte) 0xFF);
    }

    /**
     * Opens the tree whose meta page is in root slot {@code rootSlot}, creating an empty one when
     * the slot is 0. An existing tree must have been created with the same key size.
     *
     * @throws IllegalArgumentException for a slot outside 0..31, a key size outside 8..255, or a
     *     key size other than the stored one
     * @throws CorruptionException when the slot does not lead to a B+tree meta page
     */
    public static BTree open(Pager pager, int rootSlot, int keySize) {
        return open(pager, rootSlot, keySize, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * Opens with page capacities capped below what the page size allows, so that tests grow deep
     * trees from few keys. The caps are not stored: reopen with the same ones.
     */
    static BTree open(Pager pager, int rootSlot, int keySize, int maxLeafKeys, int maxInnerKeys) {
        Objects.requireNonNull(pager, "pager");
        if (maxLeafKeys < 2 || maxInnerKeys < 2) {
            throw new IllegalArgumentException("nodes need room for 2 keys, capped at " + maxLeafKeys + "/"
                    + maxInnerKeys);
        }
        if (rootSlot < 0 || rootSlot >= FileHeader.ROOT_SLOTS) {
            throw new IllegalArgumentException("root slot must be 0.." + (FileHeader.ROOT_SLOTS - 1) + ", was "
                    + rootSlot);
        }
        if (keySize < MIN_KEY_SIZE || keySize > MAX_KEY_SIZE) {
            throw new IllegalArgumentException("key size must be " + MIN_KEY_SIZE + ".." + MAX_KEY_SIZE + " bytes, was "
                    + keySize);
        }
        MetaPage meta = MetaPage.open(pager, rootSlot, MetaPageKind.BTREE);
        BTree tree = new BTree(pager, rootSlot, meta, keySize, maxLeafKeys, maxInnerKeys);
        if (meta.isNew()) {
            // A freshly allocated page is zero: an empty leaf with no siblings, ready as the root.
            tree.root = pager.allocate(PageType.BTREE_LEAF);
            tree.height = 1;
            try (PageCursor c = pager.write(meta.page())) {
                c.putByte(META_KEY_SIZE_OFFSET, (byte) keySize);
                c.putByte(META_VERSION_OFFSET, LAYOUT_VERSION);
            }
            tree.writeMeta();
        } else {
            tree.loadMeta();
        }
        meta.attach(tree.flushHook);
        return tree;
    }

    private void loadMeta() {
        PageType type;
        byte kind;
        byte version;
        int storedKeySize;
        int h;
        long r;
        long s;
        try (PageCursor c = readPage(meta.page())) {
            do {
                type = c.pageType();
                kind = c.getByte(MetaPage.KIND_OFFSET);
                storedKeySize = c.getByte(META_KEY_SIZE_OFFSET) & 0xFF;
                version = c.getByte(META_VERSION_OFFSET);
                h = c.getInt(META_HEIGHT_OFFSET);
                r = c.getLong(META_ROOT_OFFSET);
                s = c.getLong(META_SIZE_OFFSET);
            } while (c.shouldRetry());
        }
        meta.checkKind(type, kind);
        if (version != LAYOUT_VERSION) {
            throw new CorruptionException(pager.path(), meta.page(), "B+tree layout version " + version
                    + " (this build reads version " + LAYOUT_VERSION + ")");
        }
        if (storedKeySize != keySize) {
            throw new IllegalArgumentException("B+tree in root slot " + rootSlot + " has key size " + storedKeySize
                    + ", opened with key size " + keySize);
        }
        if (h < 1 || h > MAX_HEIGHT || r <= 0 || s < 0) {
            throw new CorruptionException(pager.path(), meta.page(), "B+tree meta page has height " + h + ", root " + r
                    + ", size " + s);
        }
        PageType rootType;
        try (PageCursor c = readPage(r)) {
            do {
                rootType = c.pageType();
            } while (c.shouldRetry());
        }
        PageType expected = h == 1 ? PageType.BTREE_LEAF : PageType.BTREE_INTERNAL;
        if (rootType != expected) {
            throw new CorruptionException(pager.path(), r, "B+tree root of height " + h + " is a " + rootType
                    + " page");
        }
        root = r;
        height = h;
        size = s;
        sizeInMeta = s;
    }

    /** Runs at the start of every pager flush: the key count goes into the meta page. */
    private void flushMeta() {
        lock();
        try {
            if (size != sizeInMeta) {
                writeMeta();
            }
        } finally {
            unlock();
        }
    }

    /** Writes root, height and size into the meta page. Under writeLock, no cursor open. */
    private void writeMeta() {
        try (PageCursor c = pager.write(meta.page())) {
            c.putInt(META_HEIGHT_OFFSET, height);
            c.putLong(META_ROOT_OFFSET, root);
            c.putLong(META_SIZE_OFFSET, size);
        }
        sizeInMeta = size;
    }

    // ---- public API ----

    public int keySize() {
        return keySize;
    }

    /** Keys in the tree. */
    public long size() {
        return size;
    }

    /** Levels from the root to the leaves; 1 when the root is a leaf. */
    public int height() {
        return height;
    }

    /** Adds {@code key}; true if it was not present. */
    public boolean insert(byte[] key) {
        checkKey(key);
        lock();
        try {
            KeyPosition where = findForChange(key);
            if (where.probe().found()) {
                return false;
            }
            int n = where.probe().count();
            int pos = where.probe().pos();
            beginChange();
            try {
                if (n < leafCapacity) {
                    try (PageCursor c = pager.write(where.leaf())) {
                        int at = LeafPage.keyOffset(pos, keySize);
                        move(c, at, at + keySize, (n - pos) * keySize);
                        c.putBytes(LeafPage.keyOffset(pos, keySize), key, 0, keySize);
                        c.putShort(LeafPage.COUNT_OFFSET, n + 1);
                    }
                } else {
                    splitLeaf(where.path(), where.slot(), where.height(), n, pos, key);
                }
                size++;
            } finally {
                endChange();
            }
            return true;
        } finally {
            unlock();
        }
    }

    /** Removes {@code key}; true if it was present. */
    public boolean delete(byte[] key) {
        checkKey(key);
        lock();
        try {
            KeyPosition where = findForChange(key);
            if (!where.probe().found()) {
                return false;
            }
            int h = where.height();
            int n = where.probe().count();
            int pos = where.probe().pos();
            beginChange();
            try {
                try (PageCursor c = pager.write(where.leaf())) {
                    int at = LeafPage.keyOffset(pos, keySize);
                    move(c, at + keySize, at, (n - pos - 1) * keySize);
                    c.putBytes(LeafPage.keyOffset(n - 1, keySize), zeros, 0, keySize);
                    c.putShort(LeafPage.COUNT_OFFSET, n - 1);
                }
                size--;
                if (h > 1 && n - 1 == 0) {
                    dropLeaf(where.path(), where.slot(), h);
                } else if (h > 1 && n - 1 < leafCapacity / 4) {
                    mergeWithNeighbour(where.path(), where.slot(), h);
                }
            } finally {
                endChange();
            }
            return true;
        } finally {
            unlock();
        }
    }

    /**
     * Frees the pages of an empty tree (its root leaf and its meta page) and clears its root slot,
     * for a structure that is retired for good. The tree must not be used afterwards.
     *
     * @throws IllegalStateException when the tree holds keys
     */
    public void release() {
        lock();
        try {
            if (size != 0 || height != 1) {
                throw new IllegalStateException("only an empty B+tree can be released; this one holds " + size + " keys");
            }
            pager.removeFlushHook(flushHook);
            pager.free(root);
            pager.free(meta.page());
            pager.setRoot(rootSlot, 0);
        } finally {
            unlock();
        }
    }

    public boolean contains(byte[] key) {
        checkKey(key);
        byte[] scratch = new byte[keySize];
        return readConsistent(version -> {
            long leaf = descend(root, height, key, null, null, scratch);
            PageType type;
            int raw;
            boolean found;
            try (PageCursor c = readPage(leaf)) {
                do {
                    type = c.pageType();
                    raw = c.getUnsignedShort(LeafPage.COUNT_OFFSET);
                    int n = Math.min(raw, leafCapacity);
                    int pos = LeafPage.rank(c, n, keySize, key, false, scratch);
                    found = pos < n && Keys.equalsAt(c, LeafPage.keyOffset(pos, keySize), key, scratch);
                } while (c.shouldRetry());
            }
            checkNode(leaf, type, PageType.BTREE_LEAF, raw, leafCapacity);
            return found;
        });
    }

    /**
     * A cursor over the keys {@code >= fromInclusive} and {@code < toExclusive}, in order; a null
     * bound is unbounded. Bounds may have any length: they compare as unsigned byte strings, where
     * a proper prefix sorts before the strings it starts.
     */
    public Cursor seek(byte[] fromInclusive, byte[] toExclusive) {
        return new Cursor(fromInclusive == null ? null : fromInclusive.clone(),
                toExclusive == null ? null : toExclusive.clone(), false);
    }

    /**
     * A cursor over the same keys as {@link #seek}, {@code >= fromInclusive} and {@code < toExclusive},
     * in descending order: it starts below {@code toExclusive} and walks the leaves backwards.
     */
    public Cursor seekDescending(byte[] fromInclusive, byte[] toExclusive) {
        return new Cursor(fromInclusive == null ? null : fromInclusive.clone(),
                toExclusive == null ? null : toExclusive.clone(), true);
    }

    /** A cursor over the keys that start with {@code prefix} (0..keySize bytes; empty = all keys). */
    public Cursor seekPrefix(byte[] prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.length > keySize) {
            throw new IllegalArgumentException("prefix of " + prefix.length + " bytes is longer than the key size "
                    + keySize);
        }
        return new Cursor(prefix.clone(), Keys.prefixEnd(prefix), false);
    }

    /** Passes each key that starts with {@code prefix} to {@code action}, in order. */
    public void forEachPrefix(byte[] prefix, Consumer<byte[]> action) {
        Cursor c = seekPrefix(prefix);
        while (c.next()) {
            action.accept(c.key());
        }
    }

    private void checkKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != keySize) {
            throw new IllegalArgumentException("key must be " + keySize + " bytes, was " + key.length);
        }
    }

    /**
     * Keys in order between two bounds, reading one leaf at a time. Each {@link #next()} returns the
     * smallest key above the previous one (or from the lower bound) in the tree as it is at that
     * call: when the tree changed since the cursor read its leaf, it seeks again from the root past
     * the last key it returned. So changes between calls are safe; a key present throughout is seen
     * exactly once, a deleted key is not returned after its deletion, and keys inserted behind the
     * cursor are not seen. Holds no page and no lock between calls. Not for use by two threads.
     * A descending cursor does the same in the other direction ("above" and "behind" swapped): it
     * reads a leaf's keys below its position, last first, and then the previous leaf.
     */
    public final class Cursor {
        private final byte[] from;
        private final byte[] to;
        private final boolean descending;
        /**
         * A batch of keys of one leaf, from the cursor's position on (in the cursor's order);
         * {@link #count} of them. Batches start small and double up to a whole leaf: a point lookup
         * copies a few keys instead of a leaf, a long scan still copies whole leaves.
         */
        private byte[] keys = new byte[0];
        private final byte[] current = new byte[keySize];
        private final byte[] scratch = new byte[keySize];
        private int batch = Math.min(FIRST_BATCH, leafCapacity);
        private int count;
        private int pos;
        /** The leaf the batch came from, and how many of its keys on the cursor's side are left to copy. */
        private long leaf;
        private int leftInLeaf;
        /**
         * Where the next batch of {@link #leaf} starts: ascending, the index of its first key;
         * descending, the index just past its last key.
         */
        private int leafEdge;
        private long nextLeaf;
        /** The modCount {@link #keys} and {@link #nextLeaf} belong to; -1 before the first read. */
        private long version = -1;
        private boolean started;
        private boolean onKey;
        private boolean done;

        private Cursor(byte[] from, byte[] to, boolean descending) {
            this.from = from;
            this.to = to;
            this.descending = descending;
            this.done = from != null && to != null && Arrays.compareUnsigned(from, to) >= 0;
        }

        /** Moves to the next key; false when there is none (and from then on). */
        public boolean next() {
            onKey = false;
            if (done) {
                return false;
            }
            if (version < 0 || modCount != version) {
                load(0, false);
            }
            int barren = 0;
            while (pos >= count) {
                if (leftInLeaf > 0) {
                    load(leaf, true);
                    continue;
                }
                if (nextLeaf == 0) {
                    done = true;
                    return false;
                }
                if (++barren > MAX_BARREN_LEAVES) {
                    throw new CorruptionException(pager.path(), nextLeaf,
                            "B+tree leaf chain holds no key past the cursor");
                }
                long before = version;
                load(nextLeaf, false);
                if (version != before) {
                    barren = 0; // re-sought in a changed tree: only a chain that never changes is suspect
                }
            }
            System.arraycopy(keys, pos * keySize, current, 0, keySize);
            pos++;
            boolean past = descending
                    ? from != null && Keys.compare(current, 0, keySize, from) < 0
                    : to != null && Keys.compare(current, 0, keySize, to) >= 0;
            if (past) {
                done = true;
                return false;
            }
            started = true;
            onKey = true;
            return true;
        }

        /** The key {@link #next()} moved to, as a new array. */
        public byte[] key() {
            if (!onKey) {
                throw new IllegalStateException("the cursor is not on a key: call next() first and check its result");
            }
            return current.clone();
        }

        /**
         * Reads the next batch of keys past the cursor's position: from the rest of {@link #leaf}
         * when {@code sameLeaf}, else from {@code sibling}, if the tree is unchanged since the last
         * read; from the leaf a search from the root finds when it changed (or at the start).
         */
        private void load(long sibling, boolean sameLeaf) {
            if (keys.length < batch * keySize) {
                keys = new byte[batch * keySize];
            }
            long seenVersion = version;
            version = readConsistent(v -> {
                boolean unchanged = v == seenVersion;
                byte[] bound = started ? current : descending ? (to == null ? aboveEveryKey : to) : from;
                long target = unchanged && sameLeaf ? leaf
                        : unchanged && sibling != 0 ? sibling
                        : descend(root, height, bound, null, null, scratch);
                PageType type;
                int raw;
                int start;
                int taken;
                long next;
                try (PageCursor c = readPage(target)) {
                    do {
                        type = c.pageType();
                        raw = c.getUnsignedShort(LeafPage.COUNT_OFFSET);
                        int n = Math.min(raw, leafCapacity);
                        if (descending) {
                            int end = unchanged && sameLeaf ? leafEdge : LeafPage.rank(c, n, keySize, bound, false, scratch);
                            end = Math.max(0, Math.min(end, n)); // a torn read may give anything; shouldRetry says
                            taken = Math.min(end, batch);
                            start = end - taken;
                            next = c.getLong(LeafPage.PREV_OFFSET);
                        } else {
                            start = unchanged && sameLeaf ? leafEdge
                                    : bound == null ? 0 : LeafPage.rank(c, n, keySize, bound, started, scratch);
                            start = Math.max(0, Math.min(start, n));
                            taken = Math.min(n - start, batch);
                            next = c.getLong(LeafPage.NEXT_OFFSET);
                        }
                        c.getBytes(LeafPage.keyOffset(start, keySize), keys, 0, taken * keySize);
                    } while (c.shouldRetry());
                }
                checkNode(target, type, PageType.BTREE_LEAF, raw, leafCapacity);
                int n = Math.min(raw, leafCapacity);
                count = taken;
                leafEdge = descending ? start : start + taken;
                leftInLeaf = descending ? start : n - leafEdge;
                nextLeaf = next;
                leaf = target;
                return v;
            });
            if (descending) {
                for (int i = 0, j = count - 1; i < j; i++, j--) { // last first
                    System.arraycopy(keys, i * keySize, scratch, 0, keySize);
                    System.arraycopy(keys, j * keySize, keys, i * keySize, keySize);
                    System.arraycopy(scratch, 0, keys, j * keySize, keySize);
                }
            }
            pos = 0;
            batch = Math.min(batch * 2, leafCapacity);
        }
    }

    // ---- reading ----

    @FunctionalInterface
    private interface TreeRead<T> {
        /** One attempt of a read, against the tree as of {@code version} (the modCount seen first). */
        T run(long version);
    }

    /**
     * Runs a read of several pages so that it sees one version of the tree. Between two equal,
     * even values of {@link #modCount} no change ran, so what was read then is consistent; pages
     * read during a change can hold anything (even freed or reused pages), so failures are
     * believed only if no change ran.
     */
    private <T> T readConsistent(TreeRead<T> op) {
        for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
            long version = modCount;
            if ((version & 1) != 0) {
                // A change is under way: wait for it instead of spinning.
                lock();
                unlock();
                continue;
            }
            try {
                T result = op.run(version);
                if (modCount == version) {
                    return result;
                }
            } catch (RuntimeException e) {
                if (modCount == version) {
                    throw e;
                }
            }
        }
        lock();
        try {
            return op.run(modCount);
        } finally {
            unlock();
        }
    }

    /**
     * Follows {@code key} (null: the leftmost path) from {@code top} down {@code levels - 1} inner
     * nodes and returns the leaf. When {@code path} is given, records each level's page and, in
     * {@code slot}, the child taken there.
     */
    private long descend(long top, int levels, byte[] key, long[] path, int[] slot, byte[] scratch) {
        long page = top;
        for (int level = 0; level < levels - 1; level++) {
            PageType type;
            int raw;
            int i;
            long child;
            try (PageCursor c = readPage(page)) {
                do {
                    type = c.pageType();
                    raw = c.getUnsignedShort(InternalPage.COUNT_OFFSET);
                    i = InternalPage.childIndex(c, Math.min(raw, internalCapacity), keySize, key, scratch);
                    child = c.getLong(InternalPage.childOffset(i, keySize));
                } while (c.shouldRetry());
            }
            checkNode(page, type, PageType.BTREE_INTERNAL, raw, internalCapacity);
            if (child <= 0) {
                throw new CorruptionException(pager.path(), page, "B+tree child " + i + " is page " + child);
            }
            if (path != null) {
                path[level] = page;
                slot[level] = i;
            }
            page = child;
        }
        if (path != null) {
            path[levels - 1] = page;
        }
        return page;
    }

    /** Where {@code key} is or would go in a leaf holding {@code count} keys. */
    private record Probe(int count, int pos, boolean found) {}

    /**
     * Where a writer found a key: the pages from the root down to the key's leaf with the child
     * slot taken at each level (splits and merges walk back up them), and the leaf's probe.
     */
    private record KeyPosition(int height, long[] path, int[] slot, Probe probe) {
        long leaf() {
            return path[height - 1];
        }
    }

    /** The opening of every change ({@link #insert}, {@link #delete}): descend to the key's leaf and probe it. Under writeLock. */
    private KeyPosition findForChange(byte[] key) {
        int h = height;
        long[] path = new long[h];
        int[] slot = new int[h];
        descend(root, h, key, path, slot, writerScratch);
        return new KeyPosition(h, path, slot, probeLeaf(path[h - 1], key));
    }

    /** Searches a leaf for {@code key}; writer only (uses the writer's scratch). */
    private Probe probeLeaf(long leaf, byte[] key) {
        PageType type;
        int raw;
        int pos;
        boolean found;
        try (PageCursor c = readPage(leaf)) {
            do {
                type = c.pageType();
                raw = c.getUnsignedShort(LeafPage.COUNT_OFFSET);
                int n = Math.min(raw, leafCapacity);
                pos = LeafPage.rank(c, n, keySize, key, false, writerScratch);
                found = pos < n && Keys.equalsAt(c, LeafPage.keyOffset(pos, keySize), key, writerScratch);
            } while (c.shouldRetry());
        }
        checkNode(leaf, type, PageType.BTREE_LEAF, raw, leafCapacity);
        return new Probe(raw, pos, found);
    }

    /** Opens a read cursor; a link to a page that does not exist is damage, not a caller error. */
    private PageCursor readPage(long page) {
        try {
            return pager.read(page);
        } catch (IllegalArgumentException e) {
            throw new CorruptionException(pager.path(), page, "B+tree link to a page that is not allocated", e);
        }
    }

    private void checkNode(long page, PageType type, PageType expected, int count, int capacity) {
        if (type != expected) {
            throw new CorruptionException(pager.path(), page, "expected a " + expected + " page, found " + type);
        }
        if (count > capacity) {
            throw new CorruptionException(pager.path(), page, "B+tree node holds " + count + " keys, capacity "
                    + capacity);
        }
    }

    // ---- changing, all under writeLock ----

    /** Takes {@link #writeLock}, at the rank of a store's write lock (docs/lock-order.md). */
    private void lock() {
        writeLock.lock();
    }

    private void unlock() {
        writeLock.unlock();
    }

    /**
     * Keeps the root, height and size as they are now, for a change that may have to be taken back
     * (the pages themselves are the pager's to restore). Restoring ends any change the failure
     * interrupted and moves the sequence on, so readers that overlapped it retry.
     */
    public RollbackPoint rollbackPoint() {
        lock();
        try {
            long savedRoot = root;
            int savedHeight = height;
            long savedSize = size;
            return () -> {
                lock();
                try {
                    root = savedRoot;
                    height = savedHeight;
                    size = savedSize;
                    modCount = (modCount | 1) + 1; // even again, and past every version a reader saw
                } finally {
                    unlock();
                }
            };
        } finally {
            unlock();
        }
    }

    private void beginChange() {
        modCount++; // odd: readers that overlap retry
    }

    private void endChange() {
        modCount++;
    }

    /** Moves {@code length} bytes within the page under write cursor {@code c}; ranges may overlap. */
    private void move(PageCursor c, int from, int to, int length) {
        if (length > 0) {
            c.getBytes(from, moveBuffer, 0, length);
            c.putBytes(to, moveBuffer, 0, length);
        }
    }

    private record LeafImage(int count, long prev, long next, byte[] keys) {}

    private record NodeImage(int count, long[] children, byte[] keys) {}

    private LeafImage readLeaf(long page) {
        PageType type;
        int raw;
        long prev;
        long next;
        byte[] keys = new byte[leafCapacity * keySize];
        try (PageCursor c = readPage(page)) {
            do {
                type = c.pageType();
                raw = c.getUnsignedShort(LeafPage.COUNT_OFFSET);
                prev = c.getLong(LeafPage.PREV_OFFSET);
                next = c.getLong(LeafPage.NEXT_OFFSET);
                c.getBytes(LeafPage.KEYS_OFFSET, keys, 0, Math.min(raw, leafCapacity) * keySize);
            } while (c.shouldRetry());
        }
        checkNode(page, type, PageType.BTREE_LEAF, raw, leafCapacity);
        return new LeafImage(raw, prev, next, keys);
    }

    private NodeImage readNode(long page) {
        PageType type;
        int raw;
        long[] children = new long[internalCapacity + 1];
        byte[] keys = new byte[internalCapacity * keySize];
        try (PageCursor c = readPage(page)) {
            do {
                type = c.pageType();
                raw = c.getUnsignedShort(InternalPage.COUNT_OFFSET);
                int n = Math.min(raw, internalCapacity);
                children[0] = c.getLong(InternalPage.CHILD0_OFFSET);
                for (int i = 0; i < n; i++) {
                    c.getBytes(InternalPage.keyOffset(i, keySize), keys, i * keySize, keySize);
                    children[i + 1] = c.getLong(InternalPage.childOffset(i + 1, keySize));
                }
            } while (c.shouldRetry());
        }
        checkNode(page, type, PageType.BTREE_INTERNAL, raw, internalCapacity);
        return new NodeImage(raw, children, keys);
    }

    /**
     * Splits the full leaf {@code path[h-1]} (n keys) while inserting {@code key} at {@code pos}.
     * Usually each half gets half the keys; a key past the leaf's end goes alone to the new page,
     * so ascending inserts leave full leaves behind.
     */
    private void splitLeaf(long[] path, int[] slot, int h, int n, int pos, byte[] key) {
        long left = path[h - 1];
        LeafImage img = readLeaf(left);
        byte[] all = new byte[(n + 1) * keySize];
        System.arraycopy(img.keys(), 0, all, 0, pos * keySize);
        System.arraycopy(key, 0, all, pos * keySize, keySize);
        System.arraycopy(img.keys(), pos * keySize, all, (pos + 1) * keySize, (n - pos) * keySize);
        int leftCount = pos == n ? n : (n + 2) / 2;
        int rightCount = n + 1 - leftCount;
        long right = pager.allocate(PageType.BTREE_LEAF);
        try (PageCursor c = pager.write(right)) {
            c.putShort(LeafPage.COUNT_OFFSET, rightCount);
            c.putLong(LeafPage.PREV_OFFSET, left);
            c.putLong(LeafPage.NEXT_OFFSET, img.next());
            c.putBytes(LeafPage.KEYS_OFFSET, all, leftCount * keySize, rightCount * keySize);
        }
        try (PageCursor c = pager.write(left)) {
            c.putShort(LeafPage.COUNT_OFFSET, leftCount);
            c.putLong(LeafPage.NEXT_OFFSET, right);
            c.putBytes(LeafPage.KEYS_OFFSET, all, 0, leftCount * keySize);
            c.putBytes(LeafPage.keyOffset(leftCount, keySize), zeros, 0, (n - leftCount) * keySize);
        }
        if (img.next() != 0) {
            try (PageCursor c = pager.write(img.next())) {
                c.putLong(LeafPage.PREV_OFFSET, right);
            }
        }
        byte[] separator = Arrays.copyOfRange(all, leftCount * keySize, (leftCount + 1) * keySize);
        insertIntoParent(path, slot, h - 2, separator, right);
    }

    /**
     * Adds {@code separator} and, right of it, {@code child} to inner node {@code path[level]}, next
     * to the child at {@code slot[level]} that just split; splits the node in turn when it is full,
     * and grows a new root when {@code level} is -1.
     */
    private void insertIntoParent(long[] path, int[] slot, int level, byte[] separator, long child) {
        if (level < 0) {
            growRoot(separator, child);
            return;
        }
        long node = path[level];
        int i = slot[level];
        int e = InternalPage.entrySize(keySize);
        NodeImage img = readNode(node);
        int n = img.count();
        if (n < internalCapacity) {
            try (PageCursor c = pager.write(node)) {
                int at = InternalPage.keyOffset(i, keySize);
                move(c, at, at + e, (n - i) * e);
                c.putBytes(at, separator, 0, keySize);
                c.putLong(at + keySize, child);
                c.putShort(InternalPage.COUNT_OFFSET, n + 1);
            }
            return;
        }
        // Full: n + 1 separators and n + 2 children; the middle separator moves up.
        byte[] keys = new byte[(n + 1) * keySize];
        long[] children = new long[n + 2];
        System.arraycopy(img.keys(), 0, keys, 0, i * keySize);
        System.arraycopy(separator, 0, keys, i * keySize, keySize);
        System.arraycopy(img.keys(), i * keySize, keys, (i + 1) * keySize, (n - i) * keySize);
        System.arraycopy(img.children(), 0, children, 0, i + 1);
        children[i + 1] = child;
        System.arraycopy(img.children(), i + 1, children, i + 2, n - i);
        int mid = (n + 1) / 2;
        long right = pager.allocate(PageType.BTREE_INTERNAL);
        writeNode(right, n - mid, keys, mid + 1, children, mid + 1, 0);
        writeNode(node, mid, keys, 0, children, 0, n);
        insertIntoParent(path, slot, level - 1, Arrays.copyOfRange(keys, mid * keySize, (mid + 1) * keySize), right);
    }

    /**
     * Writes {@code count} separators from {@code keys[firstKey..]} and {@code count + 1} children
     * from {@code children[firstChild..]} into an inner node that held {@code oldCount} entries.
     */
    private void writeNode(long page, int count, byte[] keys, int firstKey, long[] children, int firstChild,
            int oldCount) {
        try (PageCursor c = pager.write(page)) {
            c.putShort(InternalPage.COUNT_OFFSET, count);
            c.putLong(InternalPage.CHILD0_OFFSET, children[firstChild]);
            for (int j = 0; j < count; j++) {
                int at = InternalPage.keyOffset(j, keySize);
                c.putBytes(at, keys, (firstKey + j) * keySize, keySize);
                c.putLong(at + keySize, children[firstChild + j + 1]);
            }
            if (oldCount > count) {
                c.putBytes(InternalPage.keyOffset(count, keySize), zeros, 0,
                        (oldCount - count) * InternalPage.entrySize(keySize));
            }
        }
    }

    private void growRoot(byte[] separator, long right) {
        long newRoot = pager.allocate(PageType.BTREE_INTERNAL);
        try (PageCursor c = pager.write(newRoot)) {
            c.putShort(InternalPage.COUNT_OFFSET, 1);
            c.putLong(InternalPage.CHILD0_OFFSET, root);
            c.putBytes(InternalPage.keyOffset(0, keySize), separator, 0, keySize);
            c.putLong(InternalPage.childOffset(1, keySize), right);
        }
        root = newRoot;
        height++;
        writeMeta();
    }

    /** Unlinks the emptied leaf {@code path[h-1]} from its siblings and its parent, and frees it. */
    private void dropLeaf(long[] path, int[] slot, int h) {
        long leaf = path[h - 1];
        LeafImage img = readLeaf(leaf);
        linkLeaves(img.prev(), img.next());
        pager.free(leaf);
        removeChild(path, slot, h - 2);
    }

    /** Makes {@code prev} and {@code next} (either may be 0) neighbours in the leaf chain. */
    private void linkLeaves(long prev, long next) {
        if (prev != 0) {
            try (PageCursor c = pager.write(prev)) {
                c.putLong(LeafPage.NEXT_OFFSET, next);
            }
        }
        if (next != 0) {
            try (PageCursor c = pager.write(next)) {
                c.putLong(LeafPage.PREV_OFFSET, prev);
            }
        }
    }

    /**
     * Removes child {@code slot[level]} (already freed) from inner node {@code path[level]}. A node
     * losing its only child is freed and removed from its own parent; a root left with one child
     * is collapsed.
     */
    private void removeChild(long[] path, int[] slot, int level) {
        long node = path[level];
        int i = slot[level];
        NodeImage img = readNode(node);
        int n = img.count();
        if (n == 0) {
            // The root always has two or more children (it is collapsed otherwise), so some
            // ancestor keeps a child and this recursion stops below the root.
            if (level == 0) {
                throw new CorruptionException(pager.path(), node, "B+tree root has a single child");
            }
            pager.free(node);
            removeChild(path, slot, level - 1);
            return;
        }
        int e = InternalPage.entrySize(keySize);
        try (PageCursor c = pager.write(node)) {
            if (i == 0) {
                // Child 1 becomes child 0 and separator 0 goes: keys below it now go to the old
                // child 1, whose range simply widens to the left.
                c.putLong(InternalPage.CHILD0_OFFSET, img.children()[1]);
                move(c, InternalPage.keyOffset(1, keySize), InternalPage.keyOffset(0, keySize), (n - 1) * e);
            } else {
                // Separator i-1 and child i go: child i-1's range widens to the right.
                move(c, InternalPage.keyOffset(i, keySize), InternalPage.keyOffset(i - 1, keySize), (n - i) * e);
            }
            c.putBytes(InternalPage.keyOffset(n - 1, keySize), zeros, 0, e);
            c.putShort(InternalPage.COUNT_OFFSET, n - 1);
        }
        if (level == 0 && n == 1) {
            collapseRoot();
        }
    }

    /** While the root is an inner node with one child, makes that child the root. */
    private void collapseRoot() {
        while (height > 1) {
            NodeImage img = readNode(root);
            if (img.count() > 0) {
                break;
            }
            long old = root;
            root = img.children()[0];
            height--;
            pager.free(old);
        }
        writeMeta();
    }

    /**
     * The leaf {@code path[h-1]} fell below a quarter full: it merges with its left neighbour under
     * the same parent, else its right one, if the two fit in three quarters of a page together. The
     * right one's keys move into the left one and the right page is freed. The slack keeps a merged
     * leaf from splitting again soon; trying both sides lets a run of drained leaves coalesce.
     */
    private void mergeWithNeighbour(long[] path, int[] slot, int h) {
        int level = h - 2;
        int i = slot[level];
        long leaf = path[h - 1];
        NodeImage parent = readNode(path[level]);
        LeafImage self = readLeaf(leaf);
        long before = i > 0 ? parent.children()[i - 1] : 0;
        long after = i < parent.count() ? parent.children()[i + 1] : 0;
        if (before != 0 && merge(before, readLeaf(before), leaf, self)) {
            slot[level] = i;
            removeChild(path, slot, level);
        } else if (after != 0 && merge(leaf, self, after, readLeaf(after))) {
            slot[level] = i + 1;
            removeChild(path, slot, level);
        }
    }

    /**
     * Moves the keys of leaf {@code right} into its left neighbour {@code left} and frees it, if
     * they fit in three quarters of a page; the caller then removes {@code right} from the parent.
     */
    private boolean merge(long left, LeafImage l, long right, LeafImage r) {
        if (l.next() != right || r.prev() != left) {
            throw new CorruptionException(pager.path(), left, "B+tree sibling links disagree with the parent");
        }
        if (l.count() + r.count() > leafCapacity * 3 / 4) {
            return false;
        }
        try (PageCursor c = pager.write(left)) {
            c.putBytes(LeafPage.keyOffset(l.count(), keySize), r.keys(), 0, r.count() * keySize);
            c.putShort(LeafPage.COUNT_OFFSET, l.count() + r.count());
            c.putLong(LeafPage.NEXT_OFFSET, r.next());
        }
        if (r.next() != 0) {
            try (PageCursor c = pager.write(r.next())) {
                c.putLong(LeafPage.PREV_OFFSET, left);
            }
        }
        pager.free(right);
        return true;
    }

    // ---- checking (tests, tools) ----

    /** Shape of a checked tree. */
    record Stats(long keys, int leaves, int innerNodes) {}

    /**
     * Walks the whole tree under the write lock and checks every invariant: page types, counts,
     * key order within pages and against the parents' separators, equal leaf depth, no empty leaf
     * but a root, a sibling chain that matches the key order both ways, and the key count.
     *
     * @throws IllegalStateException naming the first violation
     */
    Stats verify() {
        lock();
        try {
            List<Long> leaves = new ArrayList<>();
            int[] inner = new int[1];
            long keys = verifyNode(root, 1, null, null, leaves, inner);
            for (int j = 0; j < leaves.size(); j++) {
                LeafImage img = readLeaf(leaves.get(j));
                long expectPrev = j == 0 ? 0 : leaves.get(j - 1);
                long expectNext = j == leaves.size() - 1 ? 0 : leaves.get(j + 1);
                if (img.prev() != expectPrev || img.next() != expectNext) {
                    throw new IllegalStateException("leaf " + leaves.get(j) + " links " + img.prev() + "/" + img.next()
                            + ", expected " + expectPrev + "/" + expectNext);
                }
            }
            if (keys != size) {
                throw new IllegalStateException("tree holds " + keys + " keys, size() says " + size);
            }
            return new Stats(keys, leaves.size(), inner[0]);
        } finally {
            unlock();
        }
    }

    private long verifyNode(long page, int depth, byte[] low, byte[] high, List<Long> leaves, int[] inner) {
        if (depth == height) {
            LeafImage img = readLeaf(page);
            if (img.count() == 0 && depth > 1) {
                throw new IllegalStateException("empty leaf " + page + " below the root");
            }
            checkRun(page, img.keys(), img.count(), low, high);
            leaves.add(page);
            return img.count();
        }
        NodeImage img = readNode(page);
        if (img.count() == 0 && depth == 1) {
            throw new IllegalStateException("root " + page + " has a single child");
        }
        inner[0]++;
        checkRun(page, img.keys(), img.count(), low, high);
        long keys = 0;
        for (int j = 0; j <= img.count(); j++) {
            byte[] lo = j == 0 ? low : Arrays.copyOfRange(img.keys(), (j - 1) * keySize, j * keySize);
            byte[] hi = j == img.count() ? high : Arrays.copyOfRange(img.keys(), j * keySize, (j + 1) * keySize);
            keys += verifyNode(img.children()[j], depth + 1, lo, hi, leaves, inner);
        }
        return keys;
    }

    /** Checks that n keys are strictly ascending and within [low, high). */
    private void checkRun(long page, byte[] keys, int n, byte[] low, byte[] high) {
        for (int j = 0; j < n; j++) {
            int at = j * keySize;
            if (j > 0 && Arrays.compareUnsigned(keys, at - keySize, at, keys, at, at + keySize) >= 0) {
                throw new IllegalStateException("page " + page + ": key " + j + " is not above key " + (j - 1));
            }
            if (low != null && Keys.compare(keys, at, keySize, low) < 0
                    || high != null && Keys.compare(keys, at, keySize, high) >= 0) {
                throw new IllegalStateException("page " + page + ": key " + j + " is outside its parent's range");
            }
        }
    }
}
