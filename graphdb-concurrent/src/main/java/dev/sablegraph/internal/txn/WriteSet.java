package dev.sablegraph.internal.txn;

import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import dev.sablegraph.internal.durability.CommitJournal;
import dev.sablegraph.internal.durability.CommitRecord;
import dev.sablegraph.internal.mvcc.ConflictRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A transaction's own changes, invisible to everyone else until commit installs them. For each
 * entity: its state after the transaction (null = deleted) and whether the transaction created it.
 *
 * <p>It counts, as changes come, how large its commit record would be, and refuses the change
 * that would make it larger than the log takes ({@code maxRecordBytes}), before holding it: what a
 * transaction may hold in memory is bounded by configuration (walSegmentBytes), and a transaction
 * too large to commit is told at the write that crossed the line, not after it has filled the heap.
 */
public final class WriteSet {
    /** One entity's change. {@code after == null} means deleted. */
    public record Change<T>(T after, boolean created) {}

    private final long maxRecordBytes;
    // Empty and immutable until the first write: most transactions only read, and then begin
    // allocates no map.
    private Map<Long, Change<Node>> nodes = Map.of();
    private Map<Long, Change<Edge>> edges = Map.of();
    /** The commit record's size with these changes ({@link CommitRecord#encodedBytes}). */
    private long recordBytes = CommitRecord.HEADER_BYTES;

    /** @param maxRecordBytes the largest commit record the log takes (CommitJournal.maxRecordBytes) */
    public WriteSet(long maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

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

    /** How large this set's commit record would be, in bytes. */
    public long recordBytes() {
        return recordBytes;
    }

    /**
     * Records node {@code id}'s state after the transaction (null: deleted).
     *
     * @throws IllegalArgumentException when the commit record would exceed the log's limit; this
     *     set is unchanged
     */
    public void putNode(long id, Node after, boolean created) {
        nodes = put(nodes, id, after, created, WriteSet::nodeBytes);
    }

    /**
     * Records edge {@code id}'s state after the transaction (null: deleted).
     *
     * @throws IllegalArgumentException when the commit record would exceed the log's limit; this
     *     set is unchanged
     */
    public void putEdge(long id, Edge after, boolean created) {
        edges = put(edges, id, after, created, WriteSet::edgeBytes);
    }

    /** Puts a change into {@code changes} (a new map for the first); returns the map to keep. */
    private <T> Map<Long, Change<T>> put(Map<Long, Change<T>> changes, long id, T after, boolean created,
            ToLongFunction<Change<T>> recordBytesOf) {
        Change<T> old = changes.isEmpty() ? null : changes.get(id);
        Change<T> change = new Change<>(after, created || (old != null && old.created()));
        long bytes = recordBytes - recordBytesOf.applyAsLong(old) + recordBytesOf.applyAsLong(change);
        if (bytes > maxRecordBytes) {
            throw CommitJournal.tooLarge(bytes, maxRecordBytes);
        }
        Map<Long, Change<T>> kept = changes.isEmpty() ? new LinkedHashMap<>() : changes;
        kept.put(id, change);
        recordBytes = bytes;
        return kept;
    }

    /** What the record holds for a change: null for nothing (an entity created and deleted here). */
    private static CommitRecord.Kind kind(Change<?> c) {
        if (c.after() == null) {
            return c.created() ? null : CommitRecord.Kind.DELETE;
        }
        return c.created() ? CommitRecord.Kind.CREATE : CommitRecord.Kind.UPDATE;
    }

    private static long nodeBytes(Change<Node> c) {
        CommitRecord.Kind kind = c == null ? null : kind(c);
        if (kind == null) {
            return 0;
        }
        Node n = c.after();
        return CommitRecord.nodeChangeBytes(kind, n == null ? null : n.labels(), n == null ? null : n.properties());
    }

    private static long edgeBytes(Change<Edge> c) {
        CommitRecord.Kind kind = c == null ? null : kind(c);
        if (kind == null) {
            return 0;
        }
        Edge e = c.after();
        return CommitRecord.edgeChangeBytes(kind, e == null ? null : e.type(), e == null ? null : e.properties());
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
        WriteSet moved = new WriteSet(maxRecordBytes);
        moved.nodes = nodes;
        moved.edges = edges;
        moved.recordBytes = recordBytes;
        clear();
        return moved;
    }

    /** Forgets every change (rollback, or after commit installed them). */
    public void clear() {
        nodes = Map.of();
        edges = Map.of();
        recordBytes = CommitRecord.HEADER_BYTES;
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
     * installed (the record is all a commit needs from here on): each change leaves the set as it
     * enters the record. Entities created and deleted by this transaction leave nothing.
     */
    public CommitRecord drainToCommitRecord(long ts) {
        List<CommitRecord.NodeChange> nodeChanges = new ArrayList<>(nodes.size());
        for (Iterator<Map.Entry<Long, Change<Node>>> it = nodes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Change<Node>> e = it.next();
            it.remove();
            CommitRecord.Kind kind = kind(e.getValue());
            Node n = e.getValue().after();
            if (kind != null) {
                nodeChanges.add(new CommitRecord.NodeChange(e.getKey(), kind, n == null ? null : n.labels(),
                        n == null ? null : n.properties()));
            }
        }
        List<CommitRecord.EdgeChange> edgeChanges = new ArrayList<>(edges.size());
        for (Iterator<Map.Entry<Long, Change<Edge>>> it = edges.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Change<Edge>> e = it.next();
            it.remove();
            CommitRecord.Kind kind = kind(e.getValue());
            Edge x = e.getValue().after();
            if (kind == CommitRecord.Kind.CREATE) {
                edgeChanges.add(new CommitRecord.EdgeChange(e.getKey(), kind, x.from(), x.to(), x.type(), x.properties()));
            } else if (kind != null) {
                edgeChanges.add(new CommitRecord.EdgeChange(e.getKey(), kind, 0, 0, null,
                        x == null ? null : x.properties()));
            }
        }
        clear();
        return new CommitRecord(ts, nodeChanges, edgeChanges);
    }
}
