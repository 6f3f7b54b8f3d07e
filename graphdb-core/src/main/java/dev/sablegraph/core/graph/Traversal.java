package dev.sablegraph.core.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

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
        Iterator<Long> it = new Iterator<>() {
            private final Set<Long> visited = new HashSet<>(Set.of(start));
            private List<Long> layer = List.of(start);
            private int index;
            private int depth;
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                while (index >= layer.size() && !exhausted) {
                    List<Long> next = new ArrayList<>();
                    if (depth < maxDepth) {
                        for (long node : layer) {
                            for (long n : neighbours.apply(node)) {
                                if (visited.add(n)) {
                                    next.add(n);
                                }
                            }
                        }
                    }
                    exhausted = next.isEmpty();
                    layer = next;
                    index = 0;
                    depth++;
                }
                return index < layer.size();
            }

            @Override
            public Long next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return layer.get(index++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
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
