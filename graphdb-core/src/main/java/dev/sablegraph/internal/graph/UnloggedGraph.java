package dev.sablegraph.internal.graph;

import dev.sablegraph.internal.util.AccessGuard;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.PropertyValues;
import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.internal.util.LazyStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The graph store without a write-ahead log and without transactions: not a second database. Each
 * call is atomic against other threads, but not against a crash: changes are made durable only by
 * {@link #flush()} and {@link #close()}, and a crash loses everything since the last of them.
 * (Nor does the file stay as that flush left it: the page cache may write changed pages when it
 * evicts them, so after a crash the file can hold part of the lost changes; {@link #checkIntegrity}
 * tells, nothing repairs it.) It serves tests and storage-layer benchmarks (an offline bulk load goes
 * through {@code BulkLoader}, which builds on {@link GraphStore} directly); applications use
 * {@code ConcurrentGraphDB}, which logs every commit and gives
 * snapshot-isolated transactions. A directory that {@code ConcurrentGraphDB} has used is refused
 * ({@link DatabaseKind}).
 *
 * <p>One writer at a time; readers run concurrently with each other and never see a write half
 * done, kept apart by the {@link AccessGuard} of the configured
 * {@link dev.sablegraph.core.LockStrategy}. Every write validates its arguments before it changes
 * anything, so a call that throws {@link IllegalArgumentException} or
 * {@link EntityNotFoundException} leaves the graph unchanged.
 */
public final class UnloggedGraph implements AutoCloseable {
    private final GraphStore store;
    private final AccessGuard guard;
    private volatile boolean closed; // set under the guard's exclusive side; read without it, hence volatile

    private UnloggedGraph(GraphStore store, AccessGuard guard) {
        this.store = store;
        this.guard = guard;
    }

    public static UnloggedGraph open(Path directory) {
        return open(directory, GraphConfig.defaults());
    }

    /** Opens or creates the database in {@code directory}; refused while another opener holds it. */
    public static UnloggedGraph open(Path directory, GraphConfig config) {
        GraphStore store = GraphStore.open(directory, config);
        try {
            finishIndexWork(store);
        } catch (RuntimeException | Error e) {
            store.closeWithoutFlush();
            throw e;
        }
        return new UnloggedGraph(store, AccessGuard.of(config.lockStrategy()));
    }

    /**
     * Completes what open found unfinished: entries of dropped indexes (or of an older database's
     * automatic index) are deleted, and indexes still building are built.
     */
    private static void finishIndexWork(GraphStore store) {
        while (store.deleteDroppedEntries(4096) > 0) {
            // deleted in batches, like a drop
        }
        for (GraphStore.IndexInfo index : store.indexes()) {
            if (!index.online()) {
                build(store, index.label(), index.key());
            }
        }
    }

    private static void build(GraphStore store, String label, String key) {
        for (long from = 0; from >= 0; ) {
            from = store.buildIndex(label, key, from, Integer.MAX_VALUE, id -> false);
        }
        store.markIndexOnline(label, key);
    }

    /**
     * Creates an index on (label, key) and builds it before returning (writers wait meanwhile); from
     * then on {@link #findNodes} uses it. Unique constraints are for {@code ConcurrentGraphDB}.
     *
     * @throws IllegalArgumentException when there is an index on (label, key) already
     */
    public void createIndex(String label, String key) {
        Validation.name("label", label);
        PropertyValues.requireKey(key);
        exclusive(() -> {
            if (store.index(label, key) != null) {
                throw new IllegalArgumentException("there is an index on :" + label + "(" + key + ") already");
            }
            store.addIndex(label, key, false);
            build(store, label, key);
        });
    }

    /**
     * Drops the index on (label, key) and deletes its entries before returning.
     *
     * @throws IllegalArgumentException when there is none
     */
    public void dropIndex(String label, String key) {
        Validation.name("label", label);
        PropertyValues.requireKey(key);
        exclusive(() -> {
            if (store.index(label, key) == null) {
                throw new IllegalArgumentException("there is no index on :" + label + "(" + key + ")");
            }
            store.removeIndex(label, key);
            while (store.deleteDroppedEntries(4096) > 0) {
                // batches
            }
        });
    }

    /** The indexes of the schema, by label, then key. */
    public List<GraphStore.IndexInfo> indexes() {
        return shared(store::indexes);
    }

    public Path directory() {
        return store.directory();
    }

    // ------------------------------------------------------------------ writes

    public long addNode(Set<String> labels, Map<String, ?> properties) {
        List<String> labelNames = Validation.labels(labels);
        Map<String, Object> props = PropertyValues.normalizeAll("properties", properties);
        return exclusive(() -> {
            long id = store.reserveNodeId();
            store.createNode(id, labelNames, props);
            return id;
        });
    }

    public long addEdge(long from, long to, String type, Map<String, ?> properties) {
        Validation.name("type", type);
        Map<String, Object> props = PropertyValues.normalizeAll("properties", properties);
        return exclusive(() -> {
            requireNode(from);
            requireNode(to);
            long id = store.reserveEdgeId();
            store.createEdge(id, from, to, type, props);
            return id;
        });
    }

    public void setNodeProperty(long id, String key, Object value) {
        Object v = PropertyValues.normalize(key, value);
        updateNode(id, n -> PropertyValues.with(n.properties(), key, v), null, null);
    }

    public void removeNodeProperty(long id, String key) {
        PropertyValues.requireKey(key);
        updateNode(id, n -> PropertyValues.without(n.properties(), key), null, null);
    }

    /** Adds a label to a node; false when it already had it. */
    public boolean addLabel(long id, String label) {
        Validation.name("label", label);
        return updateNode(id, Node::properties, label, null);
    }

    /** Removes a label from a node; false when it did not have it. */
    public boolean removeLabel(long id, String label) {
        Validation.name("label", label);
        return updateNode(id, Node::properties, null, label);
    }

    private boolean updateNode(long id, Function<Node, Map<String, Object>> props, String addLabel, String removeLabel) {
        return exclusive(() -> {
            Node n = requireNode(id);
            Set<String> labels = new HashSet<>(n.labels());
            boolean changed = addLabel != null ? labels.add(addLabel) : removeLabel == null || labels.remove(removeLabel);
            if (changed) {
                store.replaceNode(id, labels, props.apply(n), true);
            }
            return changed;
        });
    }

    public void setEdgeProperty(long id, String key, Object value) {
        Object v = PropertyValues.normalize(key, value);
        exclusive(() -> store.replaceEdge(id, PropertyValues.with(requireEdge(id).properties(), key, v)));
    }

    public void removeEdgeProperty(long id, String key) {
        PropertyValues.requireKey(key);
        exclusive(() -> store.replaceEdge(id, PropertyValues.without(requireEdge(id).properties(), key)));
    }

    /** Deletes a node; refused with {@link GraphException} while it still has edges. */
    public void deleteNode(long id) {
        exclusive(() -> {
            requireNode(id);
            store.purgeNode(id);
        });
    }

    public void deleteEdge(long id) {
        exclusive(() -> {
            requireEdge(id);
            store.purgeEdge(id);
        });
    }

    // ------------------------------------------------------------------ queries

    public Optional<Node> getNode(long id) {
        return Optional.ofNullable(shared(() -> store.node(id)));
    }

    public Optional<Edge> getEdge(long id) {
        return Optional.ofNullable(shared(() -> store.edge(id)));
    }

    public boolean nodeExists(long id) {
        return shared(() -> store.node(id) != null);
    }

    public long nodeCount() {
        return shared(store::nodeCount);
    }

    public long edgeCount() {
        return shared(store::edgeCount);
    }

    /** All nodes with a label, in id order. For very large labels use {@link #streamNodesByLabel}. */
    public List<Node> nodesByLabel(String label) {
        try (Stream<Node> s = streamNodesByLabel(label)) {
            return s.toList();
        }
    }

    /**
     * Nodes with a label, in id order, read lazily from the label index with memory bounded by one
     * index page. Each step is its own guarded read, so writes may interleave: a node is returned
     * if it has the label when the stream reaches it.
     */
    public Stream<Node> streamNodesByLabel(String label) {
        Validation.name("label", label);
        checkOpen();
        return candidates(() -> store.labelCandidates(label), id -> {
            Node n = store.node(id);
            return n != null && n.labels().contains(label) ? n : null;
        });
    }

    /**
     * Nodes with {@code label} whose property {@code key} equals {@code value}, in id order: through
     * the index on (label, key) when there is one, else by reading every node with the label.
     */
    public List<Node> findNodes(String label, String key, Object value) {
        Validation.name("label", label);
        Object v = PropertyValues.normalize(key, value);
        checkOpen();
        GraphStore.IndexInfo index = shared(() -> store.index(label, key));
        Supplier<Iterator<Long>> ids = index != null && index.online()
                ? () -> store.indexCandidates(label, key, v)
                : () -> store.labelCandidates(label);
        try (Stream<Node> s = candidates(ids, id -> {
            Node n = store.node(id);
            return n != null && n.labels().contains(label) && PropertyValues.sameValue(n.properties().get(key), v) ? n : null;
        })) {
            return s.toList();
        }
    }

    /**
     * A lazy stream over index candidates. The index cursor is safe beside writers on its own (it
     * validates its reads and re-seeks after its last key when the tree changed), so it steps
     * outside the guard; only resolving an id to a node is a guarded read, which may be retried
     * without side effects.
     */
    private Stream<Node> candidates(Supplier<Iterator<Long>> open, Function<Long, Node> resolve) {
        Iterator<Long> ids = open.get();
        return LazyStream.of(() -> {
            while (ids.hasNext()) {
                long id = ids.next();
                Node n = shared(() -> resolve.apply(id));
                if (n != null) {
                    return n;
                }
            }
            return null;
        });
    }

    /** Edges at a node in a direction, of one type or of any ({@code type == null}). Self-loops appear once for BOTH. */
    public List<Edge> edges(long nodeId, Direction direction, String type) {
        Validation.direction(direction);
        Validation.optionalName("type", type);
        return shared(() -> {
            List<Edge> out = new ArrayList<>();
            store.forEachAdjacent(nodeId, direction, type, (edge, other) -> out.add(store.edge(edge)));
            return out;
        });
    }

    /** Distinct neighbour ids of a node, in the order their edges are listed. */
    public List<Long> neighbours(long nodeId, Direction direction, String type) {
        Validation.direction(direction);
        Validation.optionalName("type", type);
        return shared(() -> {
            Set<Long> seen = new LinkedHashSet<>();
            store.forEachAdjacent(nodeId, direction, type, (edge, other) -> seen.add(other));
            return new ArrayList<>(seen);
        });
    }

    /**
     * Breadth-first traversal from {@code start} up to {@code maxDepth} hops, lazily: the start node
     * first, then each reachable node once, nearer before farther. Memory holds the visited set and
     * one layer, never a list of all results. Empty when the start node does not exist.
     */
    public Stream<Long> traverse(long start, Direction direction, String type, int maxDepth) {
        Validation.direction(direction);
        Validation.optionalName("type", type);
        return Traversal.breadthFirst(start, maxDepth, nodeExists(start), n -> neighbours(n, direction, type));
    }

    /**
     * An unweighted shortest path as the node ids along it, both ends included, following edges in
     * {@code direction} and of {@code type} (null = any). Empty when there is none.
     */
    public Optional<List<Long>> shortestPath(long from, long to, Direction direction, String type) {
        Validation.direction(direction);
        Validation.optionalName("type", type);
        if (!nodeExists(from) || !nodeExists(to)) {
            return Optional.empty();
        }
        return Traversal.shortestPath(from, to, n -> neighbours(n, direction, type));
    }

    public PageCacheMetrics pageCacheMetrics() {
        return store.pageCacheMetrics();
    }

    /** Writes every change to the data file and forces it. */
    public void flush() {
        exclusive(store::flush);
    }

    /**
     * Checks the whole database and reports what it found (see {@link IntegrityReport}): flushes,
     * then verifies every page of the file on disk (checksum, type) and the stored graph
     * (adjacency in both directions, indexes equal to the data, no orphaned records). Writes wait
     * while it runs; it reads the whole file, so it takes time proportional to the database.
     */
    public IntegrityReport checkIntegrity() {
        return exclusive(() -> {
            // After the flush no page is dirty and writers are held off, so nothing writes the
            // file while it is read: readers only evict clean pages.
            store.flush();
            IntegrityReport.Builder report = IntegrityReport.builder();
            store.pager().checkPagesOnDisk(report);
            store.checkIntegrity(id -> false, report);
            return report.build();
        });
    }

    /** Flushes and releases the directory. Idempotent. */
    @Override
    public void close() {
        guard.write(() -> {
            if (!closed) {
                closed = true;
                store.close();
            }
        });
    }

    // ------------------------------------------------------------------ internals

    /** Runs {@code op} on the guard's shared (read) side. */
    private <T> T shared(Supplier<T> op) {
        checkOpen();
        return guard.read(() -> {
            checkOpen();
            return op.get();
        });
    }

    /** Runs {@code op} on the guard's exclusive (write) side. */
    private <T> T exclusive(Supplier<T> op) {
        checkOpen();
        return guard.write(() -> {
            checkOpen();
            return op.get();
        });
    }

    private void exclusive(Runnable op) {
        exclusive(() -> {
            op.run();
            return null;
        });
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("database " + store.directory() + " is closed");
        }
    }

    private Node requireNode(long id) {
        return require(store.node(id), "node", id);
    }

    private Edge requireEdge(long id) {
        return require(store.edge(id), "edge", id);
    }

    private static <T> T require(T found, String kind, long id) {
        if (found == null) {
            throw new EntityNotFoundException(kind + " " + id + " does not exist");
        }
        return found;
    }
}
