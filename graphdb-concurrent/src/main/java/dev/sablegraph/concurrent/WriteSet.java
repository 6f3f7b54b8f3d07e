package dev.sablegraph.concurrent;

import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transaction's own changes, invisible to everyone else until commit installs them. For each
 * entity: its state after the transaction (null = deleted) and whether the transaction created it.
 */
final class WriteSet {
    /** One entity's change. {@code after == null} means deleted. */
    record Change<T>(T after, boolean created) {}

    final Map<Long, Change<Node>> nodes = new LinkedHashMap<>();
    final Map<Long, Change<Edge>> edges = new LinkedHashMap<>();

    boolean isEmpty() {
        return nodes.isEmpty() && edges.isEmpty();
    }

    void putNode(long id, Node after, boolean created) {
        Change<Node> old = nodes.get(id);
        nodes.put(id, new Change<>(after, created || (old != null && old.created())));
    }

    void putEdge(long id, Edge after, boolean created) {
        Change<Edge> old = edges.get(id);
        edges.put(id, new Change<>(after, created || (old != null && old.created())));
    }
}
