package dev.sablegraph.internal.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import dev.sablegraph.internal.graph.codec.SchemaKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which entries a state has, and the one rule that judges an entry against the stored state. */
class GraphIndexesTest {
    @TempDir
    Path dir;

    @Test
    void aStateHasALabelEntryPerLabelAndASchemaEntryPerIndexOnItsLabelsAndKeys() {
        try (GraphStore store = GraphStore.open(dir, GraphConfig.builder().pageCacheBytes(1 << 20).build())) {
            GraphIndexes indexes = store.graphIndexes();
            store.addIndex("A", "k", false);
            store.addIndex("C", "k", false);
            long id = store.reserveNodeId();
            store.createNode(id, Set.of("A", "B"), Map.of("k", 1L, "other", 2L));
            Set<GraphIndexes.Entry> stored = indexes.entries(store.nodes().require(id), id);
            assertEquals(3, stored.size(), "two labels, one index on (A, k); B and 'other' are not indexed");
            assertEquals(stored, indexes.entries(store.node(id)), "by record and by name alike");
            assertEquals(Set.of(), indexes.entries(new Node(id, Set.of("never stored"), Map.of("k", 1L))),
                    "names never stored have no entries");
            for (GraphIndexes.Entry e : stored) {
                assertTrue(indexes.tree(e.tree()).contains(e.key()));
                assertTrue(indexes.justified(e.tree(), e.key()));
            }
        }
    }

    @Test
    void entriesOfAnOlderStateAreUnjustifiedAndDroppedOnlyForTheNodesNamed() {
        try (GraphStore store = GraphStore.open(dir, GraphConfig.builder().pageCacheBytes(1 << 20).build())) {
            GraphIndexes indexes = store.graphIndexes();
            store.addIndex("A", "k", false);
            long id = store.reserveNodeId();
            store.createNode(id, Set.of("A"), Map.of("k", 1L));
            store.replaceNode(id, Set.of("A"), Map.of("k", 2L), false);
            int a = store.tokens().idOf(TokenKind.LABEL, "A");
            int k = store.tokens().idOf(TokenKind.PROPERTY_KEY, "k");
            byte[] old = SchemaKeys.key(a, k, 1L, id);
            assertTrue(indexes.tree(GraphIndexes.Tree.SCHEMA).contains(old), "kept for snapshots");
            assertFalse(indexes.justified(GraphIndexes.Tree.SCHEMA, old));
            List<Long> candidates = new ArrayList<>();
            store.indexCandidates("A", "k", 1L).forEachRemaining(candidates::add);
            assertEquals(List.of(id), candidates, "a stale entry is still a candidate: callers check");

            assertEquals(0, indexes.dropUnjustified(new long[] {id + 1}));
            assertEquals(1, indexes.dropUnjustified(new long[] {id}));
            assertFalse(indexes.tree(GraphIndexes.Tree.SCHEMA).contains(old));
            assertEquals(1, store.propertyIndexSize());
        }
    }
}
