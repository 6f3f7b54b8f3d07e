package dev.sablegraph.internal.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.graph.codec.NodeRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chains grow by blocks of doubling capacity, are walked in both directions, and are freed when empty. */
class AdjacencyTest {
    @TempDir
    Path dir;

    @Test
    void chainsGrowAreWalkedAndGiveTheirSpaceBackWhenTheLastEdgeGoes() {
        try (GraphStore store = GraphStore.open(dir, GraphConfig.builder().pageCacheBytes(1 << 20).build())) {
            Adjacency adjacency = store.adjacency();
            long hub = store.reserveNodeId();
            long leaf = store.reserveNodeId();
            store.createNode(hub, Set.of(), Map.of());
            store.createNode(leaf, Set.of(), Map.of());
            int type = 1;
            List<long[]> links = new ArrayList<>();
            for (long edge = 0; edge < 2 + 4 + 8 + 16 + 1; edge++) {
                long out = adjacency.link(store.nodes().requireLocated(hub), type, true, edge, leaf);
                long in = adjacency.link(store.nodes().requireLocated(leaf), type, false, edge, hub);
                links.add(new long[] {edge, out, in});
            }
            NodeRecord.EdgeGroup g = store.nodes().require(hub).group(type);
            assertEquals(31, g.outCount());
            assertEquals(List.of(32, 16, 8, 4, 2), capacities(adjacency, g.outHead()), "newest block first");

            List<Long> seen = new ArrayList<>();
            adjacency.forEach(leaf, store.nodes().require(leaf), Direction.BOTH, -1, (edge, other) -> seen.add(edge));
            assertEquals(31, seen.size());
            assertEquals(10, adjacency.blocks().recordCount(), "five blocks at each end");

            for (long[] l : links) {
                adjacency.unlink(hub, type, true, l[1], l[0], leaf);
                adjacency.unlink(leaf, type, false, l[2], l[0], hub);
            }
            assertEquals(0, store.nodes().require(hub).groups().length);
            assertEquals(0, adjacency.blocks().recordCount());
        }
    }

    @Test
    void storedDegreeCountsEachSelfLoopOnceBothWays() {
        try (GraphStore store = GraphStore.open(dir, GraphConfig.builder().pageCacheBytes(1 << 20).build())) {
            long a = store.reserveNodeId();
            long b = store.reserveNodeId();
            store.createNode(a, Set.of(), Map.of());
            store.createNode(b, Set.of(), Map.of());
            long[] edges = new long[4];
            for (int i = 0; i < edges.length; i++) {
                edges[i] = store.reserveEdgeId();
            }
            store.createEdge(edges[0], a, a, "LOOP", Map.of());
            store.createEdge(edges[1], a, a, "LOOP", Map.of());
            store.createEdge(edges[2], a, b, "LOOP", Map.of());
            store.createEdge(edges[3], b, a, "OTHER", Map.of());
            for (Direction d : Direction.values()) {
                for (String type : new String[] {null, "LOOP", "OTHER", "NONE"}) {
                    List<Long> visited = new ArrayList<>();
                    store.forEachAdjacent(a, d, type, (edge, other) -> visited.add(edge));
                    assertEquals(visited.size(), store.storedDegree(a, d, type), d + " " + type);
                }
            }
            assertEquals(2, store.nodes().require(a).group(store.tokens().idOf(TokenKind.EDGE_TYPE, "LOOP")).loops());
            store.purgeEdge(edges[0]);
            assertEquals(3, store.storedDegree(a, Direction.BOTH, null));
            assertEquals(2, store.storedDegree(a, Direction.OUTGOING, "LOOP"));
            assertEquals(1, store.storedDegree(a, Direction.INCOMING, "LOOP"));
            assertEquals(0, store.storedDegree(a + b + 1, Direction.BOTH, null), "no such node");
        }
    }

    @Test
    void aGroupWithoutASelfLoopCountCannotTellBoth() {
        try (GraphStore store = GraphStore.open(dir, GraphConfig.builder().pageCacheBytes(1 << 20).build())) {
            NodeRecord.EdgeGroup old = new NodeRecord.EdgeGroup(1, 0, 0, 3, 2, NodeRecord.EdgeGroup.UNKNOWN_LOOPS);
            NodeRecord r = new NodeRecord(new int[0], new NodeRecord.EdgeGroup[] {old, NodeRecord.EdgeGroup.empty(2)},
                    dev.sablegraph.internal.graph.codec.PropertyList.EMPTY);
            assertEquals(3, store.adjacency().count(r, Direction.OUTGOING, -1));
            assertEquals(2, store.adjacency().count(r, Direction.INCOMING, 1));
            assertEquals(-1, store.adjacency().count(r, Direction.BOTH, -1), "the caller walks the chains instead");
            assertEquals(0, store.adjacency().count(r, Direction.BOTH, 2));
        }
    }

    private static List<Integer> capacities(Adjacency adjacency, long head) {
        List<Integer> out = new ArrayList<>();
        for (long ptr = head; ptr != 0; ptr = adjacency.block(ptr).next()) {
            out.add(adjacency.block(ptr).capacity());
        }
        return out;
    }
}
