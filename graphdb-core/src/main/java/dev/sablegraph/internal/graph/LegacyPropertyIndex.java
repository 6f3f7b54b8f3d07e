package dev.sablegraph.internal.graph;

import dev.sablegraph.internal.graph.codec.IndexKeys;
import dev.sablegraph.internal.index.BTree;
import dev.sablegraph.internal.storage.Pager;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The automatic property index that databases written before indexes were chosen still hold
 * (root slot {@link StoreLayout#LEGACY_PROPERTY_INDEX_SLOT}, 25-byte keys starting with the label
 * and key tokens). What it is used for, once: the (label, key) pairs it held become indexes of the
 * schema, built from the data like any new index, so an upgraded database keeps fast lookups where
 * it had them; then its entries are deleted in batches and its last pages freed.
 */
final class LegacyPropertyIndex {
    private static final int PAIR_PREFIX = 8;

    private final BTree tree;
    private boolean retired;

    private LegacyPropertyIndex(BTree tree) {
        this.tree = tree;
    }

    /** The legacy index of this file, or null when it has none (new files, or retired already). */
    static LegacyPropertyIndex find(Pager pager) {
        if (pager.root(StoreLayout.LEGACY_PROPERTY_INDEX_SLOT) == 0) {
            return null;
        }
        return new LegacyPropertyIndex(BTree.open(pager, StoreLayout.LEGACY_PROPERTY_INDEX_SLOT,
                IndexKeys.PROPERTY_KEY_SIZE));
    }

    /**
     * The distinct (label token, key token) pairs with entries, each as {@code {label, key}}: one
     * seek per pair, not a pass over the entries.
     */
    List<int[]> pairs() {
        List<int[]> pairs = new ArrayList<>();
        byte[] from = new byte[0];
        while (from != null) {
            BTree.Cursor c = tree.seek(from, null);
            if (!c.next()) {
                break;
            }
            ByteBuffer k = ByteBuffer.wrap(c.key());
            int label = k.getInt(0);
            int key = k.getInt(4);
            pairs.add(new int[] {label, key});
            from = IndexKeys.after(ByteBuffer.allocate(PAIR_PREFIX).putInt(label).putInt(key).array(),
                    IndexKeys.PROPERTY_KEY_SIZE);
        }
        return pairs;
    }

    /**
     * Deletes up to {@code max} entries; when none are left, frees the tree's last pages and
     * clears its root slot. Returns how many entries it deleted (0 once retired).
     */
    int deleteSome(int max) {
        if (retired) {
            return 0;
        }
        List<byte[]> batch = new ArrayList<>(Math.min(max, 4096));
        BTree.Cursor c = tree.seek(new byte[0], null);
        while (batch.size() < max && c.next()) {
            batch.add(c.key());
        }
        batch.forEach(tree::delete);
        if (tree.size() == 0) {
            tree.release();
            retired = true;
        }
        return batch.size();
    }

    /** True once its pages are freed and its root slot cleared. */
    boolean retired() {
        return retired;
    }
}
