package dev.sablegraph.concurrent;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.PropertyRange;
import dev.sablegraph.core.PropertyValues;
import dev.sablegraph.core.WriteConflictException;
import dev.sablegraph.internal.graph.Limits;
import dev.sablegraph.internal.graph.Traversal;
import dev.sablegraph.internal.graph.Validation;
import dev.sablegraph.internal.graph.ValueRange;
import dev.sablegraph.internal.mvcc.ConflictRule;
import dev.sablegraph.internal.mvcc.OpenTransactions;
import dev.sablegraph.internal.mvcc.SnapshotRegistry;
import dev.sablegraph.internal.mvcc.TransactionLease;
import dev.sablegraph.internal.mvcc.VersionedGraph;
import dev.sablegraph.internal.txn.CommitProtocol;
import dev.sablegraph.internal.txn.OwnChangesMerge;
import dev.sablegraph.internal.txn.SchemaProtocol;
import dev.sablegraph.internal.txn.WriteSet;
import dev.sablegraph.internal.util.LazyStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A transaction reading at snapshot {@code s} with its writes buffered in a {@link WriteSet}:
 * every read looks at its own writes first, then at the committed graph as of {@code s}.
 *
 * <p>One thread at a time (the contract). Misuse from two threads fails this transaction alone:
 * {@code commit()} takes the write set over, and a write racing it is refused.
 *
 * <p>Its snapshot is held by a {@link TransactionLease}, which the database may end early (the
 * transaction is older than {@code maxTransactionAgeMillis}) and ends once the transaction is
 * unreachable. Every read checks the lease after reading: a read that returns
 * held its snapshot throughout, so the versions it needed cannot have been reclaimed under it.
 */
final class SnapshotTransaction implements Transaction {
    private enum State { ACTIVE, COMMITTING, FAILED, COMMITTED, ROLLED_BACK }

    private final ConcurrentGraphDB db;
    private final VersionedGraph graph;
    private final ConflictRule conflicts;
    private final CommitProtocol protocol;
    private final SchemaProtocol schema;
    private final TransactionLease lease;
    private final long s;
    /** Refuses every write (ConcurrentGraphDB.readTransaction): see {@link #checkWritable}. */
    private final boolean readOnly;
    private final WriteSet writes;
    /**
     * Not volatile: a transaction belongs to one thread. A second thread misusing it usually sees
     * COMMITTING and is refused; when it does not, its write lands where the commit no longer reads, or
     * the commit fails before it installs anything ({@link WriteSet#handOver}).
     */
    private State state = State.ACTIVE;
    private long commitTimestamp = -1;

    SnapshotTransaction(ConcurrentGraphDB db, VersionedGraph graph, ConflictRule conflicts, CommitProtocol protocol,
            SchemaProtocol schema, OpenTransactions transactions, SnapshotRegistry.Snapshot snapshot,
            boolean readOnly) {
        this.db = db;
        this.readOnly = readOnly;
        this.graph = graph;
        this.conflicts = conflicts;
        this.protocol = protocol;
        this.schema = schema;
        this.writes = new WriteSet(protocol.maxRecordBytes());
        this.s = snapshot.timestamp();
        this.lease = transactions.lease(this, snapshot);
    }

    @Override
    public long snapshotTimestamp() {
        return s;
    }

    @Override
    public long commitTimestamp() {
        return commitTimestamp;
    }

    // ------------------------------------------------------------------ writes

    @Override
    public long addNode(Set<String> labels, Map<String, Object> properties) {
        List<String> names = Validation.labels(labels);
        Limits.labels(names);
        Limits.properties("properties", properties);
        Map<String, Object> props = PropertyValues.normalizeAll("properties", properties);
        checkWritable();
        long id = graph.store().reserveNodeId();
        writes.putNode(id, new Node(id, Set.copyOf(names), props), true);
        return id;
    }

    @Override
    public long addEdge(long from, long to, String type, Map<String, Object> properties) {
        Validation.name("type", type);
        Limits.properties("properties", properties);
        Map<String, Object> props = PropertyValues.normalizeAll("properties", properties);
        checkWritable();
        requireNodeExists(from);
        requireNodeExists(to);
        for (long endpoint : new long[] {from, to}) {
            if (!writes.createdNode(endpoint)) {
                checkConflict(() -> conflicts.checkEdgeEndpoint(endpoint));
            }
        }
        long id = graph.store().reserveEdgeId();
        writes.putEdge(id, new Edge(id, from, to, type, props), true);
        return id;
    }

