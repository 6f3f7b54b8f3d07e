package dev.sablegraph.internal.graph;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import dev.sablegraph.internal.graph.codec.AdjacencyBlock;
import dev.sablegraph.internal.graph.codec.EdgeRecord;
import dev.sablegraph.internal.graph.codec.IndexKeys;
import dev.sablegraph.internal.graph.codec.NodeRecord;
import dev.sablegraph.internal.graph.codec.PropertyList;
import dev.sablegraph.internal.index.BTree;
import dev.sablegraph.internal.record.IdMap;
import dev.sablegraph.internal.record.RecordPointer;
import dev.sablegraph.internal.record.RecordStore;
import dev.sablegraph.internal.storage.DirectoryLock;
import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.internal.storage.Pager;
import dev.sablegraph.internal.storage.RollbackPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongPredicate;

/**
 * The graph's storage primitives on the paged file: node and edge records, token dictionary,
 * adjacency chains, label and property indexes. It holds the newest committed state only.
 *
 * <p>Not synchronised: callers serialise writes and keep reads from overlapping them (or validate
 * reads afterwards) — {@link GraphDB} does so with its {@link AccessGuard}, the transaction layer
 * with its own. Arguments are trusted (validated by those callers); states passed in are already
 * normalised property maps.
 *
 * <p>Index maintenance is explicit so that the transaction layer can keep entries that old
 * snapshots still need: {@link #replaceNode} can leave the old state's entries in place, and
 * {@link #removeIndexEntries} drops them later.
 */
public final class GraphStore implements AutoCloseable {
    /**
     * The subdirectory where a database with a write-ahead log keeps its log. Named here because
     * GraphDB, which has no log, must refuse a directory that holds one.
     */
    public static final String LOG_DIRECTORY = "wal";

    private final Path directory;
    private final DirectoryLock directoryLock;
    private final Pager pager;
    private final RecordStore nodes;
    private final RecordStore edges;
    private final RecordStore adjacency;
    private final IdMap nodeIds;
    private final IdMap edgeIds;
    private final BTree labelIndex;
    private final BTree propertyIndex;
    private final Tokens tokens;
    private final boolean kindMarkPending;

    private GraphStore(Path directory, DirectoryLock directoryLock, Pager pager, GraphConfig config,
            boolean kindMarkPending) {
        this.directory = directory;
        this.kindMarkPending = kindMarkPending;
        this.directoryLock = directoryLock;
        this.pager = pager;
        int threshold = config.compressionThreshold();
        this.nodes = RecordStore.open(pager, StoreLayout.NODE_STORE_SLOT, StoreLayout.NODE_STORE_ID, threshold);
        this.edges = RecordStore.open(pager, StoreLayout.EDGE_STORE_SLOT, StoreLayout.EDGE_STORE_ID, threshold);
        // Adjacency blocks are rewritten in place, so their stored size must never change: no compression.
        this.adjacency = RecordStore.open(pager, StoreLayout.ADJACENCY_STORE_SLOT, StoreLayout.ADJACENCY_STORE_ID,
                Integer.MAX_VALUE);
        this.tokens = new Tokens(pager, RecordStore.open(pager, StoreLayout.TOKEN_STORE_SLOT,
                StoreLayout.TOKEN_STORE_ID, Integer.MAX_VALUE));
        this.nodeIds = IdMap.open(pager, StoreLayout.NODE_IDS_SLOT);
        this.edgeIds = IdMap.open(pager, StoreLayout.EDGE_IDS_SLOT);
        this.labelIndex = BTree.open(pager, StoreLayout.LABEL_INDEX_SLOT, IndexKeys.LABEL_KEY_SIZE);
        this.propertyIndex = BTree.open(pager, StoreLayout.PROPERTY_INDEX_SLOT, IndexKeys.PROPERTY_KEY_SIZE);
    }

    /**
     * Opens or creates the store of a database without a log (GraphDB). Refused while another
     * opener holds the directory, and for a database with a write-ahead log.
     */
    public static GraphStore open(Path directory, GraphConfig config) {
        return open(directory, config, DatabaseKind.WITHOUT_LOG, dataFile -> { });
    }

    /** Work that must run on the data file after the directory is locked and before it is opened. */
    @FunctionalInterface
    public interface BeforeOpen {
        void run(Path dataFile);
    }

