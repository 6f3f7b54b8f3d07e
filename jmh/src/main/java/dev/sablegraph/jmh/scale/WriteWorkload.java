package dev.sablegraph.jmh.scale;

import java.util.SplittableRandom;

/**
 * The seeded data of {@link WriteBeyondCache}, the same for every engine: {@code Person} node
 * {@code i} has {@code name = "p" + i} and a random {@code age} in 18..90; then edges between
 * uniformly random distinct nodes, drawn from the same stream after the ages. Endpoints are node
 * indexes (0..nodes-1); each engine maps them to its own ids.
 */
final class WriteWorkload {
    final int nodes;
    final long[] ages;
    final RandomEdges edges;

    private WriteWorkload(int nodes, long[] ages, RandomEdges edges) {
        this.nodes = nodes;
        this.ages = ages;
        this.edges = edges;
    }

    static WriteWorkload generate(int nodes, int edges, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] ages = new long[nodes];
        for (int i = 0; i < nodes; i++) {
            ages[i] = 18 + rnd.nextInt(73);
        }
        return new WriteWorkload(nodes, ages, RandomEdges.draw(rnd, nodes, edges));
    }

    static String name(int i) {
        return "p" + i;
    }

    /** {@code count} edges between uniformly random distinct nodes of {@code 0..nodes-1}. */
    record RandomEdges(int[] from, int[] to) {
        static RandomEdges draw(SplittableRandom rnd, int nodes, int count) {
            int[] from = new int[count];
            int[] to = new int[count];
            for (int e = 0; e < count; e++) {
                int a = rnd.nextInt(nodes);
                int b = rnd.nextInt(nodes - 1);
                from[e] = a;
                to[e] = b >= a ? b + 1 : b;
            }
            return new RandomEdges(from, to);
        }

        int size() {
            return from.length;
        }
    }
}
