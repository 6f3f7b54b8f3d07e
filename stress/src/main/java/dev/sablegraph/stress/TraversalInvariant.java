package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Traversals agree with {@code edges()} in the same snapshot: {@code neighbours} lists the other
 * endpoints of the listed edges in their order, {@code traverse} visits exactly the nodes a
 * breadth-first search over {@code edges()} reaches, layer by layer, and {@code shortestPath} to one
 * of them is a real path of the breadth-first length. The engine's traversals read adjacency
 * entries without edge records, so this compares two read paths of the same data.
 */
final class TraversalInvariant {
    static final String NAME = "traversal";

    private TraversalInvariant() {}

    static List<Violation> check(Transaction tx, long start, Direction dir, int maxDepth, SplittableRandom rnd) {
        long s = tx.snapshotTimestamp();
        List<Violation> out = new ArrayList<>();
        String what = "from " + start + " " + dir + " " + Fixture.LINK;

        List<Long> expectedNeighbours = neighboursByEdges(tx, start, dir);
        List<Long> neighbours = tx.neighbours(start, dir, Fixture.LINK);
        if (!neighbours.equals(expectedNeighbours)) {
            out.add(new Violation(NAME, s, "neighbours " + what + " = " + neighbours + " but edges() give "
                    + expectedNeighbours));
        }

        Map<Long, Integer> depth = breadthFirst(tx, start, dir, maxDepth);
        List<Long> visited;
        try (Stream<Long> t = tx.traverse(start, dir, Fixture.LINK, maxDepth)) {
            visited = t.collect(Collectors.toList());
        }
        if (!new LinkedHashSet<>(visited).equals(new LinkedHashSet<>(depth.keySet())) || visited.size() != depth.size()
                || !inLayerOrder(visited, depth)) {
            out.add(new Violation(NAME, s, "traverse " + what + " depth " + maxDepth + " = " + visited
                    + " but a breadth-first search over edges() reaches " + depth));
            return out;
        }
        if (visited.isEmpty()) {
            return out;
        }
        long target = visited.get(rnd.nextInt(visited.size()));
        Optional<List<Long>> path = tx.shortestPath(start, target, dir, Fixture.LINK);
        String problem = pathProblem(tx, path, start, target, depth.get(target), dir);
        if (problem != null) {
            out.add(new Violation(NAME, s, "shortestPath " + what + " to " + target + " = " + path + ": " + problem));
        }
        return out;
    }

    /** The distinct other endpoints of the node's LINK edges, in the order edges() lists them. */
    private static List<Long> neighboursByEdges(Transaction tx, long node, Direction dir) {
        LinkedHashSet<Long> ids = new LinkedHashSet<>();
        for (Edge e : tx.edges(node, dir, Fixture.LINK)) {
            ids.add(e.from() == node ? e.to() : e.from());
        }
        return new ArrayList<>(ids);
    }

    /** Depth of every node within {@code maxDepth} hops, found with edges() alone; empty if start is invisible. */
    private static Map<Long, Integer> breadthFirst(Transaction tx, long start, Direction dir, int maxDepth) {
        Map<Long, Integer> depth = new HashMap<>();
        if (tx.getNode(start).isEmpty()) {
            return depth;
        }
        depth.put(start, 0);
        List<Long> layer = List.of(start);
        for (int d = 1; d <= maxDepth && !layer.isEmpty(); d++) {
            List<Long> next = new ArrayList<>();
            for (long n : layer) {
                for (long m : neighboursByEdges(tx, n, dir)) {
                    if (depth.putIfAbsent(m, d) == null) {
                        next.add(m);
                    }
                }
            }
            layer = next;
        }
        return depth;
    }

    private static boolean inLayerOrder(List<Long> visited, Map<Long, Integer> depth) {
        int last = 0;
        for (long n : visited) {
            int d = depth.get(n);
            if (d < last) {
                return false;
            }
            last = d;
        }
        return visited.isEmpty() || depth.get(visited.get(0)) == 0; // the start comes first
    }

    /** Null when {@code path} runs start..target along listed edges in {@code expectedLength} hops. */
    static String pathProblem(Transaction tx, Optional<List<Long>> path, long start, long target, int expectedLength,
            Direction dir) {
        if (path.isEmpty()) {
            return "no path, but the target is " + expectedLength + " hops away";
        }
        List<Long> p = path.get();
        if (p.isEmpty() || p.get(0) != start || p.get(p.size() - 1) != target) {
            return "does not run from " + start + " to " + target;
        }
        if (p.size() - 1 != expectedLength) {
            return (p.size() - 1) + " hops, breadth-first found " + expectedLength;
        }
        for (int i = 0; i + 1 < p.size(); i++) {
            if (!neighboursByEdges(tx, p.get(i), dir).contains(p.get(i + 1))) {
                return "no " + dir + " edge from " + p.get(i) + " to " + p.get(i + 1);
            }
        }
        return null;
    }
}
