package dev.sablegraph.internal.graph;

import dev.sablegraph.core.Node;
import dev.sablegraph.internal.graph.codec.IndexKeys;
import dev.sablegraph.internal.graph.codec.NodeRecord;
import dev.sablegraph.internal.graph.codec.SchemaKeys;
import dev.sablegraph.internal.index.BTree;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The label index and the schema index: which entries a node state has, adding and dropping them,
 * and lookups of candidate node ids. A node state has one label entry per label, and one schema
 * entry per index defined on one of its labels and one of its property keys ({@link SchemaKeys});
 * nothing else is indexed.
 *
 * <p>An entry may outlive the state that had it (the transaction layer keeps entries that old
 * snapshots still need), so lookups return candidates that callers check against each node's
 * state. The one rule by which an entry is judged against the data is {@link #justified}.
 *
 * <p>Not synchronised: {@link GraphStore}'s callers guard it.
 */
final class GraphIndexes {
    /** The two B+trees. */
    enum Tree {
        LABEL("label index"), SCHEMA("schema index");

        final String description;

        Tree(String description) {
            this.description = description;
        }
    }

    private final BTree labelIndex;
    private final BTree schemaIndex;
    private final IndexDefinitions definitions;
    private final Tokens tokens;
    private final EntityRecords<NodeRecord> nodes;

    GraphIndexes(BTree labelIndex, BTree schemaIndex, IndexDefinitions definitions, Tokens tokens,
            EntityRecords<NodeRecord> nodes) {
        this.labelIndex = labelIndex;
        this.schemaIndex = schemaIndex;
        this.definitions = definitions;
        this.tokens = tokens;
        this.nodes = nodes;
    }

    /** One index key, compared by content. */
    record Entry(Tree tree, byte[] key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.tree == tree && Arrays.equals(e.key, key);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key) * 31 + tree.ordinal();
        }
    }

    BTree tree(Tree tree) {
        return tree == Tree.LABEL ? labelIndex : schemaIndex;
    }

    IndexDefinitions definitions() {
        return definitions;
    }

    void add(Entry e) {
        tree(e.tree()).insert(e.key());
    }

    void drop(Entry e) {
        tree(e.tree()).delete(e.key());
    }

    /** The entries of a stored state, per label its label entry then its schema entries. */
    Set<Entry> entries(NodeRecord r, long id) {
        Set<Entry> out = new LinkedHashSet<>();
        for (int label : r.labels()) {
            out.add(new Entry(Tree.LABEL, IndexKeys.label(label, id)));
            for (IndexDefinitions.Definition d : definitions.ofLabel(label)) {
                Entry e = entry(d, r, id);
                if (e != null) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** The entry a stored state has in one index, or null when the state lacks the label or the key. */
    static Entry entry(IndexDefinitions.Definition d, NodeRecord r, long id) {
        if (Arrays.binarySearch(r.labels(), d.label()) < 0) {
            return null;
        }
        Object v = r.properties().get(d.key());
        return v == null ? null : new Entry(Tree.SCHEMA, SchemaKeys.key(d.label(), d.key(), v, id));
    }

    /** The entries of a stored state in indexes that are still being built. */
    Set<Entry> buildingEntries(NodeRecord r, long id) {
        Set<Entry> out = new LinkedHashSet<>();
        for (int label : r.labels()) {
            for (IndexDefinitions.Definition d : definitions.ofLabel(label)) {
                Entry e = d.online() ? null : entry(d, r, id);
                if (e != null) {
                    out.add(e);
                }
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
            out.add(new Entry(Tree.LABEL, IndexKeys.label(label, n.id())));
            for (IndexDefinitions.Definition d : definitions.ofLabel(label)) {
                Object v = n.properties().get(tokens.name(TokenKind.PROPERTY_KEY, d.key()));
                if (v != null) {
                    out.add(new Entry(Tree.SCHEMA, SchemaKeys.key(label, d.key(), v, n.id())));
                }
            }
        }
        return out;
    }

    /** Whether the stored state of the node an index key names has that entry. */
    boolean justified(Tree tree, byte[] key) {
        long id = nodeOf(tree, key);
        NodeRecord r = nodes.find(id);
        return r != null && entries(r, id).contains(new Entry(tree, key));
    }

    /** The node an index key names. */
    static long nodeOf(Tree tree, byte[] key) {
        return tree == Tree.LABEL ? IndexKeys.labelKeyNode(key) : SchemaKeys.nodeOf(key);
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
        for (Tree tree : Tree.values()) {
            tree(tree).forEachPrefix(new byte[0], key -> {
                if (Arrays.binarySearch(sorted, nodeOf(tree, key)) >= 0 && !justified(tree, key)) {
                    stale.add(new Entry(tree, key));
                }
            });
        }
        stale.forEach(this::drop);
        return stale.size();
    }

    /** Ids of nodes with an entry for the label token, ascending from {@code fromId}, read lazily. */
    Iterator<Long> labelCandidates(int label, long fromId) {
        byte[] prefix = IndexKeys.labelPrefix(label);
        BTree.Cursor cursor = labelIndex.seek(IndexKeys.label(label, fromId),
                IndexKeys.after(prefix, IndexKeys.LABEL_KEY_SIZE));
        return ids(cursor, 4);
    }

    /** Ids of nodes with an entry for this value in the index on (label, key), ascending, read lazily. */
    Iterator<Long> valueCandidates(int label, int key, Object value) {
        byte[] prefix = SchemaKeys.valuePrefix(label, key, value);
        return ids(schemaIndex.seekPrefix(prefix), SchemaKeys.VALUE_PREFIX_SIZE);
    }

    private static Iterator<Long> ids(BTree.Cursor cursor, int idOffset) {
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

    long schemaIndexSize() {
        return schemaIndex.size();
    }
}