    /**
     * Opens or creates the store of a database with a write-ahead log, running {@code recovery}
     * while holding the directory lock but before the data file is read: crash recovery repairs
     * pages there. A store without a log is taken over: from then on its data file says that it has
     * one (see {@link #kindMarkPending()}).
     */
    public static GraphStore openWithLog(Path directory, GraphConfig config, BeforeOpen recovery) {
        return open(directory, config, DatabaseKind.WITH_LOG, recovery);
    }

    /**
     * A failed open, whatever it throws, releases the lock and removes what it created (the
     * directory, the lock file, a new data file), so that the directory is as it was.
     */
    private static GraphStore open(Path directory, GraphConfig config, DatabaseKind kind, BeforeOpen beforeOpen) {
        if (directory == null) {
            throw new IllegalArgumentException("directory must not be null");
        }
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        DirectMemory.requireRoomForPageCache(config.pageCacheBytes());
        DirectoryLock dirLock = DirectoryLock.acquire(directory);
        Path dataFile = directory.resolve(StoreLayout.DATA_FILE);
        boolean createdDataFile = false;
        Pager pager = null;
        try {
            kind.checkDirectory(directory);
            beforeOpen.run(dataFile);
            createdDataFile = !Files.exists(dataFile);
            pager = Pager.open(dataFile, config);
            boolean kindMarkPending = kind.claim(pager, directory);
            if (createdDataFile) {
                pager.flush(); // only the new header: a new file says its kind from the start
                kindMarkPending = false;
            }
            return new GraphStore(directory, dirLock, pager, config, kindMarkPending);
        } catch (RuntimeException | Error failure) { // all there is: nothing in the block throws a checked exception
            // An Error too (an OutOfMemoryError from the page cache's allocation): the lock must go.
            IllegalArgumentException explained = failure instanceof OutOfMemoryError oom
                    ? DirectMemory.explain(config.pageCacheBytes(), oom) : null;
            abandon(dirLock, pager, createdDataFile ? dataFile : null, explained != null ? explained : failure);
            if (explained != null) {
                throw explained;
            }
            throw failure;
        }
    }

