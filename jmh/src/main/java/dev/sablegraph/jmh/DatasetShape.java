package dev.sablegraph.jmh;

import java.util.List;
import java.util.Map;

/**
 * The concurrent-throughput dataset, described without any engine: {@value #NODES} nodes labelled
 * {@value #LABEL}, node {@code i} with the properties {@code name = "person-" + i},
 * {@code age = (long) (i % 90)} and {@code score = i * 0.5}, and {@value #EDGES_PER_NODE} outgoing
 * {@value #EDGE_TYPE} edges per node without properties, the {@code k}-th (k = 1..10) to node
 * {@link #edgeTarget(int, int)}. Deterministic (a fixed formula, no random source), so every engine
 * that builds from this class holds the same graph: nodes are added in index order, then the edges
 * in source order.
 *
 * <p>Used by {@link ConcurrentThroughput} (Sable) and by the Neo4j peer benchmark in the
 * {@code jmh-peers} module. The write workload's node is described here too.
 */
public final class DatasetShape {
    public static final int NODES = 100_000;
    public static final int EDGES_PER_NODE = 10;
    public static final String LABEL = "Person";
    public static final String EDGE_TYPE = "KNOWS";
    public static final String NAME = "name";
    public static final String AGE = "age";
    public static final String SCORE = "score";
    /**
     * The keys of {@value #LABEL} that get an index, on every engine alike: {@code name} (what
     * {@code propertyLookup} looks up) unless {@code -Dbench.indexes=name,age,score} names others.
     * Each write maintains exactly these entries, on Sable and on the peers.
     */
    public static List<String> indexedKeys() {
        return List.of(System.getProperty("bench.indexes", NAME).split(","));
    }

    /** The properties of the node each {@code write} operation adds (with label {@value #LABEL}). */
    public static final Map<String, Object> NEW_NODE = Map.of(NAME, "new", AGE, 1L);

    private DatasetShape() {}

    /** The {@code name} of node {@code i}: the key {@code propertyLookup} looks up. */
    public static String name(int i) {
        return "person-" + i;
    }

    public static long age(int i) {
        return i % 90;
    }

    public static double score(int i) {
        return i * 0.5;
    }

    /** The three properties of node {@code i}. */
    public static Map<String, Object> properties(int i) {
        return Map.of(NAME, name(i), AGE, age(i), SCORE, score(i));
    }

    /** The index of the node that the {@code k}-th edge (1 ≤ k ≤ {@value #EDGES_PER_NODE}) of node {@code i} points to. */
    public static int edgeTarget(int i, int k) {
        return (int) ((i * 7919L + k * 104_729L) % NODES);
    }
}
