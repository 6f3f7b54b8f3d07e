package dev.sablegraph.internal.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import dev.sablegraph.internal.util.LazyStream;
import java.util.stream.Stream;

/**
 * Breadth-first traversal and unweighted shortest path over any neighbour function, so the
 * non-transactional graph and snapshot transactions share one implementation.
 */
public final class Traversal {
    private Traversal() {}

    /** Lazily visits {@code start}, then every node within {@code maxDepth} hops, each once, by layer. */
    public static Stream<Long> breadthFirst(long start, int maxDepth, boolean startExists,
            Function<Long, List<Long>> neighbours) {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must not be negative, was " + maxDepth);
        }
        if (!startExists) {
            return Stream.empty();
        }
        return LazyStream.of(new Layers(start, maxDepth, neighbours));
    }

    /** Hands out the nodes of a breadth-first search layer by layer, each once. */
    private static final class Layers implements Supplier<Long> {
        private final int maxDepth;
        private final Function<Long, List<Long>> neighbours;
        private final Set<Long> visited = new HashSet<>();
        private List<Long> layer;
        private int index;
        private int depth;

        Layers(long start, int maxDepth, Function<Long, List<Long>> neighbours) {
            this.maxDepth = maxDepth;
            this.neighbours = neighbours;
            this.layer = List.of(start);
            visited.add(start);
        }

        @Override
        public Long get() {
            while (index >= layer.size()) {
                if (depth >= maxDepth || layer.isEmpty()) {
                    return null;
                }
                List<Long> next = new ArrayList<>();
                for (long node : layer) {
                    for (long n : neighbours.apply(node)) {
                        if (visited.add(n)) {
                            next.add(n);
                        }
                    }
                }
                layer = next;
                index = 0;
                depth++;
            }
            return layer.get(index++);
        }
    }

    /** A shortest path from {@code from} to {@code to}, both existing, as node ids; empty if none. */
    public static Optional<List<Long>> shortestPath(long from, long to, Function<Long, List<Long>> neighbours) {
        if (from == to) {
            return Optional.of(List.of(from));
        }
        Map<Long, Long> parent = new HashMap<>();
        parent.put(from, from);
        List<Long> frontier = List.of(from);
        while (!frontier.isEmpty()) {
            List<Long> next = new ArrayList<>();
            for (long node : frontier) {
                for (long n : neighbours.apply(node)) {
                    if (parent.putIfAbsent(n, node) == null) {
                        if (n == to) {
                            List<Long> path = new ArrayList<>();
                            for (long at = to; at != from; at = parent.get(at)) {
                                path.add(at);
                            }
                            path.add(from);
                            Collections.reverse(path);
                            return Optional.of(path);
                        }
                        next.add(n);
                    }
                }
            }
            frontier = next;
        }
        return Optional.empty();
    }
}
