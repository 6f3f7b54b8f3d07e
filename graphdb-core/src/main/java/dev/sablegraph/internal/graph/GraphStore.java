package dev.sablegraph.internal.graph;

import dev.sablegraph.core.ConstraintViolationException;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.core.PropertyValues;
import dev.sablegraph.internal.graph.codec.EdgeRecord;
import dev.sablegraph.internal.graph.codec.IndexKeys;
import dev.sablegraph.internal.graph.codec.NodeRecord;
import dev.sablegraph.internal.graph.codec.PropertyList;
import dev.sablegraph.internal.graph.codec.SchemaKeys;
import dev.sablegraph.internal.index.BTree;
import dev.sablegraph.internal.record.IdMap;
import dev.sablegraph.internal.record.RecordStore;
import dev.sablegraph.internal.storage.Pager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;

/**
 * The graph's storage primitives on the paged file, and the face of the graph layer: node and edge
 * records, token dictionary, adjacency chains, label and property indexes. It holds the newest
 * committed state only. The work is done by its parts, one job each: {@link StoreFile} (the data
 * file under the directory lock), {@link EntityRecords} (records by id, and id reservation, once
 * for nodes and once for edges), {@link Adjacency} (the chains), {@link GraphIndexes},
 * {@link Tokens} with {@link RecordNames}, and {@link AtomicChange}; this class keeps the order in
 * which one graph operation uses them.
 *
 * <p>Not synchronised: callers serialise writes and keep reads from overlapping them (or validate
 * reads afterwards) — {@link UnloggedGraph} does so with its {@link dev.sablegraph.internal.util.AccessGuard}, the transaction
 * layer with its own. Arguments are trusted (validated by those callers); states passed in are
 * already normalised property maps.
 *
 * <p>Index maintenance is explicit so that the transaction layer can keep entries that old
 * snapshots still need: {@link #replaceNode} can leave the old state's entries in place, and
 * {@link #removeIndexEntries} drops them later.
 */
public final class GraphStore implements AutoCloseable {
    /**
     * The subdirectory where a database with a write-ahead log keeps its log. Named here because
     * UnloggedGraph, which has no log, must refuse a directory that holds one.
     */
    public static final String LOG_DIRECTORY = DatabaseFiles.LOG_DIRECTORY;

    private final StoreFile file;
    private final EntityRecords<NodeRecord> nodes;
    private final EntityRecords<EdgeRecord> edges;
    private final Adjacency adjacency;
    private final GraphIndexes indexes;
    private final Tokens tokens;
    private final RecordNames names;
    /** The automatic index of an older database until its entries are deleted; null after. */
    private LegacyPropertyIndex legacy;

    private GraphStore(StoreFile file, GraphConfig config) {
        this.file = file;
        Pager pager = file.pager();
        int threshold = config.compressionThreshold();
        // A node's record grows by an edge group with its first edge (of each type): its page keeps
        // room for one, so that the growth happens in place (RecordStore, "room to grow").
        this.nodes = new EntityRecords<>("node", pager.path(), IdMap.open(pager, StoreLayout.NODE_IDS_SLOT),
                RecordStore.open(pager, StoreLayout.NODE_STORE_SLOT, StoreLayout.NODE_STORE_ID, threshold,
                        NodeRecord.GROUP_BYTES),
                NodeRecord::encode, NodeRecord::decode);
        this.edges = new EntityRecords<>("edge", pager.path(), IdMap.open(pager, StoreLayout.EDGE_IDS_SLOT),
                RecordStore.open(pager, StoreLayout.EDGE_STORE_SLOT, StoreLayout.EDGE_STORE_ID, threshold),
                EdgeRecord::encode, EdgeRecord::decode);
        // Adjacency blocks are rewritten in place, so their stored size must never change: no compression.
        this.adjacency = new Adjacency(pager, RecordStore.open(pager, StoreLayout.ADJACENCY_STORE_SLOT,
                StoreLayout.ADJACENCY_STORE_ID, Integer.MAX_VALUE), nodes);
        this.tokens = new Tokens(pager, RecordStore.open(pager, StoreLayout.TOKEN_STORE_SLOT,
                StoreLayout.TOKEN_STORE_ID, Integer.MAX_VALUE));
        this.names = new RecordNames(tokens);
        IndexDefinitions definitions = new IndexDefinitions(pager, RecordStore.open(pager,
                StoreLayout.SCHEMA_STORE_SLOT, StoreLayout.SCHEMA_STORE_ID, Integer.MAX_VALUE));
        this.indexes = new GraphIndexes(BTree.open(pager, StoreLayout.LABEL_INDEX_SLOT, IndexKeys.LABEL_KEY_SIZE),
                BTree.open(pager, StoreLayout.SCHEMA_INDEX_SLOT, SchemaKeys.KEY_SIZE), definitions, tokens, nodes);
        this.legacy = LegacyPropertyIndex.find(pager);
        if (legacy != null) {
            for (int[] pair : legacy.pairs()) {
                if (definitions.find(pair[0], pair[1]) == null) {
                    definitions.add(pair[0], pair[1], false);
                }
            }
        }
        for (int[] pair : indexedPairs()) {
            if (definitions.find(pair[0], pair[1]) == null) {
                definitions.markDropping(pair[0], pair[1]); // a drop was cut short: finish it
            }
        }
    }