    /**
     * Undoes a failed open: closes the pager without writing (nothing of a failed open may reach
     * the file), deletes the data file if this open created it, and abandons the lock. Failures
     * of the clean-up are added to {@code failure}.
     */
    private static void abandon(DirectoryLock dirLock, Pager pager, Path createdDataFile, Throwable failure) {
        try {
            if (pager != null) {
                pager.closeWithoutFlush();
            }
            if (createdDataFile != null) {
                Files.deleteIfExists(createdDataFile);
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        } finally {
            dirLock.abandon();
        }
    }

    public Path directory() {
        return directory;
    }

    /**
     * True when open changed the database kind its data file records (taking over a store without
     * a log, or marking one written before kinds were recorded) and the change is in memory only:
     * it reaches the file with the header at the next checkpoint or flush.
     */
    public boolean kindMarkPending() {
        return kindMarkPending;
    }

    public PageCacheMetrics pageCacheMetrics() {
        return pager.metrics();
    }

    public long nodeCount() {
        return nodes.recordCount();
    }

    public long edgeCount() {
        return edges.recordCount();
    }

    /** Ids handed out so far (live or not); ids are never reused. */
    public long nodeIdLimit() {
        return nodeIds.nextId();
    }

    public void flush() {
        pager.flush();
    }

    @Override
    public void close() {
        try {
            pager.close();
        } finally {
            directoryLock.close();
        }
    }

    /** Closes without writing anything: a caller with a write-ahead log has checkpointed already. */
    public void closeWithoutFlush() {
        try {
            pager.closeWithoutFlush();
        } finally {
            directoryLock.close();
        }
    }

    /** The pager, for the durability layer's checkpoints (page images, header, forcing). */
    public Pager pager() {
        return pager;
    }

    // ------------------------------------------------------------------ writes

    public long reserveNodeId() {
        return nodeIds.allocate();
    }

    public long reserveEdgeId() {
        return edgeIds.allocate();
    }

    /** Makes a logged node id allocated again after a crash (recovery). */
    public void ensureNodeId(long id) {
        nodeIds.ensureAllocated(id);
    }

    /** Makes a logged edge id allocated again after a crash (recovery). */
    public void ensureEdgeId(long id) {
        edgeIds.ensureAllocated(id);
    }

    /**
     * Runs {@code changes} as one unit: if they throw, every page, allocation, counter, free-space
     * hint and token they changed is put back before the exception propagates, as if they had
     * never run. If putting back fails too, a {@link RollbackFailedException} (with the original
     * failure as its cause) says the store's memory may hold part of the change.
     *
     * <p>The caller keeps every other writer of the store out for the whole call, and runs the
     * cache in no-steal mode (see {@link dev.sablegraph.internal.storage.PageCache#beginAtomicChange}).
     * Readers may overlap only if they validate what they read afterwards (the optimistic guard).
     */
    public void changeAtomically(Runnable changes) {
        List<RollbackPoint> points = new ArrayList<>(8);
        try {
            points.add(pager.beginAtomicChange());
            for (RecordStore store : List.of(nodes, edges, adjacency)) {
                points.add(store.rollbackPoint());
            }
            points.add(tokens.rollbackPoint());
            points.add(labelIndex.rollbackPoint());
            points.add(propertyIndex.rollbackPoint());
        } catch (RuntimeException | Error e) {
            points.forEach(RollbackPoint::discard);
            throw e;
        }
        try {
            changes.run();
        } catch (RuntimeException | Error failure) {
            restore(points, failure);
            throw failure;
        }
        points.forEach(RollbackPoint::discard);
    }

    private void restore(List<RollbackPoint> points, Throwable failure) {
        Throwable restoreFailure = null;
        for (RollbackPoint p : points) {
            try {
                p.restore();
            } catch (RuntimeException | Error e) {
                if (restoreFailure == null) {
                    restoreFailure = e;
                } else {
                    restoreFailure.addSuppressed(e);
                }
            }
        }
        if (restoreFailure != null) {
            failure.addSuppressed(restoreFailure);
            throw new RollbackFailedException("a change to " + directory + " failed (" + failure
                    + ") and could not be taken back (" + restoreFailure + ")", failure);
        }
    }

    /** Stores a node under a reserved id, with its index entries. */
    public void createNode(long id, Collection<String> labels, Map<String, Object> properties) {
        int[] labelTokens = labelTokens(labels);
        PropertyList plist = propertyList(properties);
        nodeIds.set(id, nodes.insert(NodeRecord.create(labelTokens, plist).encode()));
        for (int label : labelTokens) {
            indexNode(label, plist, id, true);
        }
    }

    /** Stores an edge under a reserved id; both endpoints must be stored nodes. */
    public void createEdge(long id, long from, long to, String type, Map<String, Object> properties) {
        requireNode(from);
        requireNode(to);
        int typeToken = tokens.getOrCreate(TokenKind.EDGE_TYPE, type);
        PropertyList plist = propertyList(properties);
        long outBlock = appendAdjacency(from, typeToken, true, id, to);
        long inBlock = appendAdjacency(to, typeToken, false, id, from);
        edgeIds.set(id, edges.insert(new EdgeRecord(from, to, typeToken, outBlock, inBlock, plist).encode()));
    }

    /**
     * Replaces a node's labels and properties. Index entries of the new state are added; those of
     * the old state that the new one lacks are removed only when {@code dropOldIndexEntries}.
     */
    public void replaceNode(long id, Collection<String> labels, Map<String, Object> properties,
            boolean dropOldIndexEntries) {
        NodeRecord old = requireNode(id);
        NodeRecord updated = new NodeRecord(labelTokens(labels), old.groups(), propertyList(properties));
        writeNode(id, updated);
        Set<IndexEntry> before = indexEntries(old, id);
        Set<IndexEntry> after = indexEntries(updated, id);
        for (IndexEntry e : after) {
            if (!before.contains(e)) {
                e.insertInto(this);
            }
        }
        if (dropOldIndexEntries) {
            for (IndexEntry e : before) {
                if (!after.contains(e)) {
                    e.deleteFrom(this);
                }
            }
        }
    }

    /** Replaces an edge's properties. */
    public void replaceEdge(long id, Map<String, Object> properties) {
        EdgeRecord e = requireEdge(id);
        writeEdge(id, e.withProperties(propertyList(properties)));
    }

    /**
     * Drops index entries of states a node no longer needs: every entry of {@code dropped} that is
     * neither an entry of a {@code retained} state nor of the node's stored state.
     */
    public void removeIndexEntries(long id, Collection<Node> dropped, Collection<Node> retained) {
        Set<IndexEntry> keep = new HashSet<>();
        NodeRecord stored = findNode(id);
        if (stored != null) {
            keep.addAll(indexEntries(stored, id));
        }
        for (Node n : retained) {
            keep.addAll(indexEntries(n));
        }
        for (Node n : dropped) {
            for (IndexEntry e : indexEntries(n)) {
                if (keep.add(e)) {
                    e.deleteFrom(this);
                }
            }
        }
    }

    /** Physically deletes a node with no stored edges, with its index entries. */
    public void purgeNode(long id) {
        NodeRecord r = requireNode(id);
        long degree = r.degree();
        if (degree > 0) {
            throw new GraphException("node " + id + " still has " + degree + " edges; delete them first");
        }
        for (IndexEntry e : indexEntries(r, id)) {
            e.deleteFrom(this);
        }
        for (NodeRecord.EdgeGroup g : r.groups()) {
            freeChain(g.outHead());
            freeChain(g.inHead());
        }
        nodes.delete(nodeIds.get(id));
        nodeIds.set(id, 0);
    }

    /** Physically deletes an edge and its adjacency entries. */
    public void purgeEdge(long id) {
        EdgeRecord e = requireEdge(id);
        removeAdjacency(e.from(), e.type(), true, e.outBlock(), id);
        removeAdjacency(e.to(), e.type(), false, e.inBlock(), id);
        edges.delete(edgeIds.get(id));
        edgeIds.set(id, 0);
    }

    // ------------------------------------------------------------------ reads

    /** The stored node, or null. */
    public Node node(long id) {
        NodeRecord r = findNode(id);
        return r == null ? null : toNode(id, r);
    }

    /** The stored edge, or null. */
    public Edge edge(long id) {
        EdgeRecord r = findEdge(id);
        return r == null ? null : toEdge(id, r);
    }

    /** Stored edges that have more than zero edges at the node (degree), for the delete check. */
    public long degree(long id) {
        NodeRecord r = findNode(id);
        return r == null ? 0 : r.degree();
    }

    /** Receives adjacency entries. */
    @FunctionalInterface
    public interface AdjacencyVisitor {
        void visit(long edge, long other);
    }

    /**
     * Visits the stored edges at a node in a direction, of one type or any ({@code type == null}).
     * With {@link Direction#BOTH} a self-loop is visited once.
     */
    public void forEachAdjacent(long nodeId, Direction direction, String type, AdjacencyVisitor visitor) {
        NodeRecord r = findNode(nodeId);
        if (r == null) {
            return;
        }
        int wanted = type == null ? -1 : tokens.idOf(TokenKind.EDGE_TYPE, type);
        if (type != null && wanted < 0) {
            return;
        }
        for (NodeRecord.EdgeGroup g : r.groups()) {
            if (wanted >= 0 && g.type() != wanted) {
                continue;
            }
            if (direction != Direction.INCOMING) {
                walkChain(g.outHead(), visitor, Long.MIN_VALUE);
            }
            if (direction != Direction.OUTGOING) {
                walkChain(g.inHead(), visitor, direction == Direction.BOTH ? nodeId : Long.MIN_VALUE);
            }
        }
    }

    /**
     * Ids of nodes that have, or recently had, a label, ascending, read lazily from the label index
     * (memory: one index page). Entries may be stale: callers check each node's state.
     */
    public Iterator<Long> labelCandidates(String label) {
        int l = tokens.idOf(TokenKind.LABEL, label);
        if (l < 0) {
            return java.util.Collections.emptyIterator();
        }
        return indexIds(labelIndex, IndexKeys.labelPrefix(l), IndexKeys.LABEL_KEY_SIZE, 4);
    }

    /** Ids of nodes whose (label, key) value has, or recently had, this digest; callers check each. */
    public Iterator<Long> propertyCandidates(String label, String key, Object value) {
        int l = tokens.idOf(TokenKind.LABEL, label);
        int k = tokens.idOf(TokenKind.PROPERTY_KEY, key);
        if (l < 0 || k < 0) {
            return java.util.Collections.emptyIterator();
        }
        return indexIds(propertyIndex, IndexKeys.propertyPrefix(l, k, value), IndexKeys.PROPERTY_KEY_SIZE,
                IndexKeys.PROPERTY_KEY_SIZE - 8);
    }

    private static Iterator<Long> indexIds(BTree tree, byte[] prefix, int keySize, int idOffset) {
        BTree.Cursor cursor = tree.seek(IndexKeys.lowest(prefix, keySize), IndexKeys.after(prefix, keySize));
        return new Iterator<>() {
            private Boolean ready;

            @Override
            public boolean hasNext() {
                if (ready == null) {
                    ready = cursor.next();
                }
                return ready;
            }

            @Override
            public Long next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = null;
                return java.nio.ByteBuffer.wrap(cursor.key()).getLong(idOffset);
            }
        };
    }

