package dev.sablegraph.internal.index;

import dev.sablegraph.internal.storage.PageCursor;

/**
 * Layout of a B+tree leaf (page type {@code BTREE_LEAF}); k is the tree's key size. After the
 * common page header, big endian:
 *
 * <pre>
 * offset  size   field
 *   16    u16    n: keys in the page, 0 .. capacity (0 only when the leaf is the root)
 *   18    6      reserved, zero
 *   24    u64    previous leaf in key order, 0 for the leftmost
 *   32    u64    next leaf in key order, 0 for the rightmost
 *   40    k * n  keys, strictly ascending; the rest of the page is zero
 * </pre>
 *
 * <p>capacity = (pageSize - 40) / k: 679 keys of 12 bytes in an 8 KiB page, 15 of 255 bytes in 4 KiB.
 */
final class LeafPage {
    static final int COUNT_OFFSET = 16;
    static final int PREV_OFFSET = 24;
    static final int NEXT_OFFSET = 32;
    static final int KEYS_OFFSET = 40;

    private LeafPage() {}

    static int capacity(int pageSize, int keySize) {
        return (pageSize - KEYS_OFFSET) / keySize;
    }

    static int keyOffset(int i, int keySize) {
        return KEYS_OFFSET + i * keySize;
    }

    /** Keys below {@code key} (or at most {@code key} when {@code orEqual}); {@code n} already clamped. */
    static int rank(PageCursor c, int n, int keySize, byte[] key, boolean orEqual, byte[] scratch) {
        return Keys.rank(c, KEYS_OFFSET, keySize, n, keySize, key, orEqual, scratch);
    }
}
