package dev.sablegraph.internal.txn;

import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import dev.sablegraph.internal.durability.CommitRecord;
import dev.sablegraph.internal.mvcc.ConflictRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transaction's own changes, invisible to everyone else until commit installs them. For each
 * entity: its state after the transaction (null = deleted) and whether the transaction created it.
 */
public final class WriteSet {
    /** One entity's change. {@code after == null} means deleted. */
    public record Change<T>(T after, boolean created) {}

    // Empty and immutable until the first write: most transactions only read, and then begin
    // allocates no map.
    private Map<Long, Change<Node>> nodes = Map.of();
    private Map<Long, Change<Edge>> edges = Map.of();

    /** This transaction's change of node {@code id}, or null when it has not changed it. */
    public Change<Node> node(long id) {
        return nodes.isEmpty() ? null : nodes.get(id);
    }

    /** This transaction's change of edge {@code id}, or null when it has not changed it. */
    public Change<Edge> edge(long id) {
        return edges.isEmpty() ? null : edges.get(id);
    }

    /** Whether this transaction created node {@code id}. */
    public boolean createdNode(long id) {
        Change<Node> c = node(id);
        return c != null && c.created();
    }

    /** Every node change, in the order first made. */
    public Map<Long, Change<Node>> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    /** Every edge change, in the order first made. */
    public Map<Long, Change<Edge>> edges() {
        return Collections.unmodifiableMap(edges);
    }

    public boolean isEmpty() {
        return nodes.isEmpty() && edges.isEmpty();
    }

    public void putNode(long id, Node after, boolean created) {
        if (nodes.isEmpty()) {
            nodes = new LinkedHashMap<>();
        }
        Change<Node> old = nodes.get(id);
        nodes.put(id, new Change<>(after, created || (old != null && old.created())));
    }

    public void putEdge(long id, Edge after, boolean created) {
        if (edges.isEmpty()) {
            edges = new LinkedHashMap<>();
        }
        Change<Edge> old = edges.get(id);
        edges.put(id, new Change<>(after, created || (old != null && old.created())));
    }

    /**
     * Moves every change into a new set and leaves this one empty: what a commit installs and
     * logs, taken over without copying (a million-edge transaction's maps are some 100 MB). A
     * write racing the commit (misuse: a transaction belongs to one thread) lands either before
     * the move, or in this set afterwards, where nothing reads it; one that lands in a moved map
     * while the commit reads it makes that read throw {@link java.util.ConcurrentModificationException}
     * before anything is installed.
     */
    public WriteSet handOver() {
        WriteSet moved = new WriteSet();
        moved.nodes = nodes;
        moved.edges = edges;
        clear();
        return moved;
    }

    /** Forgets every change (rollback, or after commit installed them). */
    public void clear() {
        nodes = Map.of();
        edges = Map.of();
    }

    /**
     * Asks the conflict rule about every entity this set changes, as a commit at snapshot
     * {@code s} must before it installs (under the commit lock). Entities created here cannot
     * conflict; a new edge can, through an endpoint a commit deleted.
     *
     * @throws dev.sablegraph.core.WriteConflictException at the first conflict
     */
    public void checkConflicts(ConflictRule rule, long s) {
        for (Map.Entry<Long, Change<Node>> e : nodes.entrySet()) {
            if (!e.getValue().created()) {
                rule.checkNodeWrite(e.getKey(), s, e.getValue().after() == null);
            }
        }
        for (Map.Entry<Long, Change<Edge>> e : edges.entrySet()) {
            Change<Edge> c = e.getValue();
            if (!c.created()) {
                rule.checkEdgeWrite(e.getKey(), s);
            } else if (c.after() != null) {
                for (long endpoint : new long[] {c.after().from(), c.after().to()}) {
                    if (!createdNode(endpoint)) {
                        rule.checkEdgeEndpoint(endpoint);
                    }
                }
            }
        }
    }

    /**
     * This set as commit {@code ts}'s log record, which is also what installs it, and empties the
     * set: a huge transaction then does not hold its changes twice while it is encoded and
     * installed (the record is all a commit needs from here on). Entities created and deleted by
     * this transaction leave nothing.
     */
    public CommitRecord drainToCommitRecord(long ts) {
        List<CommitRecord.NodeChange> nodeChanges = new ArrayList<>(nodes.size());
        for (Map.Entry<Long, Change<Node>> e : nodes.entrySet()) {
            Change<Node> c = e.getValue();
            Node n = c.after();
            if (n != null) {
                nodeChanges.add(new CommitRecord.NodeChange(e.getKey(),
                        c.created() ? CommitRecord.Kind.CREATE : CommitRecord.Kind.UPDATE, n.labels(), n.properties()));
            } else if (!c.created()) {
                nodeChanges.add(new CommitRecord.NodeChange(e.getKey(), CommitRecord.Kind.DELETE, null, null));
            }
        }
        List<CommitRecord.EdgeChange> edgeChanges = new ArrayList<>(edges.size());
        for (Map.Entry<Long, Change<Edge>> e : edges.entrySet()) {
            Change<Edge> c = e.getValue();
            Edge x = c.after();
            if (x == null) {
                if (!c.created()) {
                    edgeChanges.add(new CommitRecord.EdgeChange(e.getKey(), CommitRecord.Kind.DELETE, 0, 0, null, null));
                }
            } else if (c.created()) {
                edgeChanges.add(new CommitRecord.EdgeChange(e.getKey(), CommitRecord.Kind.CREATE, x.from(), x.to(),
                        x.type(), x.properties()));
            } else {
                edgeChanges.add(new CommitRecord.EdgeChange(e.getKey(), CommitRecord.Kind.UPDATE, 0, 0, null,
                        x.properties()));
            }
        }
        clear();
        return new CommitRecord(ts, nodeChanges, edgeChanges);
    }
}