    @Override
    public void setNodeProperty(long id, String key, Object value) {
        Object v = PropertyValues.normalize(key, value);
        updateNodeProperties(id, props -> PropertyValues.with(props, key, v));
    }

    @Override
    public void removeNodeProperty(long id, String key) {
        PropertyValues.requireKey(key);
        updateNodeProperties(id, props -> PropertyValues.without(props, key));
    }

    private void updateNodeProperties(long id, UnaryOperator<Map<String, Object>> change) {
        checkWritable();
        Node n = requireNode(id);
        Map<String, Object> changed = change.apply(n.properties());
        Limits.properties("properties of node " + id, changed);
        checkNodeWritable(id, false);
        writes.putNode(id, new Node(id, n.labels(), changed), false);
    }

    @Override
    public boolean addLabel(long id, String label) {
        Validation.name("label", label);
        return changeLabels(id, labels -> labels.add(label));
    }

    @Override
    public boolean removeLabel(long id, String label) {
        Validation.name("label", label);
        return changeLabels(id, labels -> labels.remove(label));
    }

    private boolean changeLabels(long id, Predicate<Set<String>> change) {
        checkWritable();
        Node n = requireNode(id);
        Set<String> labels = new HashSet<>(n.labels());
        if (!change.test(labels)) {
            return false;
        }
        Limits.labels(labels);
        checkNodeWritable(id, false);
        writes.putNode(id, new Node(id, labels, n.properties()), false);
        return true;
    }

    @Override
    public void setEdgeProperty(long id, String key, Object value) {
        Object v = PropertyValues.normalize(key, value);
        updateEdgeProperties(id, props -> PropertyValues.with(props, key, v));
    }

    @Override
    public void removeEdgeProperty(long id, String key) {
        PropertyValues.requireKey(key);
        updateEdgeProperties(id, props -> PropertyValues.without(props, key));
    }

    private void updateEdgeProperties(long id, UnaryOperator<Map<String, Object>> change) {
        checkWritable();
        Edge e = requireEdge(id);
        Map<String, Object> changed = change.apply(e.properties());
        Limits.properties("properties of edge " + id, changed);
        checkEdgeWritable(id);
        writes.putEdge(id, new Edge(id, e.from(), e.to(), e.type(), changed), false);
    }

    @Override
    public void deleteNode(long id) {
        checkWritable();
        requireNode(id);
        int degree = edges(id, Direction.BOTH, null).size();
        if (degree > 0) {
            throw new GraphException("node " + id + " still has " + degree + " edges; delete them first");
        }
        checkNodeWritable(id, true);
        writes.putNode(id, null, false);
    }

    @Override
    public void deleteEdge(long id) {
        checkWritable();
        requireEdge(id);
        checkEdgeWritable(id);
        writes.putEdge(id, null, false);
    }

    // ------------------------------------------------------------------ reads

    @Override
    public Optional<Node> getNode(long id) {
        checkActive();
        return Optional.ofNullable(node(id));
    }

    @Override
    public Optional<Edge> getEdge(long id) {
        checkActive();
        return Optional.ofNullable(edge(id));
    }

    @Override
    public List<Node> nodesByLabel(String label) {
        try (Stream<Node> nodes = streamNodesByLabel(label)) {
            return nodes.toList();
        }
    }

    @Override
    public Stream<Node> streamNodesByLabel(String label) {
        Validation.name("label", label);
        checkActive();
        return merged(graph.store().labelCandidates(label), n -> n.labels().contains(label));
    }

    @Override
    public List<Node> findNodes(String label, String key, Object value) {
        try (Stream<Node> nodes = streamFindNodes(label, key, value)) {
            return nodes.toList();
        }
    }

    @Override
    public Stream<Node> streamFindNodes(String label, String key, Object value) {
        Validation.name("label", label);
        Object v = PropertyValues.normalize(key, value);
        checkActive();
        Predicate<Node> matches = n -> n.labels().contains(label) && PropertyValues.sameValue(n.properties().get(key), v);
        // Through the index when it can answer this snapshot, else every node with the label.
        Iterator<Long> candidates = schema.serves(label, key, s)
                ? graph.store().indexCandidates(label, key, v)
                : graph.store().labelCandidates(label);
        return merged(candidates, matches);
    }