    /**
     * While an older database's automatic index is being retired (recovery replays its log before
     * the retirement), every pair a change uses becomes an index too: the upgraded database gets
     * one for each pair the automatic index would have held, log tail included.
     */
    private void adoptLegacyPairs(int[] labelTokens, PropertyList properties) {
        if (legacy == null) {
            return;
        }
        for (int label : labelTokens) {
            for (int i = 0; i < properties.size(); i++) {
                if (indexes.definitions().find(label, properties.key(i)) == null) {
                    indexes.definitions().add(label, properties.key(i), false);
                }
            }
        }
    }

    /** The (label, key) pairs with entries in the schema index: one seek per pair. */
    private List<int[]> indexedPairs() {
        List<int[]> pairs = new ArrayList<>();
        BTree tree = indexes.tree(GraphIndexes.Tree.SCHEMA);
        byte[] from = new byte[0];
        while (from != null) {
            BTree.Cursor c = tree.seek(from, null);
            if (!c.next()) {
                break;
            }
            byte[] k = c.key();
            pairs.add(new int[] {SchemaKeys.labelOf(k), SchemaKeys.keyOf(k)});
            from = IndexKeys.after(Arrays.copyOf(k, SchemaKeys.INDEX_PREFIX_SIZE), SchemaKeys.KEY_SIZE);
        }
        return pairs;
    }

    /**
     * Opens or creates the store of a database without a log (UnloggedGraph). Refused while another
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
     * one (see {@link #headerUpdatePending()}).
     */
    public static GraphStore openWithLog(Path directory, GraphConfig config, BeforeOpen recovery) {
        return open(directory, config, DatabaseKind.WITH_LOG, recovery);
    }

    /** A failed open, whatever it throws, leaves the directory as it was (see {@link StoreFile#open}). */
    private static GraphStore open(Path directory, GraphConfig config, DatabaseKind kind, BeforeOpen beforeOpen) {
        StoreFile file = StoreFile.open(directory, config, kind, beforeOpen);
        return new GraphStore(file, config);
    }

    public Path directory() {
        return file.directory();
    }

    /**
     * True when the data file's header must be written again and only memory has the change: open
     * changed the database kind it records (taking over a store without a log, or marking one
     * written before kinds were recorded), or the file is in an older format, which the header
     * write upgrades. It reaches the file at the next checkpoint or flush.
     */
    public boolean headerUpdatePending() {
        return file.headerUpdatePending();
    }

    public PageCacheMetrics pageCacheMetrics() {
        return file.pager().metrics();
    }

    public long nodeCount() {
        return nodes.count();
    }

    public long edgeCount() {
        return edges.count();
    }

