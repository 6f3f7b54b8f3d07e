package dev.sablegraph.internal.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.internal.graph.codec.EdgeRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The bulk path for edges ({@link GraphStore#newEdgeRecord}, {@link GraphStore#linkAll} per node with
 * a run per type, {@link GraphStore#insertLinkedEdge}, the record as such or encoded and filled in)
 * leaves the same graph as one {@link GraphStore#createEdge} per edge: every node lists the same
 * edges in each direction, the counts agree, and the integrity check finds the store clean, also
 * when runs extend chains that single edges started and runs cross block sizes (4, 8, ... 120
 * entries).
 */
class LinkAllProperties {
    private static final GraphConfig CONFIG = GraphConfig.builder().pageCacheBytes(4L << 20).build();

    /** Each code is an edge among 6 nodes: start {@code c % 6}, end {@code c / 6 % 6}, type A below 18, else B. */
    @Property(tries = 40)
    void runsLinkLikeSingleEdges(@ForAll @Size(max = 400) List<@IntRange(max = 35) Integer> edges,
            @ForAll @IntRange(max = 50) int singleFirst) throws IOException {
        Path one = Files.createTempDirectory("link-one");
        Path bulk = Files.createTempDirectory("link-bulk");
        try {
            assertEquals(adjacency(one, edges, edges.size()), adjacency(bulk, edges, Math.min(singleFirst, edges.size())));
        } finally {
            delete(one);
            delete(bulk);
        }
    }

    /**
     * Builds the graph, the first {@code singles} edges one at a time and the rest in runs as a
     * bulk load makes them (outgoing runs by start node, then incoming runs by end node); returns
     * each node's edges per direction.
     */
    private static Map<String, List<Edge>> adjacency(Path dir, List<Integer> codes, int singles) {
        try (GraphStore store = GraphStore.open(dir, CONFIG)) {
            for (int i = 0; i < 6; i++) {
                store.createNode(store.reserveNodeId(), List.of("N"), Map.of());
            }
            List<long[]> rest = new ArrayList<>(); // id, from, to
            for (int i = 0; i < codes.size(); i++) {
                int c = codes.get(i);
                long from = c % 6;
                long to = (c / 6) % 6;
                String type = c >= 18 ? "B" : "A";
                long id = store.reserveEdgeId();
                if (i < singles) {
                    store.createEdge(id, from, to, type, Map.of("i", (long) i));
                } else {
                    rest.add(new long[] {id, from, to, c >= 18 ? 1 : 0, i});
                }
            }
            EdgeRecord[] records = new EdgeRecord[codes.size()];
            for (long[] e : rest) {
                records[(int) e[4]] = store.newEdgeRecord(e[1], e[2], e[3] == 1 ? "B" : "A", Map.of("i", e[4]));
            }
            long[] outBlocks = new long[codes.size()];
            link(store, rest, records, true, outBlocks);
            long[] inBlocks = new long[codes.size()];
            link(store, rest, records, false, inBlocks);
            for (long[] e : rest) {
                int i = (int) e[4];
                EdgeRecord r = records[i];
                EdgeRecord linked = new EdgeRecord(r.from(), r.to(), r.type(), outBlocks[i], inBlocks[i], r.properties());
                if (i % 2 == 0) {
                    store.insertLinkedEdge(e[0], linked);
                } else {
                    // as a bulk load stores it: staged before the blocks were known, filled in, then stored
                    byte[] staged = r.encodeStaged();
                    EdgeRecord.setStagedBlock(staged, 0, true, outBlocks[i]);
                    EdgeRecord.setStagedBlock(staged, 0, false, inBlocks[i]);
                    byte[] encoded = EdgeRecord.storedFromStaged(staged, 0, staged.length);
                    assertArrayEquals(linked.encode(), encoded);
                    store.insertLinkedEdge(e[0], encoded);
                }
            }
            IntegrityReport.Builder report = IntegrityReport.builder();
            store.checkIntegrity(id -> false, report);
            IntegrityReport done = report.build();
            assertTrue(done.isClean(), done::toString);
            Map<String, List<Edge>> out = new TreeMap<>();
            for (long n = 0; n < 6; n++) {
                for (Direction d : Direction.values()) {
                    List<Edge> listed = new ArrayList<>();
                    store.forEachAdjacent(n, d, null, (edge, other) -> listed.add(store.edge(edge)));
                    listed.sort(Comparator.comparingLong(Edge::id));
                    out.put(n + " " + d, listed);
                }
                assertEquals(out.get(n + " BOTH").size(), store.degree(n) - selfLoops(out.get(n + " OUTGOING"), n));
            }
            return out;
        }
    }

    private static long selfLoops(List<Edge> outgoing, long node) {
        return outgoing.stream().filter(e -> e.to() == node).count();
    }

    /** Links the edges' entries at one end, a call per node with a run per type, in id order within a run. */
    private static void link(GraphStore store, List<long[]> edges, EdgeRecord[] records, boolean outgoing,
            long[] blocks) {
        List<long[]> sorted = new ArrayList<>(edges);
        sorted.sort(Comparator.<long[]>comparingLong(e -> outgoing ? e[1] : e[2]).thenComparingLong(e -> e[3])
                .thenComparingLong(e -> e[0]));
        for (int start = 0; start < sorted.size(); ) {
            long node = outgoing ? sorted.get(start)[1] : sorted.get(start)[2];
            int end = start;
            while (end < sorted.size() && (outgoing ? sorted.get(end)[1] : sorted.get(end)[2]) == node) {
                end++;
            }
            int m = end - start;
            int[] types = new int[m];
            long[] ids = new long[m];
            long[] others = new long[m];
            long[] listed = new long[m];
            for (int k = 0; k < m; k++) {
                long[] e = sorted.get(start + k);
                types[k] = records[(int) e[4]].type();
                ids[k] = e[0];
                others[k] = outgoing ? e[2] : e[1];
            }
            store.linkAll(node, outgoing, types, ids, others, 0, m, listed);
            for (int k = 0; k < m; k++) {
                blocks[(int) sorted.get(start + k)[4]] = listed[k];
            }
            start = end;
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
