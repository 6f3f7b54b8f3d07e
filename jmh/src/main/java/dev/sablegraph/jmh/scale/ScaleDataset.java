package dev.sablegraph.jmh.scale;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@link ScaleRun}'s seeded dataset, one node or edge at a time, for everything that builds or checks
 * it: ScaleRun's transactional load, {@link ScaleCsv} (the same graph as import CSV) and the checks
 * of imported copies. One random stream ({@link #SEED}): first one {@code nextDouble} per node in id
 * order (its {@code score}), then one {@code nextInt(n - 1)} per edge, the edges in source order,
 * {@code edgesPerNode} per node.
 */
public final class ScaleDataset {
    /** The seed of the stream. */
    public static final long SEED = 42L;
    /** The type of every edge. */
    public static final String EDGE_TYPE = "LINK";
    /** Nodes have one of this many labels, {@code "L0"} to {@code "L9"}. */
    public static final int LABELS = 10;

    private ScaleDataset() {}

    /** The stream the dataset draws from, at its start. */
    public static SplittableRandom stream() {
        return new SplittableRandom(SEED);
    }

    /** The stream positioned where the edges start: after the draws of {@code n} nodes. */
    public static SplittableRandom edgeStream(long n) {
        SplittableRandom rnd = stream();
        for (long i = 0; i < n; i++) {
            rnd.nextDouble();
        }
        return rnd;
    }

    /** Node {@code i}'s label. */
    public static String label(int i) {
        return "L" + i % LABELS;
    }

    /** Node {@code i}'s name. */
    public static String name(int i) {
        return "n" + i;
    }

    /**
     * Node {@code i}'s properties: {@code name = "n" + i}, {@code group = (long) i % 1000}, and
     * {@code score}, the stream's next double (its one draw for the node).
     */
    public static Map<String, Object> nodeProperties(int i, SplittableRandom rnd) {
        return Map.of("name", name(i), "group", (long) (i % 1000), "score", rnd.nextDouble());
    }

    /** The target of the next edge of node {@code i}: uniformly random among the other {@code n - 1} nodes. */
    public static int edgeTarget(int i, int n, SplittableRandom rnd) {
        int target = rnd.nextInt(n - 1);
        if (target >= i) {
            target++;
        }
        return target;
    }
}