    /** One past the highest node id handed out so far: every node id in use is below it. */
    public long nodeIdLimit() {
        return nodes.idLimit();
    }

    /** One past the highest edge id handed out so far: every edge id in use is below it. */
    public long edgeIdLimit() {
        return edges.idLimit();
    }

    /**
     * Ids from {@code from} below {@code below} that have a stored node record, ascending, into
     * {@code out} until it is full; returns how many (fewer than {@code out.length}: no more).
     * Stored records include deleted nodes not yet purged and nodes no snapshot sees yet: callers
     * check each id's state.
     */
    public int storedNodeIds(long from, long below, long[] out) {
        return nodes.storedIds(from, below, out);
    }

    /** As {@link #storedNodeIds}, for edges. */
    public int storedEdgeIds(long from, long below, long[] out) {
        return edges.storedIds(from, below, out);
    }

    /** Schema index entries (of every index), for tests and metrics. */
    public long propertyIndexSize() {
        return indexes.schemaIndexSize();
    }

    public void flush() {
        file.pager().flush();
    }

    @Override
    public void close() {
        file.close();
    }

    /** Closes without writing anything: a caller with a write-ahead log has checkpointed already. */
    public void closeWithoutFlush() {
        file.closeWithoutFlush();
    }

    /** The pager, for the durability layer's checkpoints (page images, header, forcing). */
    public Pager pager() {
        return file.pager();
    }

    // ------------------------------------------------------------------ writes

    public long reserveNodeId() {
        return nodes.reserveId();
    }

    public long reserveEdgeId() {
        return edges.reserveId();
    }

    /** Makes a logged node id allocated again after a crash (recovery). */
    public void ensureNodeId(long id) {
        nodes.ensureId(id);
    }

    /** Makes a logged edge id allocated again after a crash (recovery). */
    public void ensureEdgeId(long id) {
        edges.ensureId(id);
    }

    /**
     * Runs {@code changes} as one unit: if they throw, every page, allocation, counter, free-space
     * hint and token they changed is put back before the exception propagates, as if they had
     * never run. If putting back fails too, a {@link RollbackFailedException} (with the original
     * failure as its cause) says the store's memory may hold part of the change.
     *
     * <p>The caller keeps every other writer of the store out for the whole call, and runs the
     * cache with a spill file (see {@link dev.sablegraph.internal.storage.PageCache#beginAtomicChange}).
     * Readers may overlap only if they validate what they read afterwards (the optimistic guard).
     */
    public void changeAtomically(Runnable changes) {
        AtomicChange.run(directory(), List.of(
                file.pager()::beginAtomicChange,
                nodes::rollbackPoint,
                edges::rollbackPoint,
                adjacency::rollbackPoint,
                tokens::rollbackPoint,
                indexes.definitions()::rollbackPoint,
                indexes.tree(GraphIndexes.Tree.LABEL)::rollbackPoint,
                indexes.tree(GraphIndexes.Tree.SCHEMA)::rollbackPoint), changes);
    }

    /** Stores a node under a reserved id, with its index entries. */
    public void createNode(long id, Collection<String> labels, Map<String, Object> properties) {
        int[] labelTokens = names.labelTokens(labels);
        PropertyList plist = names.propertyList(properties);
        adoptLegacyPairs(labelTokens, plist);
        NodeRecord r = NodeRecord.create(labelTokens, plist);
        nodes.insert(id, r);
        indexes.entries(r, id).forEach(indexes::add);
    }

    /** Stores an edge under a reserved id; both endpoints must be stored nodes. */
    public void createEdge(long id, long from, long to, String type, Map<String, Object> properties) {
        EntityRecords.Located<NodeRecord> fromRecord = nodes.requireLocated(from);
        EntityRecords.Located<NodeRecord> toRecord = from == to ? null : nodes.requireLocated(to);
        int typeToken = names.edgeTypeToken(type);
        PropertyList plist = names.propertyList(properties);
        // Each endpoint's record is read once and handed to link, which rewrites it; a self-loop's
        // one record is read again for its second link.
        long outBlock = adjacency.link(fromRecord, typeToken, true, id, to);
        long inBlock = adjacency.link(toRecord != null ? toRecord : nodes.requireLocated(to), typeToken, false, id, from);
        edges.insert(id, new EdgeRecord(from, to, typeToken, outBlock, inBlock, plist));
    }

