package dev.sablegraph.concurrent;

import dev.sablegraph.core.Edge;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import dev.sablegraph.core.graph.AccessGuard;
import dev.sablegraph.core.graph.GraphStore;
import dev.sablegraph.core.mvcc.SnapshotRegistry;
import dev.sablegraph.core.storage.PageCacheMetrics;
import dev.sablegraph.core.util.LockOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An embedded graph database handing out snapshot-isolated transactions to many threads.
 *
 * <p>Commit protocol (docs/mvcc.md): under the commit lock, validate the write set against
 * commits made since the snapshot (first committer wins), take the next timestamp, install the
 * changes into the store and the version chains inside one exclusive section of the
 * {@link AccessGuard}, then publish the timestamp. Transactions that begin afterwards see the
 * commit; those that began before keep seeing the older versions through the chains. Readers never
 * take the commit lock, and the exclusive section holds no I/O but page-cache work.
 */
public final class ConcurrentGraphDB implements AutoCloseable {
    private static final int GC_BATCH = 256;

    private final GraphStore store;
    private final VersionedGraph graph;
    private final SnapshotRegistry registry;
    /** Timestamp of the newest published commit; snapshots take it at begin. */
    private final AtomicLong published = new AtomicLong();
    private final ReentrantLock commitLock = new ReentrantLock();
    private final ScheduledExecutorService collector;
    private final LongAdder conflicts = new LongAdder();
    private volatile boolean closed;

