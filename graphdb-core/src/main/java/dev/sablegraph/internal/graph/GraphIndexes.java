package dev.sablegraph.internal.graph;

import dev.sablegraph.core.Node;
import dev.sablegraph.internal.graph.codec.IndexKeys;
import dev.sablegraph.internal.graph.codec.NodeRecord;
import dev.sablegraph.internal.graph.codec.PropertyList;
import dev.sablegraph.internal.index.BTree;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The label and property indexes: which entries a node state has, adding and dropping them, and
 * lookups of candidate node ids. A node state has one label entry per label and one property
 * entry per (label, property) pair ({@link IndexKeys}).
 *
 * <p>An entry may outlive the state that had it (the transaction layer keeps entries that old
 * snapshots still need), so lookups return candidates that callers check against each node's
 * state. The one rule by which an entry is judged against the data is {@link #justified}.
 *
 * <p>Not synchronised: {@link GraphStore}'s callers guard it.
 */
final class GraphIndexes {
    private final BTree labelIndex;
    private final BTree propertyIndex;
    private final Tokens tokens;
    private final EntityRecords<NodeRecord> nodes;

    GraphIndexes(BTree labelIndex, BTree propertyIndex, Tokens tokens, EntityRecords<NodeRecord> nodes) {
        this.labelIndex = labelIndex;
        this.propertyIndex = propertyIndex;
        this.tokens = tokens;
        this.nodes = nodes;
    }

    /** One index key, compared by content. */
    record Entry(boolean label, byte[] key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.label == label && Arrays.equals(e.key, key);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key) * 31 + (label ? 1 : 0);
        }
    }

    /** The label index ({@code true}) or the property index. */
    BTree tree(boolean label) {
        return label ? labelIndex : propertyIndex;
    }

    void add(Entry e) {
        tree(e.label()).insert(e.key());
    }

    void drop(Entry e) {
        tree(e.label()).delete(e.key());
    }

    /** The entries of a stored state, per label its label entry then its property entries. */
    Set<Entry> entries(NodeRecord r, long id) {
        Set<Entry> out = new LinkedHashSet<>();
        for (int label : r.labels()) {
            out.add(new Entry(true, IndexKeys.label(label, id)));
            PropertyList p = r.properties();
            for (int i = 0; i < p.size(); i++) {
                out.add(new Entry(false, IndexKeys.property(label, p.key(i), p.value(i), id)));
            }
        }
        return out;
    }

    /** The entries of a node state given by name; names never stored have no entries. */
    Set<Entry> entries(Node n) {
        Set<Entry> out = new LinkedHashSet<>();
        for (String labelName : n.labels()) {
            int label = tokens.idOf(TokenKind.LABEL, labelName);
            if (label < 0) {
                continue;
            }
            out.add(new Entry(true, IndexKeys.label(label, n.id())));
            for (Map.Entry<String, Object> p : n.properties().entrySet()) {
                int key = tokens.idOf(TokenKind.PROPERTY_KEY, p.getKey());
                if (key >= 0) {
                    out.add(new Entry(false, IndexKeys.property(label, key, p.getValue(), n.id())));
                }
            }
        }
        return out;
    }

    /** Whether the stored state of the node an index key names has that entry. */
    boolean justified(boolean label, byte[] key) {
        long id = nodeOf(label, key);
        NodeRecord r = nodes.find(id);
        return r != null && entries(r, id).contains(new Entry(label, key));
    }

    /** The node an index key names. */
    static long nodeOf(boolean label, byte[] key) {
        return label ? IndexKeys.labelKeyNode(key) : IndexKeys.propertyKeyNode(key);
    }

    /**
     * Drops the entries of the given nodes that their stored states do not have, in one pass over
     * both indexes; returns how many.
     */
    long dropUnjustified(long[] nodeIds) {
        if (nodeIds.length == 0) {
            return 0;
        }
        long[] sorted = nodeIds.clone();
        Arrays.sort(sorted);
        List<Entry> stale = new ArrayList<>();
        for (boolean label : new boolean[] {true, false}) {
            tree(label).forEachPrefix(new byte[0], key -> {
                if (Arrays.binarySearch(sorted, nodeOf(label, key)) >= 0 && !justified(label, key)) {
                    stale.add(new Entry(label, key));
                }
            });
        }
        stale.forEach(this::drop);
        return stale.size();
    }

    /** Ids of nodes with an entry for the label token, ascending, read lazily. */
    Iterator<Long> labelCandidates(int label) {
        return ids(labelIndex, IndexKeys.labelPrefix(label), IndexKeys.LABEL_KEY_SIZE, 4);
    }

    /** Ids of nodes with an entry for (label, key) and the value's digest, ascending, read lazily. */
    Iterator<Long> propertyCandidates(int label, int key, Object value) {
        return ids(propertyIndex, IndexKeys.propertyPrefix(label, key, value), IndexKeys.PROPERTY_KEY_SIZE,
                IndexKeys.PROPERTY_KEY_SIZE - 8);
    }

    private static Iterator<Long> ids(BTree tree, byte[] prefix, int keySize, int idOffset) {
        BTree.Cursor cursor = tree.seek(IndexKeys.lowest(prefix, keySize), IndexKeys.after(prefix, keySize));
        return new Iterator<>() {
            private Boolean ready;

            @Override
            public boolean hasNext() {
                if (ready == null) {
                    ready = cursor.next();
                }
                return ready;
            }

            @Override
            public Long next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = null;
                return ByteBuffer.wrap(cursor.key()).getLong(idOffset);
            }
        };
    }

    long propertyIndexSize() {
        return propertyIndex.size();
    }
}