    /** Receives index keys a bulk load adds later, in order ({@link #createNodeUnindexed}). */
    @FunctionalInterface
    public interface IndexKeySink {
        /** @param labelIndex whether the key is the label index's (else a schema index's) */
        void accept(boolean labelIndex, byte[] key);
    }

    /**
     * For bulk loading: {@link #createNode} without its index entries, which go to {@code sink}
     * instead; the loader adds them later with {@link #addIndexKey}, sorted, so that the indexes
     * are written in key order instead of at random.
     */
    public void createNodeUnindexed(long id, Collection<String> labels, Map<String, Object> properties,
            IndexKeySink sink) {
        NodeRecord r = NodeRecord.create(names.labelTokens(labels), names.propertyList(properties));
        nodes.insert(id, r);
        for (GraphIndexes.Entry e : indexes.entries(r, id)) {
            sink.accept(e.tree() == GraphIndexes.Tree.LABEL, e.key());
        }
    }

    /** For bulk loading: adds a key {@link #createNodeUnindexed} handed out. */
    public void addIndexKey(boolean labelIndex, byte[] key) {
        indexes.add(new GraphIndexes.Entry(labelIndex ? GraphIndexes.Tree.LABEL : GraphIndexes.Tree.SCHEMA, key));
    }

    // Bulk loading (BulkLoader): an edge is built in three steps, each over many edges, so that
    // each node's record and chains are touched once per run of its edges instead of per edge.

    /**
     * The record of a new edge between stored nodes, its type and property keys made tokens (new
     * names become new tokens), its adjacency block pointers still 0: {@link #linkAll} lists it,
     * {@link #insertLinkedEdge} stores it.
     */
    public EdgeRecord newEdgeRecord(long from, long to, String type, Map<String, Object> properties) {
        return new EdgeRecord(from, to, names.edgeTypeToken(type), 0, 0, names.propertyList(properties));
    }

    /**
     * Lists the edges {@code edges[start, end)}, with their other ends in {@code others} and their
     * type tokens in {@code types} (equal types adjacent), in the node's chains for their types in
     * one direction, as one {@link #createEdge} per edge would, rewriting the node's record once;
     * the block listing entry {@code i} goes to {@code listedIn[i]}. The node must be stored.
     */
    public void linkAll(long node, boolean outgoing, int[] types, long[] edges, long[] others, int start, int end,
            long[] listedIn) {
        adjacency.linkAll(node, outgoing, types, edges, others, start, end, listedIn);
    }

    /**
     * Stores the record of a reserved edge id whose entries {@link #linkAll} made at both ends
     * ({@code record} names the two blocks): together, what {@link #createEdge} does.
     */
    public void insertLinkedEdge(long id, EdgeRecord record) {
        edges.insert(id, record);
    }

    /** {@link #insertLinkedEdge(long, EdgeRecord)} with the record already encoded (no decoding on the way). */
    public void insertLinkedEdge(long id, byte[] encoded) {
        edges.insertEncoded(id, encoded);
    }

