package dev.sablegraph.cli.stats;

import dev.sablegraph.cli.console.Progress;
import dev.sablegraph.cli.scan.GraphScan;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of one snapshot: nodes, edges, nodes per label, edges per type, and the distribution of
 * degrees (edges at a node, in and out; a self-loop counts twice) in power-of-two buckets. One
 * pass over the nodes and their edges; memory holds the counts and one node's edges.
 */
public final class GraphStats {
    private long nodes;
    private long edges;
    private long unlabelled;
    private final Map<String, Long> labels = new TreeMap<>();
    private final Map<String, Long> types = new TreeMap<>();
    /** bucket b counts nodes with degree in [2^(b-1), 2^b), bucket 0 degree 0. */
    private final long[] degreeBuckets = new long[64];
    private long maxDegree;
    private long degreeSum;

    /** Reads the whole graph. */
    public static GraphStats of(GraphScan scan, boolean showProgress) {
        GraphStats s = new GraphStats();
        try (Progress progress = Progress.start(showProgress, "stats", scan.nodeCount(), "nodes", 1)) {
            scan.forEachNode(n -> {
                s.nodes++;
                if (n.labels().isEmpty()) {
                    s.unlabelled++;
                }
                n.labels().forEach(l -> s.labels.merge(l, 1L, Long::sum));
                List<Edge> out = scan.transaction().edges(n.id(), Direction.OUTGOING, null);
                out.forEach(e -> s.types.merge(e.type(), 1L, Long::sum));
                s.edges += out.size();
                long degree = out.size() + scan.transaction().edges(n.id(), Direction.INCOMING, null).size();
                s.degreeBuckets[64 - Long.numberOfLeadingZeros(degree)]++;
                s.maxDegree = Math.max(s.maxDegree, degree);
                s.degreeSum += degree;
                progress.stepTo(s.nodes);
            });
        }
        return s;
    }

    public long nodes() {
        return nodes;
    }

    public long edges() {
        return edges;
    }

    /** Nodes per label, by label name. */
    public Map<String, Long> labels() {
        return Map.copyOf(labels);
    }

    /** Edges per type, by type name. */
    public Map<String, Long> types() {
        return Map.copyOf(types);
    }

    public long maxDegree() {
        return maxDegree;
    }

    /** Prints the counts. */
    public void print(PrintWriter out) {
        out.printf("  nodes  %,d%n", nodes);
        out.printf("  edges  %,d%n", edges);
        out.println("Nodes by label");
        int width = Math.max(10, labels.keySet().stream().mapToInt(String::length).max().orElse(0));
        labels.forEach((l, n) -> out.printf("  %-" + width + "s  %,d%n", l, n));
        if (unlabelled > 0) {
            out.printf("  %-" + width + "s  %,d%n", "(no label)", unlabelled);
        }
        out.println("Edges by type");
        int typeWidth = Math.max(10, types.keySet().stream().mapToInt(String::length).max().orElse(0));
        types.forEach((t, n) -> out.printf("  %-" + typeWidth + "s  %,d%n", t, n));
        out.println("Degree (edges at a node, in and out)");
        for (int b = 0; b < degreeBuckets.length; b++) {
            if (degreeBuckets[b] > 0) {
                out.printf("  %-21s  %,d nodes%n", bucket(b), degreeBuckets[b]);
            }
        }
        out.printf("  max %,d, mean %.2f%n", maxDegree, nodes == 0 ? 0.0 : (double) degreeSum / nodes);
    }

    private static String bucket(int b) {
        if (b <= 1) {
            return Integer.toString(b);
        }
        long low = 1L << (b - 1);
        long high = b == 63 ? Long.MAX_VALUE : (1L << b) - 1;
        return String.format("%,d-%,d", low, high);
    }
}