    @Override
    public Stream<Node> findNodes(String label, String key, Object from, boolean fromInclusive, Object to,
            boolean toInclusive) {
        Validation.name("label", label);
        return findNodes(PropertyRange.on(label, key).from(from, fromInclusive).to(to, toInclusive));
    }

    @Override
    public Stream<Node> findNodes(PropertyRange query) {
        if (query == null) {
            throw new IllegalArgumentException("range must not be null");
        }
        checkActive();
        String label = query.label();
        String key = query.key();
        ValueRange range = new ValueRange(query.lowerBound(), query.lowerInclusive(), query.upperBound(),
                query.upperInclusive());
        Comparator<Node> order = ValueRange.order(key, query.isDescending());
        Predicate<Node> matches = n -> n.labels().contains(label) && range.contains(n.properties().get(key));
        Stream<Node> found;
        if (schema.serves(label, key, s)) {
            List<Node> own = new ArrayList<>();
            for (WriteSet.Change<Node> c : writes.nodes().values()) {
                if (c.after() != null && matches.test(c.after())) {
                    own.add(c.after());
                }
            }
            own.sort(order);
            // Committed states of the nodes this transaction changed are replaced by its own.
            Iterator<Node> committed = graph.store().rangeScan(label, key, range, query.isDescending(),
                    id -> writes.node(id) != null ? null : committedNode(id));
            found = mergedInOrder(own.iterator(), committed, order);
        } else {
            found = sortedFromLabel(label, matches, order, query.maxResults());
        }
        return query.maxResults() == Long.MAX_VALUE ? found : found.limit(query.maxResults());
    }

    /** Two sorted sequences as one, lazily, checking at each step that this transaction is still active. */
    private Stream<Node> mergedInOrder(Iterator<Node> own, Iterator<Node> committed, Comparator<Node> order) {
        Node[] heads = new Node[2];
        return LazyStream.of(() -> {
            checkActive(); // a stream is bound to its transaction: no reads after it ends
            if (heads[0] == null && own.hasNext()) {
                heads[0] = own.next();
            }
            if (heads[1] == null && committed.hasNext()) {
                heads[1] = committed.next();
            }
            int pick = heads[0] == null ? 1 : heads[1] == null ? 0 : order.compare(heads[0], heads[1]) <= 0 ? 0 : 1;
            Node n = heads[pick];
            heads[pick] = null;
            return n;
        });
    }

    /**
     * The range query without an index: every node with the label that matches, sorted, computed
     * when the stream is first read. With a limit only that many are kept (a bounded heap).
     */
    private Stream<Node> sortedFromLabel(String label, Predicate<Node> matches, Comparator<Node> order, long limit) {
        List<Iterator<Node>> sorted = new ArrayList<>(1);
        return LazyStream.of(() -> {
            checkActive();
            if (sorted.isEmpty()) {
                PriorityQueue<Node> kept = new PriorityQueue<>(order.reversed()); // the worst kept on top
                try (Stream<Node> nodes = streamNodesByLabel(label)) {
                    nodes.filter(matches).forEach(n -> {
                        kept.add(n);
                        if (kept.size() > limit) {
                            kept.poll();
                        }
                    });
                }
                List<Node> list = new ArrayList<>(kept);
                list.sort(order);
                sorted.add(list.iterator());
            }
            return sorted.get(0).hasNext() ? sorted.get(0).next() : null;
        });
    }

    @Override
    public List<Edge> edges(long nodeId, Direction direction, String type) {
        try (Stream<Edge> edges = streamEdges(nodeId, direction, type)) {
            return edges.toList();
        }
    }

    @Override
    public Stream<Edge> streamEdges(long nodeId, Direction direction, String type) {
        Validation.direction(direction);
        Validation.optionalName("type", type);
        checkActive();
        if (node(nodeId) == null) {
            return bound(Collections.emptyIterator());
        }
        // Sorted by id: the stored adjacency order changes as others commit and the collector
        // purges, and one snapshot must answer the same way each time it asks.
        long[] committed = {};
        if (!writes.createdNode(nodeId)) {
            committed = graph.readAdjacent(nodeId, direction, type, s).keySet().stream().mapToLong(Long::longValue)
                    .sorted().toArray();
            checkNotExpired();
        }
        return bound(new OwnChangesMerge<>(Arrays.stream(committed).iterator(), writes.edges(), this::committedEdge,
                e -> touches(e, nodeId, direction, type)));
    }