    // ------------------------------------------------------------------ integrity

    /**
     * Full check of the stored graph: records decode, adjacency agrees with edge records in both
     * directions, the indexes hold exactly the entries of the stored states, no record or block is
     * orphaned, the free-page list is sound. Reads through the page cache; the caller keeps writers
     * out while it runs.
     *
     * @param mayHoldStaleIndexEntries nodes whose older states some snapshot may still need: index
     *        entries of those states are expected, counted, and not reported
     */
    public void checkIntegrity(LongPredicate mayHoldStaleIndexEntries, IntegrityReport.Builder report) {
        pager.checkFreeList(report);
        new StoreIntegrityCheck(this, mayHoldStaleIndexEntries, report).run();
    }

    /**
     * Whether the stored state of the node an index key names has that entry: the one rule by which
     * index entries are judged against the data.
     */
    boolean indexEntryJustified(boolean label, byte[] key) {
        long id = label ? IndexKeys.labelKeyNode(key) : IndexKeys.propertyKeyNode(key);
        NodeRecord r = findNode(id);
        return r != null && indexEntries(r, id).contains(new IndexEntry(label, key));
    }

    /**
     * Drops the index entries of the given nodes that their stored states do not have. Recovery
     * calls it for the nodes whose older states a checkpoint kept entries for (snapshots then
     * running needed them; after a crash none does). One pass over both indexes.
     *
     * @return how many entries were dropped
     */
    public long dropStaleIndexEntries(long[] nodeIds) {
        if (nodeIds.length == 0) {
            return 0;
        }
        long[] sorted = nodeIds.clone();
        Arrays.sort(sorted);
        List<IndexEntry> stale = new ArrayList<>();
        for (boolean label : new boolean[] {true, false}) {
            BTree tree = label ? labelIndex : propertyIndex;
            tree.forEachPrefix(new byte[0], key -> {
                long id = label ? IndexKeys.labelKeyNode(key) : IndexKeys.propertyKeyNode(key);
                if (Arrays.binarySearch(sorted, id) >= 0 && !indexEntryJustified(label, key)) {
                    stale.add(new IndexEntry(label, key));
                }
            });
        }
        stale.forEach(e -> e.deleteFrom(this));
        return stale.size();
    }

