package dev.sablegraph.jmh.scale;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ObjIntConsumer;

/**
 * Checks a stored copy of {@link ScaleDataset} against the dataset, whichever engine holds it:
 * every node's labels and properties, and its outgoing edges (type, no properties, targets). The
 * engine's harness reads nodes through a {@link NodeSource}; the rule of what must match lives here.
 */
public final class ScaleVerifier {
    /** Nodes read per transaction. */
    static final int BATCH = 10_000;

    private ScaleVerifier() {}

    /** One stored node as the check sees it; {@code outgoing} in any order. */
    public record StoredNode(Set<String> labels, Map<String, Object> properties, List<StoredEdge> outgoing) {}

    /** One stored outgoing edge: its type, properties and target node id. */
    public record StoredEdge(String type, Map<String, Object> properties, long to) {}

    /** Reads the dataset's nodes from an engine. */
    @FunctionalInterface
    public interface NodeSource {
        /**
         * In one read transaction, reads dataset nodes {@code from} (inclusive) to {@code to}
         * (exclusive) and hands each to {@code check} with its dataset index; throws if one is missing.
         */
        void read(int from, int to, ObjIntConsumer<StoredNode> check);
    }

    /**
     * Checks dataset nodes 0 to {@code n - 1}, whose stored ids are {@code base + i}; throws at the
     * first difference. Returns the counts checked and the time taken.
     */
    public static Map<String, Object> verify(NodeSource source, long base, int n, int edgesPerNode) {
        long t0 = System.nanoTime();
        SplittableRandom nodes = ScaleDataset.stream();
        SplittableRandom edges = ScaleDataset.edgeStream(n);
        long[] edgesChecked = new long[1];
        long[] expected = new long[edgesPerNode];
        for (int from = 0; from < n; from += BATCH) {
            source.read(from, Math.min(n, from + BATCH), (node, i) -> {
                Map<String, Object> props = ScaleDataset.nodeProperties(i, nodes);
                if (!node.labels().equals(Set.of(ScaleDataset.label(i))) || !node.properties().equals(props)) {
                    throw new IllegalStateException("node " + (base + i) + " has labels " + node.labels()
                            + " and properties " + node.properties() + ", expected " + ScaleDataset.label(i) + " and " + props);
                }
                for (int k = 0; k < edgesPerNode; k++) {
                    expected[k] = base + ScaleDataset.edgeTarget(i, n, edges);
                }
                long[] actual = new long[node.outgoing().size()];
                for (int k = 0; k < actual.length; k++) {
                    StoredEdge e = node.outgoing().get(k);
                    if (!e.type().equals(ScaleDataset.EDGE_TYPE) || !e.properties().isEmpty()) {
                        throw new IllegalStateException("node " + (base + i) + " has an edge " + e);
                    }
                    actual[k] = e.to();
                }
                Arrays.sort(expected);
                Arrays.sort(actual);
                if (!Arrays.equals(expected, actual)) {
                    throw new IllegalStateException("node " + (base + i) + " has edges to " + Arrays.toString(actual)
                            + ", expected " + Arrays.toString(expected));
                }
                edgesChecked[0] += actual.length;
            });
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ScaleRun.log("verified: %,d nodes and %,d edges as the dataset has them (%.1f s)", n, edgesChecked[0], seconds);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodes", (long) n);
        m.put("edges", edgesChecked[0]);
        m.put("seconds", seconds);
        return m;
    }
}