    @Override
    public List<Long> neighbours(long nodeId, Direction direction, String type) {
        return neighbourIds(nodeId, direction, type);
    }

    @Override
    public Stream<Long> streamNeighbours(long nodeId, Direction direction, String type) {
        return bound(neighbourIds(nodeId, direction, type).iterator());
    }

    /** Like {@link #edges} but from adjacency entries alone: no edge record is read. */
    private List<Long> neighbourIds(long nodeId, Direction direction, String type) {
        Validation.direction(direction);
        Validation.optionalName("type", type);
        checkActive();
        if (node(nodeId) == null) {
            return List.of();
        }
        Map<Long, Long> otherByEdge = new TreeMap<>(); // edge id order, as edges() lists them
        if (!writes.createdNode(nodeId)) {
            otherByEdge.putAll(graph.readAdjacent(nodeId, direction, type, s));
            checkNotExpired();
        }
        for (Map.Entry<Long, WriteSet.Change<Edge>> c : writes.edges().entrySet()) {
            Edge after = c.getValue().after();
            if (after != null && touches(after, nodeId, direction, type)) {
                otherByEdge.put(c.getKey(), after.from() == nodeId ? after.to() : after.from());
            } else {
                otherByEdge.remove(c.getKey());
            }
        }
        return new ArrayList<>(new LinkedHashSet<>(otherByEdge.values()));
    }

    @Override
    public Stream<Long> traverse(long start, Direction direction, String type, int maxDepth) {
        Validation.direction(direction);
        checkActive();
        return bound(Traversal.breadthFirst(start, maxDepth, node(start) != null, n -> neighbours(n, direction, type))
                .iterator());
    }

    @Override
    public Optional<List<Long>> shortestPath(long from, long to, Direction direction, String type) {
        Validation.direction(direction);
        checkActive();
        if (node(from) == null || node(to) == null) {
            return Optional.empty();
        }
        return Traversal.shortestPath(from, to, n -> neighbours(n, direction, type));
    }

    // ------------------------------------------------------------------ scans and counts

    @Override
    public Stream<Node> allNodes() {
        checkActive();
        return merged(graph.storedNodeIds(), n -> true);
    }

    @Override
    public Stream<Edge> allEdges() {
        checkActive();
        return bound(new OwnChangesMerge<>(graph.storedEdgeIds(), writes.edges(), this::committedEdge, e -> true));
    }

    @Override
    public long countNodes() {
        checkActive();
        long n = graph.countNodes(s);
        checkNotExpired();
        return n + ownCountChange(writes.nodes());
    }

    @Override
    public long countNodes(String label) {
        try (Stream<Node> nodes = streamNodesByLabel(label)) {
            return nodes.count();
        }
    }

    @Override
    public long countEdges() {
        checkActive();
        long n = graph.countEdges(s);
        checkNotExpired();
        return n + ownCountChange(writes.edges());
    }

    /** What this transaction's own changes add to a count of the snapshot's entities. */
    private static <T> long ownCountChange(Map<Long, WriteSet.Change<T>> changes) {
        long delta = 0;
        for (WriteSet.Change<T> c : changes.values()) {
            if (c.created() && c.after() != null) {
                delta++;
            } else if (!c.created() && c.after() == null) {
                delta--; // a change of an entity it did not create is of one its snapshot sees
            }
        }
        return delta;
    }

    @Override
    public long degree(long nodeId, Direction direction, String type) {
        Validation.direction(direction);
        Validation.optionalName("type", type);
        checkActive();
        if (node(nodeId) == null) {
            return 0;
        }
        long n = 0;
        if (!writes.createdNode(nodeId)) {
            n = graph.readDegree(nodeId, direction, type, s);
            checkNotExpired();
        }
        for (Map.Entry<Long, WriteSet.Change<Edge>> e : writes.edges().entrySet()) {
            WriteSet.Change<Edge> c = e.getValue();
            if (c.created()) {
                if (c.after() != null && touches(c.after(), nodeId, direction, type)) {
                    n++;
                }
            } else if (c.after() == null) {
                Edge before = committedEdge(e.getKey());
                if (before != null && touches(before, nodeId, direction, type)) {
                    n--;
                }
            }
        }
        return n;
    }

