package dev.sablegraph.jmh.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** {@link ScaleVerifier} accepts the dataset and names the first node that differs from it. */
class ScaleVerifierTest {
    private static final int N = 25_000;
    private static final int EDGES = 3;
    private static final long BASE = 7;

    /** The dataset as stored nodes, each passed through {@code change}. */
    private static List<ScaleVerifier.StoredNode> dataset(int node, UnaryOperator<ScaleVerifier.StoredNode> change) {
        SplittableRandom nodes = ScaleDataset.stream();
        SplittableRandom edges = ScaleDataset.edgeStream(N);
        List<ScaleVerifier.StoredNode> stored = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Map<String, Object> props = ScaleDataset.nodeProperties(i, nodes);
            List<ScaleVerifier.StoredEdge> out = new ArrayList<>();
            for (int k = 0; k < EDGES; k++) {
                out.add(new ScaleVerifier.StoredEdge(ScaleDataset.EDGE_TYPE, Map.of(), BASE + ScaleDataset.edgeTarget(i, N, edges)));
            }
            ScaleVerifier.StoredNode n = new ScaleVerifier.StoredNode(Set.of(ScaleDataset.label(i)), props, out);
            stored.add(i == node ? change.apply(n) : n);
        }
        return stored;
    }

    private static Map<String, Object> verify(List<ScaleVerifier.StoredNode> stored) {
        return ScaleVerifier.verify((from, to, check) -> {
            for (int i = from; i < to; i++) {
                check.accept(stored.get(i), i);
            }
        }, BASE, N, EDGES);
    }

    @Test
    void theDatasetPasses() {
        Map<String, Object> m = verify(dataset(-1, n -> n));
        assertEquals((long) N, m.get("nodes"));
        assertEquals((long) N * EDGES, m.get("edges"));
    }

    @Test
    void aWrongEdgeTargetIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> verify(dataset(12_345, n -> {
            List<ScaleVerifier.StoredEdge> out = new ArrayList<>(n.outgoing());
            out.set(0, new ScaleVerifier.StoredEdge(ScaleDataset.EDGE_TYPE, Map.of(), out.get(0).to() + 1));
            return new ScaleVerifier.StoredNode(n.labels(), n.properties(), out);
        })));
        assertTrue(e.getMessage().startsWith("node " + (BASE + 12_345) + " has edges to"), e.getMessage());
    }

    @Test
    void aMissingEdgeAWrongTypeAndAWrongPropertyAreNamed() {
        assertThrows(IllegalStateException.class, () -> verify(dataset(3, n ->
                new ScaleVerifier.StoredNode(n.labels(), n.properties(), n.outgoing().subList(1, EDGES)))));
        assertThrows(IllegalStateException.class, () -> verify(dataset(3, n -> new ScaleVerifier.StoredNode(n.labels(),
                n.properties(), List.of(new ScaleVerifier.StoredEdge("OTHER", Map.of(), 0), n.outgoing().get(1), n.outgoing().get(2))))));
        assertThrows(IllegalStateException.class, () -> verify(dataset(24_999, n ->
                new ScaleVerifier.StoredNode(n.labels(), Map.of("name", "n24999"), n.outgoing()))));
    }
}
