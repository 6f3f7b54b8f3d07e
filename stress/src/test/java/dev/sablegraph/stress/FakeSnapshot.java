package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A read-only snapshot over an in-memory graph, with switches that make individual read paths
 * lie, so each checker can be fed an observation that breaks its invariant. Reads behave like the
 * engine's (edges of an invisible node: none; lists in id order); writes are unsupported.
 */
final class FakeSnapshot implements Transaction {
    final TreeMap<Long, Node> nodes = new TreeMap<>();
    final TreeMap<Long, Edge> edges = new TreeMap<>();
    /** findNodes answers for "key=value", instead of the truth. */
    final Map<String, List<Node>> findOverride = new HashMap<>();
    /** nodesByLabel answers for a label, instead of the truth (streamNodesByLabel keeps the truth). */
    final Map<String, List<Node>> labelOverride = new HashMap<>();
    /** getEdge answers by id, instead of the truth. */
    final Map<Long, Optional<Edge>> getEdgeOverride = new HashMap<>();
    /** Edges that INCOMING listings leave out though BOTH lists them (a one-sided adjacency entry). */
    final Set<Long> missingIncoming = new HashSet<>();
    final Map<Long, List<Long>> neighboursOverride = new HashMap<>();
    List<Long> traverseOverride;
    Optional<List<Long>> pathOverride;

    FakeSnapshot node(long id, Set<String> labels, Map<String, Object> props) {
        nodes.put(id, new Node(id, labels, props));
        return this;
    }

    FakeSnapshot edge(long id, long from, long to) {
        edges.put(id, new Edge(id, from, to, Fixture.LINK, Map.of()));
        return this;
    }

    /** A well-formed item: group, tag, a payload with its CRC, and a run of one long (its group). */
    FakeSnapshot item(long id, long group, String tag, boolean hot) {
        byte[] payload = {1, 2, 3, (byte) id};
        return node(id, hot ? Set.of(Fixture.ITEM, Fixture.HOT) : Set.of(Fixture.ITEM),
                Map.of(Items.GROUP, group, Items.TAG, tag, Items.PAYLOAD, payload, Items.CRC, Items.crc(payload),
                        Items.RUN, List.of(group)));
    }

    @Override
    public long snapshotTimestamp() {
        return 42;
    }

    @Override
    public Optional<Node> getNode(long id) {
        return Optional.ofNullable(nodes.get(id));
    }

    @Override
    public Optional<Edge> getEdge(long id) {
        return getEdgeOverride.getOrDefault(id, Optional.ofNullable(edges.get(id)));
    }

    @Override
    public List<Node> nodesByLabel(String label) {
        return labelOverride.getOrDefault(label, streamNodesByLabel(label).toList());
    }

    @Override
    public Stream<Node> streamNodesByLabel(String label) {
        return nodes.values().stream().filter(n -> n.labels().contains(label));
    }

    @Override
    public List<Node> findNodes(String label, String key, Object value) {
        return findOverride.getOrDefault(key + "=" + value, nodes.values().stream()
                .filter(n -> n.labels().contains(label) && value.equals(n.properties().get(key))).toList());
    }

    @Override
    public Stream<Node> findNodes(String label, String key, Object from, boolean fromInclusive, Object to,
            boolean toInclusive) {
        throw new UnsupportedOperationException(); // no invariant reads ranges
    }