    /**
     * Replaces a node's labels and properties. Index entries of the new state are added; those of
     * the old state that the new one lacks are removed only when {@code dropOldIndexEntries}.
     *
     * @return whether every index entry of the old state is an entry of the new state too, in the
     *     indexes that exist now: then the old state, kept for older snapshots, leaves nothing for
     *     {@link #removeIndexEntries} to drop (an update of properties no index covers)
     */
    public boolean replaceNode(long id, Collection<String> labels, Map<String, Object> properties,
            boolean dropOldIndexEntries) {
        EntityRecords.Located<NodeRecord> at = nodes.requireLocated(id);
        NodeRecord old = at.record();
        NodeRecord updated = new NodeRecord(names.labelTokens(labels), old.groups(), names.propertyList(properties));
        adoptLegacyPairs(updated.labels(), updated.properties());
        nodes.rewrite(at, updated);
        Set<GraphIndexes.Entry> before = indexes.entries(old, id);
        Set<GraphIndexes.Entry> after = indexes.entries(updated, id);
        for (GraphIndexes.Entry e : after) {
            if (!before.contains(e)) {
                indexes.add(e);
            }
        }
        if (dropOldIndexEntries) {
            for (GraphIndexes.Entry e : before) {
                if (!after.contains(e)) {
                    indexes.drop(e);
                }
            }
        } else {
            indexes.buildingEntries(old, id).forEach(indexes::add);
        }
        return after.containsAll(before);
    }

    /**
     * Makes sure the stored state of a node that a commit is about to replace or delete, while its
     * old state stays visible to older snapshots, has its entries in indexes still being built:
     * the build adds entries only for the states it finds, so a state replaced before the build
     * reached its node would otherwise be missing for the snapshots that still see it. (Entries of
     * built indexes are there already.) {@link #replaceNode} does it itself when it keeps old entries.
     */
    public void keepEntriesOfBuildingIndexes(long id) {
        NodeRecord r = nodes.find(id);
        if (r != null) {
            indexes.buildingEntries(r, id).forEach(indexes::add);
        }
    }

    /** Replaces an edge's properties. */
    public void replaceEdge(long id, Map<String, Object> properties) {
        EntityRecords.Located<EdgeRecord> at = edges.requireLocated(id);
        edges.rewrite(at, at.record().withProperties(names.propertyList(properties)));
    }

    /**
     * Drops index entries of states a node no longer needs: every entry of {@code dropped} that is
     * neither an entry of a {@code retained} state nor of the node's stored state.
     */
    public void removeIndexEntries(long id, Collection<Node> dropped, Collection<Node> retained) {
        if (dropped.isEmpty()) {
            // The common case: a chain that only recorded edge changes of its node (no older
            // state). Reading the stored record for nothing was half of the collector's work on
            // edge loads, and a page fault each when the node's page was not cached.
            return;
        }
        Set<GraphIndexes.Entry> keep = new HashSet<>();
        NodeRecord stored = nodes.find(id);
        if (stored != null) {
            keep.addAll(indexes.entries(stored, id));
        }
        for (Node n : retained) {
            keep.addAll(indexes.entries(n));
        }
        for (Node n : dropped) {
            for (GraphIndexes.Entry e : indexes.entries(n)) {
                if (keep.add(e)) {
                    indexes.drop(e);
                }
            }
        }
    }

    /** Physically deletes a node with no stored edges, with its index entries. */
    public void purgeNode(long id) {
        NodeRecord r = nodes.require(id);
        long degree = r.degree();
        if (degree > 0) {
            throw new GraphException("node " + id + " still has " + degree + " edges; delete them first");
        }
        indexes.entries(r, id).forEach(indexes::drop);
        adjacency.freeChains(r);
        nodes.delete(id);
    }

    /** Physically deletes an edge and its adjacency entries. */
    public void purgeEdge(long id) {
        EdgeRecord e = edges.require(id);
        adjacency.unlink(e.from(), e.type(), true, e.outBlock(), id, e.to());
        adjacency.unlink(e.to(), e.type(), false, e.inBlock(), id, e.from());
        edges.delete(id);
    }

    // ------------------------------------------------------------------ lookups

    /** Whether the node has a stored record; reads only the id map, not the record. */
    public boolean nodeStored(long id) {
        return nodes.isStored(id);
    }

    /** The stored node, or null. */
    public Node node(long id) {
        NodeRecord r = nodes.find(id);
        return r == null ? null : names.node(id, r);
    }

    /** The stored edge, or null. */
    public Edge edge(long id) {
        EdgeRecord r = edges.find(id);
        return r == null ? null : names.edge(id, r);
    }