    // Parts for StoreIntegrityCheck.
    Pager pagerForCheck() {
        return pager;
    }

    RecordStore nodeRecords() {
        return nodes;
    }

    RecordStore edgeRecords() {
        return edges;
    }

    RecordStore adjacencyRecords() {
        return adjacency;
    }

    IdMap nodeIdMap() {
        return nodeIds;
    }

    IdMap edgeIdMap() {
        return edgeIds;
    }

    BTree index(boolean label) {
        return label ? labelIndex : propertyIndex;
    }

    Tokens tokens() {
        return tokens;
    }

    /** Index entry sizes, for tests and metrics. */
    public long labelIndexSize() {
        return labelIndex.size();
    }

    public long propertyIndexSize() {
        return propertyIndex.size();
    }

    // ------------------------------------------------------------------ internals

    private int[] labelTokens(Collection<String> names) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (String n : names) {
            ids.add(tokens.getOrCreate(TokenKind.LABEL, n));
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private PropertyList propertyList(Map<String, Object> props) {
        PropertyList list = PropertyList.EMPTY;
        for (Map.Entry<String, Object> e : props.entrySet()) {
            list = list.with(tokens.getOrCreate(TokenKind.PROPERTY_KEY, e.getKey()), e.getValue());
        }
        return list;
    }

    /** One index key, compared by content. */
    record IndexEntry(boolean label, byte[] key) {
        void insertInto(GraphStore s) {
            (label ? s.labelIndex : s.propertyIndex).insert(key);
        }

        void deleteFrom(GraphStore s) {
            (label ? s.labelIndex : s.propertyIndex).delete(key);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof IndexEntry e && e.label == label && Arrays.equals(e.key, key);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key) * 31 + (label ? 1 : 0);
        }
    }

