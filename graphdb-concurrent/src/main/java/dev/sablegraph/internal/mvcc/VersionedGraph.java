package dev.sablegraph.internal.mvcc;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import dev.sablegraph.internal.util.AccessGuard;
import dev.sablegraph.internal.durability.CheckpointInfo;
import dev.sablegraph.internal.durability.CommitRecord;
import dev.sablegraph.internal.graph.GraphStore;
import dev.sablegraph.internal.mvcc.VersionChain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * The committed graph as any snapshot sees it: the store's newest state, the version chains of
 * entities changed recently, the runs of ids created recently ({@link Creations}), and caches of
 * decoded store states.
 *
 * <p>Reads ({@link #readNode}, {@link #readEdge}, {@link #readAdjacent}, {@link #readDegree},
 * {@link #countNodes}, {@link #countEdges}, and each batch of {@link #storedNodeIds}) each run as
 * one guarded read; commit installation and garbage collection run inside
 * {@code guard.write}. A read goes down from here only: guard, chain (or, without one, the
 * creation runs), cache, store. The visibility rule itself is {@link VersionChain#visibleAt} (with
 * {@link VersionChain#existsAt} for adjacency).
 *
 * <p>Caches hold store states tagged with the chain's {@code latestTs} at load time (0 with no
 * chain). A cached state is served only if the tag still equals the chain's current
 * {@code latestTs}, so a state loaded by a reader that raced a commit is never served after that
 * commit; and a reader's fill never outlives an invalidation that began after its load started
 * ({@link StateCache}), so every change of a store state must be followed by invalidating its
 * entry, as installation and collection do. A chain is removed only when every live snapshot sees
 * the store state, and its cache entry goes with it, so a stale entry cannot outlive its chain
 * either.
 */
public final class VersionedGraph implements CheckpointInfo.PendingState {
    private final GraphStore store;
    private final AccessGuard guard;
    // Chains: added, changed and removed under guard.write (install, collection); read under guard.read.
    private final ConcurrentHashMap<Long, VersionChain<Node>> nodeChains = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, VersionChain<Edge>> edgeChains = new ConcurrentHashMap<>();
    // Creations of entities that have no chain: added and forgotten under guard.write; read under guard.read.
    private final Creations nodeCreations = new Creations();
    private final Creations edgeCreations = new Creations();
    private final StateCache<Node> nodeCache;
    private final StateCache<Edge> edgeCache;
    private final LongFunction<Node> loadNode; // store reads, created once: reads are hot
    private final LongFunction<Edge> loadEdge;
    private final UnseenCounts unseenNodes = new UnseenCounts();
    private final UnseenCounts unseenEdges = new UnseenCounts();
    private final LongAdder reclaimedVersions = new LongAdder();
    private final LongAdder purgedEntities = new LongAdder();
    /**
     * Test seam, null in production: told when a reader that missed the cache is about to read the
     * store and when it has, so a test can run a commit at exactly those points.
     */
    LoadProbe loadProbe;

    interface LoadProbe {
        void beforeLoad(long id);

        void afterLoad(long id);
    }

    public VersionedGraph(GraphStore store, AccessGuard guard, long nodeCacheSize, long edgeCacheSize,
            CacheMaintenance maintenance) {
        this.store = store;
        this.guard = guard;
        this.nodeCache = new StateCache<>(nodeCacheSize, maintenance);
        this.edgeCache = new StateCache<>(edgeCacheSize, maintenance);
        this.loadNode = probed(store::node);
        this.loadEdge = probed(store::edge);
    }

    public GraphStore store() {
        return store;
    }

    /** Who may read while who writes: commits and collection change the store under its write side. */
    public AccessGuard guard() {
        return guard;
    }

    // ------------------------------------------------------------------ reads

    /** The node visible at snapshot {@code s}, or null; one guarded read. */
    public Node readNode(long id, long s) {
        return guard.read(() -> node(id, s));
    }

    /**
     * Whether snapshot {@code s} sees the node, decided without its state: from its chain, else from
     * the id map (no chain: committed before every live snapshot, and not deleted, as
     * {@link #edgeExistsAt} says for edges); one guarded read. What an edge's endpoints need: no
     * record decoded, no cache entry filled.
     */
    public boolean readNodeExists(long id, long s) {
        return guard.read(() -> {
            VersionChain<Node> chain = nodeChains.get(id); // none for a negative id; nor a record
            return chain != null ? chain.existsAt(s)
                    : VersionChain.seesStoreState(nodeCreations.createdAt(id), s) && store.nodeStored(id);
        });
    }

    /** The edge visible at snapshot {@code s}, or null; one guarded read. */
    public Edge readEdge(long id, long s) {
        return guard.read(() -> edge(id, s));
    }

    /** Edge id to the other node, of the edges at a node that snapshot {@code s} sees, reading no edge record; one guarded read. */
    public Map<Long, Long> readAdjacent(long nodeId, Direction direction, String type, long s) {
        return guard.read(() -> {
            Map<Long, Long> adjacent = new HashMap<>();
            store.forEachAdjacent(nodeId, direction, type, (edgeId, other) -> {
                if (edgeExistsAt(edgeId, s)) {
                    adjacent.put(edgeId, other);
                }
            });
            return adjacent;
        });
    }

    /**
     * How many edges at a node snapshot {@code s} sees (the node itself must be visible), as
     * {@link #readAdjacent} would list them; one guarded read. From the counts the node's record
     * keeps, O(edge types at the node), when every edge stored there is one every live snapshot
     * sees ({@link #storedEdgesSeenByAll}); otherwise by walking the node's adjacency.
     */
    public long readDegree(long nodeId, Direction direction, String type, long s) {
        return guard.read(() -> {
            if (storedEdgesSeenByAll(nodeId)) {
                long stored = store.storedDegree(nodeId, direction, type);
                if (stored >= 0) {
                    return stored;
                }
            }
            long[] seen = {0};
            store.forEachAdjacent(nodeId, direction, type, (edgeId, other) -> {
                if (edgeExistsAt(edgeId, s)) {
                    seen[0]++;
                }
            });
            return seen[0];
        });
    }

    /**
     * How many nodes snapshot {@code s} sees: the store's count less the stored nodes it does not
     * see (created after it, or deleted and not yet purged), counted by commit timestamp
     * ({@link UnseenCounts}); one guarded read.
     */
    public long countNodes(long s) {
        return guard.read(() -> store.nodeCount() - unseenNodes.unseenAt(s));
    }

    /** How many edges snapshot {@code s} sees; as {@link #countNodes}. */
    public long countEdges(long s) {
        return guard.read(() -> store.edgeCount() - unseenEdges.unseenAt(s));
    }

    /**
     * Ids of the nodes in the store, ascending, read lazily in batches of one guarded read each:
     * a superset of the nodes any live snapshot sees (a node is purged only once every snapshot
     * sees it deleted), so callers resolve each at their snapshot. Ids reserved after the call are
     * not listed: a snapshot taken before the call sees none of them.
     */
    public Iterator<Long> storedNodeIds() {
        return new StoredIds(store::storedNodeIds, store.nodeIdLimit());
    }

    /** Ids of the edges in the store; as {@link #storedNodeIds}. */
    public Iterator<Long> storedEdgeIds() {
        return new StoredIds(store::storedEdgeIds, store.edgeIdLimit());
    }

    // Below: call inside guard.read (or guard.write). They have no side effects but idempotent
    // cache fills, so optimistic attempts may be retried.

    /** The node visible at snapshot {@code s}, or null. */
    Node node(long id, long s) {
        return visible(nodeChains, nodeCreations, nodeCache, loadNode, id, s);
    }

    /** The edge visible at snapshot {@code s}, or null. */
    Edge edge(long id, long s) {
        return visible(edgeChains, edgeCreations, edgeCache, loadEdge, id, s);
    }

    /**
     * The state of entity {@code id} visible at snapshot {@code s}. The chain's {@code latestTs} (with
     * no chain, the entity's remembered creation, else 0) is read once and decides both whether the store state is needed and the cache tag: a commit with
     * {@code ts <= s} was installed completely (store changed, cache entry dropped) before it was
     * published, so the store state loaded now is at least that commit's, while a commit that is
     * still installing has {@code ts > s} and is resolved by the chain alone. (Reading it twice let
     * a reader take the store path on the old value, then tag a load of the not yet changed store
     * with the new one.)
     */
    private static <T> T visible(Map<Long, VersionChain<T>> chains, Creations creations, StateCache<T> cache,
            LongFunction<T> load, long id, long s) {
        if (id < 0) {
            return null;
        }
        Long key = id; // boxed once for both map lookups
        VersionChain<T> chain = chains.get(key);
        long latest = chain == null ? creations.createdAt(id) : chain.latestTs();
        T stored = VersionChain.seesStoreState(latest, s) ? cache.get(key, latest, load) : null;
        return chain == null ? stored : chain.visibleAt(s, latest, stored);
    }

    /** {@code read} with the test seam told before and after it. */
    private <T> LongFunction<T> probed(LongFunction<T> read) {
        return id -> {
            if (loadProbe != null) {
                loadProbe.beforeLoad(id);
            }
            T state = read.apply(id);
            if (loadProbe != null) {
                loadProbe.afterLoad(id);
            }
            return state;
        };
    }

    /**
     * Whether snapshot {@code s} sees a stored edge. No chain: not deleted (the collector purges a
     * deleted edge before it drops its chain, in one guarded write), so seen unless a remembered
     * commit after {@code s} created it.
     */
    private boolean edgeExistsAt(long edgeId, long s) {
        VersionChain<Edge> chain = edgeChains.get(edgeId);
        return chain == null ? VersionChain.seesStoreState(edgeCreations.createdAt(edgeId), s) : chain.existsAt(s);
    }

    /**
     * Whether every edge stored at the node is one every live snapshot sees, so that the counts in
     * its record are every snapshot's answer: no edge was added or removed there since the node's
     * chain was last collected. Each edge change at a node marks its chain
     * ({@link VersionChain#markEdgeChange}, creating it if need be); the collector drops the chain
     * only once every live snapshot sees its newest edge change ({@link VersionChain#isObsolete}),
     * and by then it has purged the deleted edges, collecting edge chains before node chains.
     */
    private boolean storedEdgesSeenByAll(long nodeId) {
        VersionChain<Node> chain = nodeChains.get(nodeId);
        return chain == null || chain.edgeChangeTs() == 0;
    }

    /** Reads stored ids from {@code from} below {@code below} into {@code out}; see {@link GraphStore#storedNodeIds}. */
    @FunctionalInterface
    private interface IdBatch {
        int read(long from, long below, long[] out);
    }

    /** Stored ids below a bound, ascending, a batch per guarded read (an id map page may be freed by a rollback). */
    private final class StoredIds implements Iterator<Long> {
        private static final int BATCH = 1024;
        private final IdBatch batch;
        private final long below;
        private final long[] buffer = new long[BATCH];
        private int size;
        private int next;
        private long from;
        private boolean last;

        StoredIds(IdBatch batch, long below) {
            this.batch = batch;
            this.below = below;
        }

        @Override
        public boolean hasNext() {
            if (next == size && !last) {
                long start = from;
                size = guard.read(() -> batch.read(start, below, buffer));
                next = 0;
                last = size < BATCH;
                if (size > 0) {
                    from = buffer[size - 1] + 1;
                }
            }
            return next < size;
        }

        @Override
        public Long next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return buffer[next++];
        }
    }

    // ------------------------------------------------------------------ conflict checks (under the commit lock)

    /** Commit timestamp of the newest committed change to the node's own state (its creation included), 0 if long ago. */
    long nodeChangedAt(long id) {
        VersionChain<Node> c = nodeChains.get(id);
        return c == null ? nodeCreations.createdAt(id) : c.latestTs();
    }

    /** Commit timestamp of the newest committed edge addition or removal at the node. */
    long nodeEdgesChangedAt(long id) {
        VersionChain<Node> c = nodeChains.get(id);
        return c == null ? 0 : c.edgeChangeTs();
    }

    /** Whether a commit deleted the node, which stays in the store until it is purged. */
    public boolean nodeDeleted(long id) {
        VersionChain<Node> c = nodeChains.get(id);
        return c != null && c.isDeleted();
    }

    long edgeChangedAt(long id) {
        VersionChain<Edge> c = edgeChains.get(id);
        return c == null ? edgeCreations.createdAt(id) : c.latestTs();
    }

    // ------------------------------------------------------------------ installation (under guard.write)

    /**
     * Installs a validated commit, all or nothing: first the store changes (in the record's one
     * order, {@link CommitRecord#applyInOrder}) and then {@code log} (the commit record's append),
     * as one atomic store change inside one exclusive section of the guard, so that if either
     * throws the store is exactly as before (see {@link GraphStore#changeAtomically}); only then the
     * version chains, which change memory alone. Call under the commit lock.
     *
     * <p>Readers never see a half-installed commit: the exclusive guard keeps them out (or fails
     * their optimistic validation), and the commit is published only after it is durable.
     */
    public void install(CommitRecord commit, Runnable log) {
        long ts = commit.commitTs();
        Installer installer = new Installer(ts);
        guard.write(() -> {
            store.changeAtomically(() -> {
                commit.applyInOrder(installer);
                log.run();
            });
            installer.updateChains();
        });
    }

    /**
     * Changes the store now and queues what each change does to the chains, in the record's order.
     * A creation only notes its id: the commit's created ids become runs ({@link Creations}) before
     * any chain is touched, so that a chain made for one of them (an edge's endpoint created by the
     * same commit) starts from its creation. Other changes queue a closure over the state they
     * replaced, and a created edge itself, for the marks at its endpoints.
     */
    private final class Installer implements CommitRecord.Applier {
        private final long ts;
        /** {@link CommitRecord.EdgeChange} for a created edge, else a {@link Runnable}. */
        private final List<Object> chainUpdates = new ArrayList<>();
        private final IdList createdNodes = new IdList();
        private final IdList createdEdges = new IdList();

        Installer(long ts) {
            this.ts = ts;
        }

        void updateChains() {
            created(createdNodes, nodeCreations, unseenNodes, nodeCache);
            created(createdEdges, edgeCreations, unseenEdges, edgeCache);
            for (Object update : chainUpdates) {
                if (update instanceof CommitRecord.EdgeChange e) {
                    markEdgeChange(e.from(), ts);
                    markEdgeChange(e.to(), ts);
                } else {
                    ((Runnable) update).run();
                }
            }
        }

        /** The runs raise the created ids' latest timestamp from 0 before their cache entries go (see pushNode). */
        private <T> void created(IdList ids, Creations creations, UnseenCounts unseen, StateCache<T> cache) {
            if (ids.size == 0) {
                return;
            }
            creations.created(ts, ids.ids, ids.size);
            unseen.created(ts, ids.size);
            for (int i = 0; i < ids.size; i++) {
                cache.invalidate(ids.ids[i]);
            }
        }

        private void later(Runnable update) {
            chainUpdates.add(update);
        }

        @Override
        public void createNode(CommitRecord.NodeChange n) {
            store.createNode(n.id(), n.labels(), n.properties());
            createdNodes.add(n.id());
        }

        @Override
        public void updateNode(CommitRecord.NodeChange n) {
            Node before = store.node(n.id());
            boolean entriesKept = store.replaceNode(n.id(), n.labels(), n.properties(), false);
            later(() -> pushNode(n.id(), ts, before, false, !entriesKept));
        }

        @Override
        public void createEdge(CommitRecord.EdgeChange e) {
            store.createEdge(e.id(), e.from(), e.to(), e.type(), e.properties());
            createdEdges.add(e.id());
            chainUpdates.add(e);
        }

        @Override
        public void updateEdge(CommitRecord.EdgeChange e) {
            Edge before = store.edge(e.id());
            store.replaceEdge(e.id(), e.properties());
            later(() -> pushEdge(e.id(), ts, before, false));
        }

        @Override
        public void deleteEdge(long id) {
            Edge before = store.edge(id); // purged by the collector once no snapshot sees it
            later(() -> {
                markEdgeChange(before.from(), ts);
                markEdgeChange(before.to(), ts);
                pushEdge(id, ts, before, true);
                unseenEdges.deleted(ts);
            });
        }

        @Override
        public void deleteNode(long id) {
            Node before = store.node(id); // purged by the collector once no snapshot sees it
            store.keepEntriesOfBuildingIndexes(id); // older snapshots may find it through them
            later(() -> {
                pushNode(id, ts, before, true, true);
                unseenNodes.deleted(ts);
            });
        }
    }

    /** A growing list of ids, unboxed: a million-edge commit creates a million. */
    private static final class IdList {
        long[] ids = new long[16];
        int size;

        void add(long id) {
            if (size == ids.length) {
                ids = java.util.Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }
    }

    /*
     * A chain entry is pushed (raising latestTs) before the cache entry is dropped: a reader that
     * loaded the store state before the push tagged it with the older latestTs, so it is never
     * served again, whenever its put lands.
     */

    /** {@code entriesLeftBehind}: {@code before} may have index entries the new state lacks. */
    private void pushNode(long id, long ts, Node before, boolean deleted, boolean entriesLeftBehind) {
        VersionChain<Node> chain = chain(nodeChains, nodeCreations, id);
        chain.push(ts, before, 0, deleted);
        if (entriesLeftBehind) {
            chain.noteIndexEntriesLeftBehind();
        }
        nodeCache.invalidate(id);
    }

    private void pushEdge(long id, long ts, Edge before, boolean deleted) {
        chain(edgeChains, edgeCreations, id).push(ts, before, 0, deleted);
        edgeCache.invalidate(id);
    }

    private void markEdgeChange(long node, long ts) {
        chain(nodeChains, nodeCreations, node).markEdgeChange(ts);
    }

    /** The entity's chain, made if it has none: from its remembered creation, if any ({@link Creations}). */
    private static <T> VersionChain<T> chain(Map<Long, VersionChain<T>> chains, Creations creations, long id) {
        return chains.computeIfAbsent(id, k -> new VersionChain<>(creations.createdAt(k)));
    }

    // ------------------------------------------------------------------ garbage collection

    /**
     * Reclaims what no snapshot at or after {@code horizon} can see: whole chains whose newest
     * change every snapshot sees (purging deleted entities from the store, and index entries of
     * replaced states), and the older parts of longer chains. Runs in batches, each one short
     * guarded write, so readers and committers wait at most one batch. {@code afterBatch} runs
     * between batches holding nothing (purges dirty pages: the caller checkpoints when needed).
     */
    public void collect(long horizon, int batchSize, Runnable afterBatch, BooleanSupplier cacheFilling) {
        // Every creation run has its commit's count among the unseen creations: one test for both.
        // Runs go before any chain is collected, hence before any purge (see Creations).
        if (unseenNodes.hasCreatedUpTo(horizon) || unseenEdges.hasCreatedUpTo(horizon)) {
            guard.write(() -> {
                unseenNodes.forgetCreatedUpTo(horizon);
                unseenEdges.forgetCreatedUpTo(horizon);
                nodeCreations.forgetUpTo(horizon);
                edgeCreations.forgetUpTo(horizon);
            });
        }
        collectChains(edgeChains, horizon, batchSize, this::collectEdge, afterBatch, cacheFilling);
        collectChains(nodeChains, horizon, batchSize, this::collectNode, afterBatch, cacheFilling);
    }

    /** Collects one chain: store changes now, changes of memory (chains, caches, counters) into {@code after}. */
    @FunctionalInterface
    private interface ChainCollector<T> {
        void collect(long id, VersionChain<T> chain, long horizon, List<Runnable> after);
    }

    /**
     * Visits the chains with something to reclaim, in batches of one guarded write each. A batch's
     * store changes are one atomic store change, and its changes of memory run only after it
     * succeeded, so a batch that fails (the page cache full of its purges) leaves nothing half
     * done and the database goes on. A batch also ends early once {@code cacheFilling} says half
     * the cache is dirty, so that {@code afterBatch} (a checkpoint) can make room.
     */
    private <T> void collectChains(Map<Long, VersionChain<T>> chains, long horizon, int batchSize,
            ChainCollector<T> collector, Runnable afterBatch, BooleanSupplier cacheFilling) {
        List<Long> ids = new ArrayList<>();
        for (Map.Entry<Long, VersionChain<T>> e : chains.entrySet()) {
            if (e.getValue().isObsolete(horizon) || e.getValue().length() > 1) {
                ids.add(e.getKey());
            }
        }
        int from = 0;
        while (from < ids.size()) {
            List<Long> batch = ids.subList(from, Math.min(ids.size(), from + batchSize));
            int[] done = {0};
            guard.write(() -> {
                List<Runnable> after = new ArrayList<>();
                store.changeAtomically(() -> {
                    for (long id : batch) {
                        if (done[0] > 0 && cacheFilling.getAsBoolean()) {
                            break;
                        }
                        VersionChain<T> chain = chains.get(id);
                        if (chain != null) {
                            collector.collect(id, chain, horizon, after);
                        }
                        done[0]++;
                    }
                });
                after.forEach(Runnable::run);
            });
            from += done[0];
            afterBatch.run(); // outside the guard: it may checkpoint
        }
    }

    private void collectEdge(long id, VersionChain<Edge> chain, long horizon, List<Runnable> after) {
        if (chain.isObsolete(horizon)) {
            if (chain.isDeleted() && store.edge(id) != null) {
                store.purgeEdge(id);
                after.add(purgedEntities::increment);
            }
            after.add(() -> {
                if (chain.isDeleted()) {
                    unseenEdges.purged(chain.latestTs());
                }
                reclaimedVersions.add(chain.length());
                edgeChains.remove(id);
                // A purged entity's entry goes. Any other chain leaves the store state as it was: its
                // entry, tagged with the chain's latestTs, which no read asks for once the chain is
                // gone (reads then ask for 0), is replaced by the next read or evicted. Removing it
                // here too took a third of the collector's time under single-node updates.
                if (chain.isDeleted()) {
                    edgeCache.invalidate(id);
                }
            });
        } else {
            after.add(() -> {
                int before = chain.length();
                reclaimedVersions.add(before - chain.prune(horizon));
            });
        }
    }

    private void collectNode(long id, VersionChain<Node> chain, long horizon, List<Runnable> after) {
        if (chain.isObsolete(horizon)) {
            if (chain.isDeleted()) {
                if (store.node(id) != null) {
                    if (store.degree(id) > 0) {
                        return; // an edge of it is still being collected; try again next round
                    }
                    store.purgeNode(id);
                    after.add(purgedEntities::increment);
                }
                // purgeNode removed the entries of the stored state; older states may have had others.
                List<Node> older = new ArrayList<>();
                chain.forEachOlderState(older::add);
                store.removeIndexEntries(id, older, List.of());
            } else if (chain.indexEntriesLeftBehind()) {
                List<Node> dropped = new ArrayList<>();
                chain.forEachOlderState(dropped::add);
                store.removeIndexEntries(id, dropped, List.of());
            } // else every replaced state's entries are the stored state's: nothing to drop, no read
            after.add(() -> {
                if (chain.isDeleted()) {
                    unseenNodes.purged(chain.latestTs());
                }
                reclaimedVersions.add(chain.length());
                nodeChains.remove(id);
                if (chain.isDeleted()) {
                    nodeCache.invalidate(id); // purged; other entries stay (see collectEdge)
                }
            });
            return;
        }
        int before = chain.length();
        int kept = chain.lengthAfterPrune(horizon);
        if (kept < before) {
            if (chain.indexEntriesLeftBehind()) {
                List<Node> all = new ArrayList<>();
                chain.forEachOlderState(all::add);
                List<Node> retained = new ArrayList<>();
                chain.forEachStateKeptByPrune(horizon, retained::add);
                // Pruning cuts the oldest end of the chain, so the retained states are a prefix.
                store.removeIndexEntries(id, all.subList(retained.size(), all.size()), retained);
            }
            after.add(() -> {
                chain.prune(horizon);
                reclaimedVersions.add(before - kept);
            });
        }
    }

    /** Ids of nodes deleted by a commit but not yet purged from the store (call under guard.write). */
    @Override
    public long[] pendingNodeDeletes() {
        return nodeChains.entrySet().stream().filter(e -> e.getValue().isDeleted()).mapToLong(Map.Entry::getKey).toArray();
    }

    /** Ids of edges deleted by a commit but not yet purged from the store (call under guard.write). */
    @Override
    public long[] pendingEdgeDeletes() {
        return edgeChains.entrySet().stream().filter(e -> e.getValue().isDeleted()).mapToLong(Map.Entry::getKey).toArray();
    }

    // ------------------------------------------------------------------ integrity (under guard.write)

    /**
     * Whether the node's index entries may include those of older states a snapshot still needs
     * (they are dropped when its chain is collected).
     */
    public boolean mayHoldStaleIndexEntries(long node) {
        VersionChain<Node> c = nodeChains.get(node);
        return c != null && c.hasOlderState();
    }

    /** Ids of the nodes for which {@link #mayHoldStaleIndexEntries} holds (for checkpoints). */
    @Override
    public long[] nodesWithStaleIndexEntries() {
        return nodeChains.entrySet().stream().filter(e -> e.getValue().hasOlderState())
                .mapToLong(Map.Entry::getKey).toArray();
    }

    /**
     * Checks every version chain: well formed ({@link VersionChain#malformation}), and an entity
     * whose chain says it exists or awaits its purge is in the store; and every creation run: no
     * newer than the newest commit, and its entities in the store.
     */
    public void checkChains(long newestCommit, IntegrityReport.Builder report) {
        checkChains("node", nodeChains, unseenNodes, newestCommit, id -> store.node(id) != null, report);
        checkChains("edge", edgeChains, unseenEdges, newestCommit, id -> store.edge(id) != null, report);
        checkCreations("node", nodeCreations, newestCommit, store::nodeStored, report);
        checkCreations("edge", edgeCreations, newestCommit, id -> store.edge(id) != null, report);
        report.add("version chains", chainCount());
        report.add("versions held for snapshots", versionCount());
    }

    private static <T> void checkChains(String kind, Map<Long, VersionChain<T>> chains, UnseenCounts unseen,
            long newestCommit, java.util.function.LongPredicate stored, IntegrityReport.Builder report) {
        long awaitingPurge = chains.values().stream().filter(VersionChain::isDeleted).count();
        if (unseen.awaitingPurge() != awaitingPurge) {
            report.problem(unseen.awaitingPurge() + " " + kind + " deletions counted as awaiting their purge, but "
                    + awaitingPurge + " version chains say so");
        }
        chains.forEach((id, chain) -> {
            String bad = chain.malformation(newestCommit);
            if (bad != null) {
                report.problem(kind + " " + id + ": version chain " + bad);
            }
            if (chain.latestTs() > 0 && !stored.test(id)) {
                report.problem(kind + " " + id + ": its version chain says it "
                        + (chain.isDeleted() ? "awaits its purge" : "exists") + ", but the store lacks it");
            }
        });
    }

    private static void checkCreations(String kind, Creations creations, long newestCommit,
            java.util.function.LongPredicate stored, IntegrityReport.Builder report) {
        creations.forEachRun((first, end, ts) -> {
            if (ts > newestCommit) {
                report.problem(kind + "s " + first + " to " + (end - 1) + ": created at " + ts
                        + ", after the newest commit " + newestCommit);
            }
            for (long id = first; id < end; id++) {
                if (!stored.test(id)) {
                    report.problem(kind + " " + id + ": created by commit " + ts + ", but the store lacks it");
                }
            }
        });
    }

    // ------------------------------------------------------------------ metrics

    /** Whether anything is kept for older snapshots (chains, or creation runs): collection has work. */
    public boolean holdsHistory() {
        return chainCount() > 0 || !nodeCreations.isEmpty() || !edgeCreations.isEmpty();
    }

    public int chainCount() {
        return nodeChains.size() + edgeChains.size();
    }

    public long versionCount() {
        long n = 0;
        for (VersionChain<Node> c : nodeChains.values()) {
            n += c.length();
        }
        for (VersionChain<Edge> c : edgeChains.values()) {
            n += c.length();
        }
        return n;
    }

    /** Length of the longest chain of the node (for tests of bounded growth). */
    public int nodeChainLength(long id) {
        VersionChain<Node> c = nodeChains.get(id);
        return c == null ? 0 : c.length();
    }

    public long reclaimedVersions() {
        return reclaimedVersions.sum();
    }

    public long purgedEntities() {
        return purgedEntities.sum();
    }
}
