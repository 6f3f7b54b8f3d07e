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

    // Empty and immutable until the first write: most transactions only read, and then begin
    // allocates no map. Read them freely; change them only through the methods below.
    Map<Long, Change<Node>> nodes = Map.of();
    Map<Long, Change<Edge>> edges = Map.of();

    boolean isEmpty() {
        return nodes.isEmpty() && edges.isEmpty();
    }

    void putNode(long id, Node after, boolean created) {
        if (nodes.isEmpty()) {
            nodes = new LinkedHashMap<>();
        }
        Change<Node> old = nodes.get(id);
        nodes.put(id, new Change<>(after, created || (old != null && old.created())));
    }

    void putEdge(long id, Edge after, boolean created) {
        if (edges.isEmpty()) {
            edges = new LinkedHashMap<>();
        }
        Change<Edge> old = edges.get(id);
        edges.put(id, new Change<>(after, created || (old != null && old.created())));
    }

    /**
     * A copy that no later change of this set can affect: what a commit installs and logs.
     *
     * @throws java.util.ConcurrentModificationException when another thread changes this set meanwhile
     */
    WriteSet frozenCopy() {
        WriteSet copy = new WriteSet();
        copy.nodes = nodes.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        copy.edges = edges.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(edges));
        return copy;
    }

    /** Forgets every change (rollback, or after commit installed them). */
    void clear() {
        nodes = Map.of();
        edges = Map.of();
    }
}