    @Override
    public Set<String> labels() {
        checkActive();
        SortedSet<String> candidates = new TreeSet<>(graph.store().labelNames());
        for (WriteSet.Change<Node> c : writes.nodes().values()) {
            if (c.after() != null) {
                candidates.addAll(c.after().labels());
            }
        }
        SortedSet<String> inUse = new TreeSet<>();
        for (String label : candidates) {
            try (Stream<Node> nodes = streamNodesByLabel(label)) {
                if (nodes.findAny().isPresent()) {
                    inUse.add(label);
                }
            }
        }
        return Collections.unmodifiableSortedSet(inUse);
    }

    @Override
    public Set<String> edgeTypes() {
        checkActive();
        Set<String> known = new HashSet<>(graph.store().edgeTypeNames());
        for (WriteSet.Change<Edge> c : writes.edges().values()) {
            if (c.after() != null) {
                known.add(c.after().type());
            }
        }
        try (Stream<Edge> edges = allEdges()) {
            return namesInUse(known, edges.map(e -> Set.of(e.type())));
        }
    }

    @Override
    public Set<String> propertyKeys() {
        checkActive();
        Set<String> known = new HashSet<>(graph.store().propertyKeyNames());
        writes.nodes().values().forEach(c -> {
            if (c.after() != null) {
                known.addAll(c.after().properties().keySet());
            }
        });
        writes.edges().values().forEach(c -> {
            if (c.after() != null) {
                known.addAll(c.after().properties().keySet());
            }
        });
        try (Stream<Node> nodes = allNodes(); Stream<Edge> edges = allEdges()) {
            return namesInUse(known, Stream.concat(nodes.map(n -> n.properties().keySet()),
                    edges.map(e -> e.properties().keySet())));
        }
    }

    /**
     * The names the entities of {@code namesPerEntity} use, in name order, read until every name
     * in {@code known} (a superset of all they can use) has been seen.
     */
    private static SortedSet<String> namesInUse(Set<String> known, Stream<Set<String>> namesPerEntity) {
        SortedSet<String> seen = new TreeSet<>();
        Iterator<Set<String>> it = namesPerEntity.iterator();
        while (seen.size() < known.size() && it.hasNext()) {
            seen.addAll(it.next());
        }
        return Collections.unmodifiableSortedSet(seen);
    }

    // ------------------------------------------------------------------ end

    @Override
    public void commit() {
        checkActive();
        state = State.COMMITTING;
        try {
            WriteSet handed = writes.handOver();
            if (!handed.isEmpty()) {
                try {
                    commitTimestamp = protocol.commit(s, handed, this::checkNotExpired);
                } catch (ConcurrentModificationException e) {
                    // Thrown while the commit read the changes, before it installed any.
                    throw new IllegalStateException("transaction was changed by another thread while it committed;"
                            + " a Transaction must be used by one thread at a time", e);
                }
            }
            end(State.COMMITTED);
        } catch (RuntimeException | Error e) {
            fail(); // nothing of this transaction was published
            throw e;
        }
    }

    @Override
    public void rollback() {
        if (state == State.COMMITTED || state == State.ROLLED_BACK) {
            throw new IllegalStateException("transaction already " + describe(state));
        }
        end(State.ROLLED_BACK);
    }

    @Override
    public void close() {
        if (state == State.ACTIVE || state == State.FAILED) {
            end(State.ROLLED_BACK);
        }
    }

    private void end(State finalState) {
        state = finalState;
        writes.clear();
        db.release(lease, finalState == State.COMMITTED);
    }

    /** Committed or rolled back (closed): for {@link ConflictRetry}, which commits what its work left open. */
    boolean isFinished() {
        return state == State.COMMITTED || state == State.ROLLED_BACK;
    }

    private void fail() {
        state = State.FAILED;
        writes.clear();
    }

    /** Runs a check of the {@link ConflictRule}; a conflict fails this transaction. */
    private void checkConflict(Runnable check) {
        try {
            check.run();
        } catch (WriteConflictException e) {
            fail();
            throw e;
        }
    }

    // ------------------------------------------------------------------ internals

