package dev.sablegraph.internal.index;

import dev.sablegraph.internal.storage.PageCursor;

/**
 * Layout of a B+tree inner node (page type {@code BTREE_INTERNAL}); k is the key size, and an
 * entry is a separator key followed by the child to its right. After the common page header:
 *
 * <pre>
 * offset            size  field
 *   16              u16   n: separator keys, 0 .. capacity; the node has n + 1 children
 *   18              6     reserved, zero
 *   24              u64   child 0
 *   32 + i(k+8)     k     separator i (i &lt; n), strictly ascending
 *   32 + i(k+8) + k u64   child i + 1
 *                         the rest of the page is zero
 * </pre>
 *
 * <p>Invariant: every key under child i is &ge; separator i-1 (if i &gt; 0) and &lt; separator i
 * (if i &lt; n), so a search for x follows child (number of separators &le; x). n = 0, a node with
 * one child, is legal below the root: deletion leaves such nodes behind; a root with one child is
 * always collapsed. capacity = (pageSize - 32) / (k + 8): 409 with 12-byte keys at 8 KiB.
 */
final class InternalPage {
    static final int COUNT_OFFSET = 16;
    static final int CHILD0_OFFSET = 24;
    static final int ENTRIES_OFFSET = 32;

    private InternalPage() {}

    static int capacity(int pageSize, int keySize) {
        return (pageSize - ENTRIES_OFFSET) / entrySize(keySize);
    }

    static int entrySize(int keySize) {
        return keySize + Long.BYTES;
    }

    /** Offset of separator i, which is also where entry i starts. */
    static int keyOffset(int i, int keySize) {
        return ENTRIES_OFFSET + i * entrySize(keySize);
    }

    static int childOffset(int i, int keySize) {
        return i == 0 ? CHILD0_OFFSET : keyOffset(i - 1, keySize) + keySize;
    }

    /** The child a search for {@code key} follows: separators &le; key; child 0 for a null key. */
    static int childIndex(PageCursor c, int n, int keySize, byte[] key, byte[] scratch) {
        return key == null ? 0 : Keys.rank(c, ENTRIES_OFFSET, entrySize(keySize), n, keySize, key, true, scratch);
    }
}