    Set<IndexEntry> indexEntries(NodeRecord r, long id) {
        Set<IndexEntry> out = new HashSet<>();
        for (int label : r.labels()) {
            out.add(new IndexEntry(true, IndexKeys.label(label, id)));
            PropertyList p = r.properties();
            for (int i = 0; i < p.size(); i++) {
                out.add(new IndexEntry(false, IndexKeys.property(label, p.key(i), p.value(i), id)));
            }
        }
        return out;
    }

    /** Entries of a node state given by name; names never stored have no entries. */
    private Set<IndexEntry> indexEntries(Node n) {
        Set<IndexEntry> out = new HashSet<>();
        for (String labelName : n.labels()) {
            int label = tokens.idOf(TokenKind.LABEL, labelName);
            if (label < 0) {
                continue;
            }
            out.add(new IndexEntry(true, IndexKeys.label(label, n.id())));
            for (Map.Entry<String, Object> p : n.properties().entrySet()) {
                int key = tokens.idOf(TokenKind.PROPERTY_KEY, p.getKey());
                if (key >= 0) {
                    out.add(new IndexEntry(false, IndexKeys.property(label, key, p.getValue(), n.id())));
                }
            }
        }
        return out;
    }

    private void indexNode(int label, PropertyList props, long id, boolean add) {
        if (add) {
            labelIndex.insert(IndexKeys.label(label, id));
        } else {
            labelIndex.delete(IndexKeys.label(label, id));
        }
        for (int i = 0; i < props.size(); i++) {
            byte[] key = IndexKeys.property(label, props.key(i), props.value(i), id);
            if (add) {
                propertyIndex.insert(key);
            } else {
                propertyIndex.delete(key);
            }
        }
    }

    NodeRecord findNode(long id) {
        if (id < 0) {
            return null;
        }
        long ptr = nodeIds.get(id);
        if (ptr == 0) {
            return null;
        }
        byte[] bytes = nodes.read(ptr);
        if (bytes == null) {
            throw new CorruptionException(pager.path(), RecordPointer.page(ptr), "node " + id + " points at an empty slot");
        }
        try {
            return NodeRecord.decode(bytes);
        } catch (RuntimeException e) {
            throw new CorruptionException(pager.path(), RecordPointer.page(ptr), "node " + id + " record is damaged: " + e, e);
        }
    }

    EdgeRecord findEdge(long id) {
        if (id < 0) {
            return null;
        }
        long ptr = edgeIds.get(id);
        if (ptr == 0) {
            return null;
        }
        byte[] bytes = edges.read(ptr);
        if (bytes == null) {
            throw new CorruptionException(pager.path(), RecordPointer.page(ptr), "edge " + id + " points at an empty slot");
        }
        try {
            return EdgeRecord.decode(bytes);
        } catch (RuntimeException e) {
            throw new CorruptionException(pager.path(), RecordPointer.page(ptr), "edge " + id + " record is damaged: " + e, e);
        }
    }

    private NodeRecord requireNode(long id) {
        NodeRecord r = findNode(id);
        if (r == null) {
            throw new EntityNotFoundException("node " + id + " does not exist");
        }
        return r;
    }

    private EdgeRecord requireEdge(long id) {
        EdgeRecord r = findEdge(id);
        if (r == null) {
            throw new EntityNotFoundException("edge " + id + " does not exist");
        }
        return r;
    }

    private void writeNode(long id, NodeRecord r) {
        long ptr = nodeIds.get(id);
        long moved = nodes.update(ptr, r.encode());
        if (moved != ptr) {
            nodeIds.set(id, moved);
        }
    }

    private void writeEdge(long id, EdgeRecord r) {
        long ptr = edgeIds.get(id);
        long moved = edges.update(ptr, r.encode());
        if (moved != ptr) {
            edgeIds.set(id, moved);
        }
    }