    /** Stored edges that have more than zero edges at the node (degree), for the delete check. */
    public long degree(long id) {
        NodeRecord r = nodes.find(id);
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
        NodeRecord r = nodes.find(nodeId);
        if (r == null) {
            return;
        }
        int wanted = type == null ? -1 : tokens.idOf(TokenKind.EDGE_TYPE, type);
        if (type != null && wanted < 0) {
            return;
        }
        adjacency.forEach(nodeId, r, direction, wanted, visitor);
    }

    /**
     * How many stored edges {@link #forEachAdjacent} would visit, from the counts the node's record
     * keeps (O(edge types at the node)); 0 for a node not stored, -1 when the record cannot tell
     * (see {@link Adjacency#count}). Stored edges include deleted ones not yet purged and ones no
     * snapshot sees yet: the transaction layer decides when the count is what a snapshot sees.
     */
    public long storedDegree(long nodeId, Direction direction, String type) {
        NodeRecord r = nodes.find(nodeId);
        if (r == null) {
            return 0;
        }
        int wanted = type == null ? -1 : tokens.idOf(TokenKind.EDGE_TYPE, type);
        if (type != null && wanted < 0) {
            return 0;
        }
        return adjacency.count(r, direction, wanted);
    }

    /** Every label ever stored (a token), whether or not a node has it now. */
    public List<String> labelNames() {
        return tokens.names(TokenKind.LABEL);
    }

    /** Every edge type ever stored (a token), whether or not an edge has it now. */
    public List<String> edgeTypeNames() {
        return tokens.names(TokenKind.EDGE_TYPE);
    }

    /** Every property key ever stored (a token), whether or not a node or edge has it now. */
    public List<String> propertyKeyNames() {
        return tokens.names(TokenKind.PROPERTY_KEY);
    }

    /**
     * Ids of nodes that have, or recently had, a label, ascending, read lazily from the label index
     * (memory: one index page). Entries may be stale: callers check each node's state.
     */
    public Iterator<Long> labelCandidates(String label) {
        int l = tokens.idOf(TokenKind.LABEL, label);
        if (l < 0) {
            return Collections.emptyIterator();
        }
        return indexes.labelCandidates(l, 0);
    }

    /**
     * Ids of nodes whose value of {@code key} under {@code label} has, or recently had, the key of
     * {@code value} in the index on (label, key), ascending; callers check each. Only complete for
     * an index that is online (the caller asks {@link #index}); empty when there is no index.
     */
    public Iterator<Long> indexCandidates(String label, String key, Object value) {
        int l = tokens.idOf(TokenKind.LABEL, label);
        int k = tokens.idOf(TokenKind.PROPERTY_KEY, key);
        if (l < 0 || k < 0 || indexes.definitions().find(l, k) == null) {
            return Collections.emptyIterator();
        }
        return indexes.valueCandidates(l, k, value);
    }

    /**
     * The nodes with {@code label} whose value of {@code key} lies in {@code range}, in value order
     * (then id), ascending or descending, read lazily from the index on (label, key), which must
     * be online for the answer to be complete; {@code resolve} gives the state a caller sees of
     * each candidate id, or null to skip it ({@link IndexRangeScan}).
     */
    public Iterator<Node> rangeScan(String label, String key, ValueRange range, boolean descending,
            LongFunction<Node> resolve) {
        int l = tokens.idOf(TokenKind.LABEL, label);
        int k = tokens.idOf(TokenKind.PROPERTY_KEY, key);
        if (l < 0 || k < 0 || indexes.definitions().find(l, k) == null) {
            return Collections.emptyIterator();
        }
        return new IndexRangeScan(indexes.tree(GraphIndexes.Tree.SCHEMA), l, k, label, key, range, descending,
                resolve);
    }

