package dev.sablegraph.internal.record;

import dev.sablegraph.internal.storage.MetaPageKind;

/**
 * Page layout and id arithmetic of an {@link IdMap}. All three page kinds share one layout (META
 * pages; big endian like every Sable page):
 *
 * <pre>
 *  0  common page header, type META
 * 16  u8   kind: 2 root, 3 directory, 4 leaf ({@link MetaPageKind}; offset {@code MetaPage.KIND_OFFSET})
 * 17  7    reserved, zero
 * 24  u64  root: next id (ids below it are allocated); directory and leaf: first id covered
 * 32  u64 × F  entries: root and directory: child page (0 = absent); leaf: the values
 * </pre>
 *
 * <p>F = (pageSize − 32) / 8: 508 at 4 KiB, 1020 at 8 KiB, 8188 at 64 KiB. Page sizes are powers
 * of two, so the entries end exactly at the end of the page. An id is split into three digits of
 * base F, {@code id = r·F² + d·F + l}: root entry r names a directory, its entry d names a leaf,
 * whose entry l is the value. Capacity is F³ ids (about 1.06 billion at 8 KiB).
 *
 * <p>Why "first id covered" in directories and leaves: a child link that points at the wrong page of
 * the right kind (a stale or misdirected link) is caught on the first read instead of returning
 * another entity's value.
 */
final class IdMapLayout {
    /** Root: the next id. Directory, leaf: the first id the page covers. */
    static final int COUNTER_OFFSET = 24;
    static final int ENTRIES_OFFSET = 32;

    /** Levels of the tree, root first; a page of level n has kind {@link #kind kind(n)}. */
    static final int ROOT = 0;
    static final int DIRECTORY = 1;
    static final int LEAF = 2;

    /** Entries per page. */
    final int fanOut;
    /** Ids one directory covers: F². */
    final long perDirectory;
    /** Ids the map can hold: F³. */
    final long capacity;

    IdMapLayout(int pageSize) {
        this.fanOut = (pageSize - ENTRIES_OFFSET) / Long.BYTES;
        this.perDirectory = (long) fanOut * fanOut;
        this.capacity = perDirectory * fanOut;
    }

    static int entryOffset(int index) {
        return ENTRIES_OFFSET + index * Long.BYTES;
    }

    private static final MetaPageKind[] KIND_OF_LEVEL = {
        MetaPageKind.ID_MAP_ROOT, MetaPageKind.ID_MAP_DIRECTORY, MetaPageKind.ID_MAP_LEAF
    };

    static MetaPageKind kind(int level) {
        return KIND_OF_LEVEL[level];
    }

    /** The entry of a page of {@code level} on the path to {@code id}. */
    int index(int level, long id) {
        switch (level) {
            case ROOT:
                return rootIndex(id);
            case DIRECTORY:
                return directoryIndex(id);
            default:
                return leafIndex(id);
        }
    }

    /** The first id a page of {@code level} on the path to {@code id} covers (0 for the root). */
    long base(int level, long id) {
        switch (level) {
            case ROOT:
                return 0;
            case DIRECTORY:
                return directoryBase(id);
            default:
                return leafBase(id);
        }
    }

    /** Root entry of {@code id}; below F whenever {@code id < capacity}. */
    int rootIndex(long id) {
        return (int) (id / perDirectory);
    }

    int directoryIndex(long id) {
        return (int) (id / fanOut % fanOut);
    }

    int leafIndex(long id) {
        return (int) (id % fanOut);
    }

    /** First id of the directory that covers {@code id}. */
    long directoryBase(long id) {
        return id - id % perDirectory;
    }

    /** First id of the leaf that covers {@code id}. */
    long leafBase(long id) {
        return id - id % fanOut;
    }
}