    AdjacencyBlock readBlock(long ptr) {
        byte[] bytes = adjacency.read(ptr);
        try {
            return AdjacencyBlock.decode(bytes == null ? new byte[0] : bytes);
        } catch (RuntimeException e) {
            throw new CorruptionException(pager.path(), RecordPointer.page(ptr), "adjacency block damaged: " + e, e);
        }
    }

    /** Lists {@code edge} in the node's chain for (type, direction); returns the block holding it. */
    private long appendAdjacency(long node, int type, boolean outgoing, long edge, long other) {
        NodeRecord r = requireNode(node);
        NodeRecord.EdgeGroup g = r.group(type);
        if (g == null) {
            g = new NodeRecord.EdgeGroup(type, 0, 0, 0, 0);
        }
        long head = g.head(outgoing);
        AdjacencyBlock block = head == 0 ? null : readBlock(head);
        long blockPtr;
        if (block != null && !block.isFull()) {
            block.add(edge, other);
            blockPtr = adjacency.update(head, block.encode());
            if (blockPtr != head) {
                throw new IllegalStateException("adjacency block moved on a same-size update");
            }
        } else {
            AdjacencyBlock fresh = AdjacencyBlock.fresh(block == null ? 0 : block.capacity(), head);
            fresh.add(edge, other);
            blockPtr = adjacency.insert(fresh.encode());
        }
        writeNode(node, r.withGroup(g.withHead(outgoing, blockPtr, 1)));
        return blockPtr;
    }

    private void removeAdjacency(long node, int type, boolean outgoing, long blockPtr, long edge) {
        AdjacencyBlock block = readBlock(blockPtr);
        if (!block.remove(edge)) {
            throw new CorruptionException(pager.path(), RecordPointer.page(blockPtr),
                    "edge " + edge + " is missing from the adjacency block its record names");
        }
        adjacency.update(blockPtr, block.encode());
        NodeRecord r = requireNode(node);
        NodeRecord.EdgeGroup g = r.group(type).withHead(outgoing, r.group(type).head(outgoing), -1);
        if (g.outCount() == 0 && g.inCount() == 0) {
            // The last edge of this type at this node: give its chains' space back.
            freeChain(g.outHead());
            freeChain(g.inHead());
            NodeRecord.EdgeGroup[] rest = Arrays.stream(r.groups()).filter(x -> x.type() != type)
                    .toArray(NodeRecord.EdgeGroup[]::new);
            writeNode(node, new NodeRecord(r.labels(), rest, r.properties()));
        } else {
            writeNode(node, r.withGroup(g));
        }
    }

    private void freeChain(long head) {
        for (long ptr = head; ptr != 0; ) {
            long next = readBlock(ptr).next();
            adjacency.delete(ptr);
            ptr = next;
        }
    }

    private void walkChain(long head, AdjacencyVisitor visitor, long skipOther) {
        long seen = 0;
        for (long ptr = head; ptr != 0; ) {
            if (++seen > pager.pageCount() * 64) {
                throw new CorruptionException(pager.path(), RecordPointer.page(ptr), "adjacency chain has a cycle");
            }
            AdjacencyBlock b = readBlock(ptr);
            for (int i = 0; i < b.count(); i++) {
                if (b.other(i) != skipOther) {
                    visitor.visit(b.edge(i), b.other(i));
                }
            }
            ptr = b.next();
        }
    }

    private Node toNode(long id, NodeRecord r) {
        Set<String> labels;
        if (r.labels().length == 0) {
            labels = Set.of();
        } else {
            String[] names = new String[r.labels().length];
            for (int i = 0; i < names.length; i++) {
                names[i] = tokens.name(TokenKind.LABEL, r.labels()[i]);
            }
            labels = Set.of(names);
        }
        return new Node(id, labels, tokens.propertyMap(r.properties()));
    }

    private Edge toEdge(long id, EdgeRecord r) {
        return new Edge(id, r.from(), r.to(), tokens.name(TokenKind.EDGE_TYPE, r.type()), tokens.propertyMap(r.properties()));
    }

    /** Nodes with ids below the limit that are stored (for integrity checks and tests). */
    public List<Long> storedNodeIds() {
        List<Long> out = new ArrayList<>();
        long n = nodeIds.nextId();
        for (long id = 0; id < n; id++) {
            if (nodeIds.get(id) != 0) {
                out.add(id);
            }
        }
        return out;
    }
}