    /**
     * Ids of the nodes whose stored state has {@code label} and {@code value} for {@code key}
     * (equal as {@link PropertyValues#sameValue} says), found through the index on (label, key),
     * which must exist. Deleted nodes not yet purged are included: the caller knows them.
     */
    public long[] nodesWithValue(String label, String key, Object value) {
        Iterator<Long> candidates = indexCandidates(label, key, value);
        int l = tokens.idOf(TokenKind.LABEL, label);
        int k = tokens.idOf(TokenKind.PROPERTY_KEY, key);
        LongStream.Builder out = LongStream.builder();
        while (candidates.hasNext()) {
            long id = candidates.next();
            NodeRecord r = nodes.find(id);
            if (r != null && Arrays.binarySearch(r.labels(), l) >= 0
                    && PropertyValues.sameValue(r.properties().get(k), value)) {
                out.add(id);
            }
        }
        return out.build().toArray();
    }

    // ------------------------------------------------------------------ schema

    /** An index of the schema, by name. */
    public record IndexInfo(String label, String key, boolean unique, boolean online) {}

    /** The indexes of the schema, sorted by label, then key. */
    public List<IndexInfo> indexes() {
        List<IndexInfo> out = new ArrayList<>();
        for (IndexDefinitions.Definition d : indexes.definitions().all()) {
            out.add(info(d));
        }
        out.sort(Comparator.comparing(IndexInfo::label).thenComparing(IndexInfo::key));
        return out;
    }

    /** The index on (label, key), or null when there is none. */
    public IndexInfo index(String label, String key) {
        IndexDefinitions.Definition d = definition(label, key);
        return d == null ? null : info(d);
    }

    private IndexInfo info(IndexDefinitions.Definition d) {
        return new IndexInfo(tokens.name(TokenKind.LABEL, d.label()), tokens.name(TokenKind.PROPERTY_KEY, d.key()),
                d.unique(), d.online());
    }

    private IndexDefinitions.Definition definition(String label, String key) {
        int l = tokens.idOf(TokenKind.LABEL, label);
        int k = tokens.idOf(TokenKind.PROPERTY_KEY, key);
        return l < 0 || k < 0 ? null : indexes.definitions().find(l, k);
    }

    /**
     * Adds an index on (label, key), building: from now on every node change maintains its entries,
     * and {@link #buildIndex} adds those of the nodes stored before. Refused while the entries of
     * a dropped index on the same pair are still being deleted.
     *
     * @throws IllegalStateException when there is an index on (label, key) already, or its
     *     entries are still being deleted
     */
    public IndexInfo addIndex(String label, String key, boolean unique) {
        int l = tokens.getOrCreate(TokenKind.LABEL, label);
        int k = tokens.getOrCreate(TokenKind.PROPERTY_KEY, key);
        if (indexes.definitions().find(l, k) != null) {
            throw new IllegalStateException("there is an index on :" + label + "(" + key + ") already");
        }
        if (indexes.definitions().isDropping(l, k)) {
            throw new IllegalStateException("the entries of the dropped index on :" + label + "(" + key
                    + ") are still being deleted");
        }
        return info(indexes.definitions().add(l, k, unique));
    }

    /** Marks a building index online: {@link #buildIndex} has visited every node. */
    public void markIndexOnline(String label, String key) {
        IndexDefinitions.Definition d = requireDefinition(label, key);
        if (!d.online()) {
            indexes.definitions().markOnline(d);
        }
    }

    /**
     * Removes the index on (label, key) from the schema; its entries stay until
     * {@link #deleteDroppedEntries} has deleted them (nothing reads them meanwhile).
     */
    public void removeIndex(String label, String key) {
        IndexDefinitions.Definition d = requireDefinition(label, key);
        indexes.definitions().remove(d);
        indexes.definitions().markDropping(d.label(), d.key());
    }

    private IndexDefinitions.Definition requireDefinition(String label, String key) {
        IndexDefinitions.Definition d = definition(label, key);
        if (d == null) {
            throw new IllegalStateException("there is no index on :" + label + "(" + key + ")");
        }
        return d;
    }

    /** Whether entries of dropped indexes, or of an older database's automatic index, await deletion. */
    public boolean indexEntriesAwaitDeletion() {
        return legacy != null || !indexes.definitions().droppingPairs().isEmpty();
    }