    @Override
    public Stream<Node> findNodes(dev.sablegraph.core.PropertyRange range) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Edge> edges(long nodeId, Direction direction, String type) {
        if (!nodes.containsKey(nodeId)) {
            return List.of();
        }
        List<Edge> out = new ArrayList<>();
        for (Edge e : edges.values()) {
            if (type != null && !type.equals(e.type())) {
                continue;
            }
            boolean outgoing = e.from() == nodeId;
            boolean incoming = e.to() == nodeId;
            if (direction == Direction.OUTGOING ? outgoing
                    : direction == Direction.INCOMING ? incoming && !missingIncoming.contains(e.id())
                    : outgoing || incoming) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public List<Long> neighbours(long nodeId, Direction direction, String type) {
        if (neighboursOverride.containsKey(nodeId)) {
            return neighboursOverride.get(nodeId);
        }
        LinkedHashSet<Long> ids = new LinkedHashSet<>();
        for (Edge e : edges(nodeId, direction, type)) {
            ids.add(e.from() == nodeId ? e.to() : e.from());
        }
        return new ArrayList<>(ids);
    }

    @Override
    public Stream<Long> traverse(long start, Direction direction, String type, int maxDepth) {
        if (traverseOverride != null) {
            return traverseOverride.stream();
        }
        List<Long> order = new ArrayList<>(List.of(start));
        Set<Long> seen = new HashSet<>(order);
        List<Long> layer = List.of(start);
        for (int d = 0; d < maxDepth; d++) {
            List<Long> next = new ArrayList<>();
            for (long n : layer) {
                for (long m : neighbours(n, direction, type)) {
                    if (seen.add(m)) {
                        next.add(m);
                    }
                }
            }
            order.addAll(next);
            layer = next;
        }
        return order.stream();
    }

    @Override
    public Optional<List<Long>> shortestPath(long from, long to, Direction direction, String type) {
        if (pathOverride != null) {
            return pathOverride;
        }
        Map<Long, Long> parent = new HashMap<>(Map.of(from, from));
        ArrayDeque<Long> queue = new ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            long n = queue.poll();
            if (n == to) {
                List<Long> path = new ArrayList<>();
                for (long p = to; p != from; p = parent.get(p)) {
                    path.add(0, p);
                }
                path.add(0, from);
                return Optional.of(path);
            }
            for (long m : neighbours(n, direction, type)) {
                if (parent.putIfAbsent(m, n) == null) {
                    queue.add(m);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Stream<Node> allNodes() {
        return nodes.values().stream();
    }

    @Override
    public Stream<Edge> allEdges() {
        return edges.values().stream();
    }

    @Override
    public long countNodes() {
        return nodes.size();
    }

    @Override
    public long countNodes(String label) {
        return streamNodesByLabel(label).count();
    }

    @Override
    public long countEdges() {
        return edges.size();
    }

    @Override
    public long degree(long nodeId, Direction direction, String type) {
        return edges(nodeId, direction, type).size();
    }

    @Override
    public Set<String> labels() {
        return new TreeSet<>(nodes.values().stream().flatMap(n -> n.labels().stream()).toList());
    }

    @Override
    public Set<String> edgeTypes() {
        return new TreeSet<>(edges.values().stream().map(Edge::type).toList());
    }

    @Override
    public Set<String> propertyKeys() {
        Set<String> keys = new TreeSet<>();
        nodes.values().forEach(n -> keys.addAll(n.properties().keySet()));
        edges.values().forEach(e -> keys.addAll(e.properties().keySet()));
        return keys;
    }

    @Override
    public Stream<Edge> streamEdges(long nodeId, Direction direction, String type) {
        return edges(nodeId, direction, type).stream();
    }

    @Override
    public Stream<Node> streamFindNodes(String label, String key, Object value) {
        return findNodes(label, key, value).stream();
    }

    @Override
    public Stream<Long> streamNeighbours(long nodeId, Direction direction, String type) {
        return neighbours(nodeId, direction, type).stream();
    }

    @Override
    public void close() {}

    // ---- writes and transaction control: not part of a read-only observation

    @Override
    public long addNode(Set<String> labels, Map<String, Object> properties) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long addEdge(long from, long to, String type, Map<String, Object> properties) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setNodeProperty(long id, String key, Object value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeNodeProperty(long id, String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setEdgeProperty(long id, String key, Object value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeEdgeProperty(long id, String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteNode(long id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteEdge(long id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean addLabel(long id, String label) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeLabel(long id, String label) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void commit() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void rollback() {}

    @Override
    public long commitTimestamp() {
        return -1;
    }
}