    private void checkActive() {
        db.checkOpen();
        State st = state;
        if (st != State.ACTIVE) {
            throw new IllegalStateException(switch (st) {
                case FAILED -> "transaction failed (write conflict or database failure); it can only be rolled back or closed";
                case COMMITTING -> "transaction is committing in another thread; a Transaction must be used by one thread"
                        + " at a time";
                default -> "transaction already " + describe(st);
            });
        }
        checkNotExpired();
    }

    /**
     * {@link #checkActive} for a write: a read-only transaction refuses it before anything
     * changes, and stays usable for reads.
     */
    private void checkWritable() {
        checkActive();
        if (readOnly) {
            throw new IllegalStateException("read-only transaction (ConcurrentGraphDB.readTransaction) cannot write;"
                    + " use inTransaction or begin() to write");
        }
    }

    /**
     * Refuses a transaction the database aborted for its age: its snapshot no longer holds back
     * reclamation, so what it would read may be gone. Checked before and after every read.
     */
    private void checkNotExpired() {
        if (lease.isExpired()) {
            if (state == State.ACTIVE) {
                fail();
            }
            throw new GraphException("transaction aborted: it was open longer than maxTransactionAgeMillis (began on"
                    + " thread " + lease.threadName() + "); it can only be rolled back or closed");
        }
    }

    private static String describe(State st) {
        return st == State.COMMITTED ? "committed" : "rolled back";
    }

    /** First updater's check, before the write is buffered (commit asks the same rule again). */
    private void checkNodeWritable(long id, boolean deleting) {
        if (!writes.createdNode(id)) {
            checkConflict(() -> conflicts.checkNodeWrite(id, s, deleting));
        }
    }

    private void checkEdgeWritable(long id) {
        WriteSet.Change<Edge> c = writes.edge(id);
        if (c == null || !c.created()) {
            checkConflict(() -> conflicts.checkEdgeWrite(id, s));
        }
    }

    private Node node(long id) {
        WriteSet.Change<Node> c = writes.node(id);
        return c != null ? c.after() : committedNode(id);
    }

    private Edge edge(long id) {
        WriteSet.Change<Edge> c = writes.edge(id);
        return c != null ? c.after() : committedEdge(id);
    }

    /** The node as the snapshot sees it, ignoring this transaction's writes. */
    private Node committedNode(long id) {
        Node n = graph.readNode(id, s);
        checkNotExpired();
        return n;
    }

    /** The edge as the snapshot sees it, ignoring this transaction's writes. */
    private Edge committedEdge(long id) {
        Edge e = graph.readEdge(id, s);
        checkNotExpired();
        return e;
    }

    private Node requireNode(long id) {
        Node n = node(id);
        if (n == null) {
            throw new EntityNotFoundException("node " + id + " does not exist");
        }
        return n;
    }

    /** {@link #requireNode} for a caller that needs only to know the node is there (an edge's endpoints). */
    private void requireNodeExists(long id) {
        WriteSet.Change<Node> c = writes.node(id);
        boolean exists;
        if (c != null) {
            exists = c.after() != null;
        } else {
            exists = graph.readNodeExists(id, s);
            checkNotExpired();
        }
        if (!exists) {
            throw new EntityNotFoundException("node " + id + " does not exist");
        }
    }

    private Edge requireEdge(long id) {
        Edge e = edge(id);
        if (e == null) {
            throw new EntityNotFoundException("edge " + id + " does not exist");
        }
        return e;
    }

    private static boolean touches(Edge e, long node, Direction direction, String type) {
        if (type != null && !type.equals(e.type())) {
            return false;
        }
        return switch (direction) {
            case OUTGOING -> e.from() == node;
            case INCOMING -> e.to() == node;
            case BOTH -> e.from() == node || e.to() == node;
        };
    }

    /**
     * Committed candidates resolved at the snapshot, merged in id order with this transaction's
     * own nodes. A candidate cursor steps outside the guard (the index's is safe beside writers on
     * its own; the id scan guards each batch); each resolution is one guarded read.
     */
    private Stream<Node> merged(Iterator<Long> candidates, Predicate<Node> matches) {
        return bound(new OwnChangesMerge<>(candidates, writes.nodes(), this::committedNode, matches));
    }

    /** A stream of {@code source} bound to this transaction: each step first checks it is still active. */
    private <T> Stream<T> bound(Iterator<T> source) {
        return LazyStream.of(() -> {
            checkActive(); // a stream is bound to its transaction: no reads after it ends
            return source.hasNext() ? source.next() : null;
        });
    }
}