    /**
     * Deletes up to {@code max} entries of dropped indexes, or else of an older database's
     * automatic index; returns how many (0 when none are left).
     */
    public int deleteDroppedEntries(int max) {
        for (int[] pair : indexes.definitions().droppingPairs()) {
            BTree tree = indexes.tree(GraphIndexes.Tree.SCHEMA);
            List<byte[]> batch = new ArrayList<>();
            BTree.Cursor c = tree.seekPrefix(SchemaKeys.indexPrefix(pair[0], pair[1]));
            while (batch.size() < max && c.next()) {
                batch.add(c.key());
            }
            batch.forEach(tree::delete);
            if (batch.size() < max) {
                indexes.definitions().doneDropping(pair[0], pair[1]);
            }
            if (!batch.isEmpty()) {
                return batch.size();
            }
        }
        if (legacy != null) {
            int deleted = legacy.deleteSome(max);
            if (legacy.retired()) {
                legacy = null;
            }
            return deleted;
        }
        return 0;
    }

    /**
     * Adds the entries of up to {@code max} nodes with the index's label, in id order from
     * {@code fromNode}, to the building index on (label, key). For a unique index each value is
     * first looked up: a node of another id that holds it (and is not {@code deleted}) is a
     * {@link ConstraintViolationException}, and nothing of this call is left to undo but entries,
     * which the caller's drop deletes.
     *
     * @return the id to continue from, or -1 when every node was visited
     */
    public long buildIndex(String label, String key, long fromNode, int max, LongPredicate deleted) {
        IndexDefinitions.Definition d = requireDefinition(label, key);
        Iterator<Long> ids = indexes.labelCandidates(d.label(), fromNode);
        long next = fromNode;
        for (int visited = 0; ids.hasNext(); visited++) {
            if (visited == max) {
                return next;
            }
            long id = ids.next();
            NodeRecord r = nodes.find(id);
            GraphIndexes.Entry e = r == null ? null : GraphIndexes.entry(d, r, id);
            if (e != null) {
                if (d.unique()) {
                    requireUnique(label, key, r.properties().get(d.key()), id, deleted);
                }
                indexes.add(e);
            }
            next = id + 1;
        }
        return -1;
    }

    private void requireUnique(String label, String key, Object value, long id, LongPredicate deleted) {
        for (long other : nodesWithValue(label, key, value)) {
            if (other != id && !deleted.test(other)) {
                throw new ConstraintViolationException(label, key, value, other, id);
            }
        }
    }

    /** Whether any index backs a unique constraint (built or building). */
    public boolean hasUniqueConstraints() {
        return indexes.definitions().hasUnique();
    }

    /** The keys of the unique constraints on a label (built or building). */
    public List<String> uniqueKeys(String label) {
        int l = tokens.idOf(TokenKind.LABEL, label);
        if (l < 0) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        for (IndexDefinitions.Definition d : indexes.definitions().ofLabel(l)) {
            if (d.unique()) {
                keys.add(tokens.name(TokenKind.PROPERTY_KEY, d.key()));
            }
        }
        return keys;
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
        file.pager().checkFreeList(report);
        new StoreIntegrityCheck(this, mayHoldStaleIndexEntries, report).run();
    }

    /**
     * Drops the index entries of the given nodes that their stored states do not have. Recovery
     * calls it for the nodes whose older states a checkpoint kept entries for (snapshots then
     * running needed them; after a crash none does). One pass over both indexes.
     *
     * @return how many entries were dropped
     */
    public long dropStaleIndexEntries(long[] nodeIds) {
        return indexes.dropUnjustified(nodeIds);
    }

    // Parts, for StoreIntegrityCheck (and tests that damage them on purpose).

    EntityRecords<NodeRecord> nodes() {
        return nodes;
    }

    EntityRecords<EdgeRecord> edges() {
        return edges;
    }

    Adjacency adjacency() {
        return adjacency;
    }

    GraphIndexes graphIndexes() {
        return indexes;
    }

    Tokens tokens() {
        return tokens;
    }
}