    private ConcurrentGraphDB(GraphStore store, GraphConfig config) {
        this.store = store;
        this.graph = new VersionedGraph(store, AccessGuard.of(config.lockStrategy()), config.nodeCacheEntries(),
                config.edgeCacheEntries());
        this.registry = new SnapshotRegistry(Math.max(256, 64 * Runtime.getRuntime().availableProcessors()));
        this.collector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sable-gc " + store.directory());
            t.setDaemon(true);
            return t;
        });
        collector.scheduleWithFixedDelay(this::collectQuietly, config.gcIntervalMillis(), config.gcIntervalMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Opens or creates the database in {@code directory} with the default configuration. */
    public static ConcurrentGraphDB open(Path directory) {
        return open(directory, GraphConfig.defaults());
    }

    /**
     * Opens or creates the database in {@code directory}.
     *
     * @throws dev.sablegraph.core.DatabaseLockedException when another opener holds the directory
     */
    public static ConcurrentGraphDB open(Path directory, GraphConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        return new ConcurrentGraphDB(GraphStore.open(directory, config), config);
    }

    /** Begins a snapshot-isolated read-write transaction. */
    public Transaction begin() {
        checkOpen();
        return new SnapshotTransaction(this, graph, registry.register(published::get));
    }

    /** Runs one round of version reclamation now (the background collector does it periodically). */
    public void collectGarbage() {
        checkOpen();
        long visible = published.get();
        graph.collect(registry.oldest(visible), GC_BATCH);
    }

    private void collectQuietly() {
        try {
            if (!closed) {
                collectGarbage();
            }
        } catch (IllegalStateException closing) {
            // closed between the check and the work: nothing left to collect
        }
    }

    public MvccMetrics metrics() {
        long visible = published.get();
        return new MvccMetrics(registry.active(), visible, registry.oldest(visible), graph.chainCount(),
                graph.versionCount(), graph.reclaimedVersions(), graph.purgedEntities(), conflicts.sum());
    }

    public PageCacheMetrics pageCacheMetrics() {
        return store.pageCacheMetrics();
    }

    /** Writes every committed change to the data file and forces it. */
    public void flush() {
        checkOpen();
        lockCommits();
        try {
            graph.guard.write(store::flush);
        } finally {
            unlockCommits();
        }
    }

    /** Flushes and releases the directory lock; running transactions can no longer be used. Idempotent. */
    @Override
    public void close() {
        lockCommits();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            unlockCommits();
        }
        collector.shutdown();
        try {
            collector.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // No transaction can read any more, so no snapshot needs an old version: purge every
        // deleted entity and stale index entry now. The store holds deletions only as in-memory
        // tombstones until then, and they would not survive the close.
        graph.collect(published.get(), GC_BATCH);
        graph.guard.write(store::close);
    }

    // ------------------------------------------------------------------ package-private protocol

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("database " + store.directory() + " is closed");
        }
    }

    void release(SnapshotRegistry.Snapshot snapshot) {
        registry.release(snapshot);
    }

    void recordConflict() {
        conflicts.increment();
    }

    /** Validates and installs a transaction's writes, or throws {@link WriteConflictException}. */
    void commit(SnapshotTransaction tx) {
        lockCommits();
        try {
            checkOpen();
            validate(tx);
            long ts = published.get() + 1;
            graph.guard.write(() -> install(tx.writes, ts));
            published.set(ts);
        } finally {
            unlockCommits();
        }
    }

    private void lockCommits() {
        commitLock.lock();
        assert LockOrder.acquire(LockOrder.COMMIT);
    }

    private void unlockCommits() {
        assert LockOrder.release(LockOrder.COMMIT);
        commitLock.unlock();
    }

    /** First committer wins: any entity we change must not have changed since our snapshot. */
    private void validate(SnapshotTransaction tx) {
        long s = tx.snapshotTimestamp();
        WriteSet w = tx.writes;
        for (Map.Entry<Long, WriteSet.Change<Node>> e : w.nodes.entrySet()) {
            long id = e.getKey();
            WriteSet.Change<Node> c = e.getValue();
            if (c.created()) {
                continue;
            }
            if (graph.nodeChangedAt(id) > s) {
                throw new WriteConflictException("node " + id + " was modified by a transaction that committed first");
            }
            if (c.after() == null && graph.nodeEdgesChangedAt(id) > s) {
                throw new WriteConflictException("node " + id + " gained or lost edges in a transaction that committed first");
            }
        }
        for (Map.Entry<Long, WriteSet.Change<Edge>> e : w.edges.entrySet()) {
            long id = e.getKey();
            WriteSet.Change<Edge> c = e.getValue();
            if (!c.created()) {
                if (graph.edgeChangedAt(id) > s) {
                    throw new WriteConflictException("edge " + id + " was modified by a transaction that committed first");
                }
            } else if (c.after() != null) {
                for (long endpoint : new long[] {c.after().from(), c.after().to()}) {
                    WriteSet.Change<Node> own = w.nodes.get(endpoint);
                    if ((own == null || !own.created()) && graph.nodeDeleted(endpoint)) {
                        throw new WriteConflictException("node " + endpoint
                                + " was deleted by a transaction that committed first");
                    }
                }
            }
        }
    }

    /**
     * Installs a validated write set at {@code ts}: new nodes first (edges may need them), then
     * changed nodes, then edges, then deleted nodes (their edges are gone by then).
     */
    private void install(WriteSet w, long ts) {
        w.nodes.forEach((id, c) -> {
            if (c.created() && c.after() != null) {
                graph.installNode(id, c.after(), true, ts);
            }
        });
        w.nodes.forEach((id, c) -> {
            if (!c.created() && c.after() != null) {
                graph.installNode(id, c.after(), false, ts);
            }
        });
        w.edges.forEach((id, c) -> {
            if (!(c.created() && c.after() == null)) {
                graph.installEdge(id, c.after(), c.created(), ts);
            }
        });
        w.nodes.forEach((id, c) -> {
            if (!c.created() && c.after() == null) {
                graph.installNode(id, null, false, ts);
            }
        });
    }

    /** Chain length of one node, for tests of bounded version growth. */
    int versionChainLength(long nodeId) {
        return graph.nodeChainLength(nodeId);
    }

    /** Index sizes, for tests that check stale entries are reclaimed. */
    long propertyIndexSize() {
        return store.propertyIndexSize();
    }
}
