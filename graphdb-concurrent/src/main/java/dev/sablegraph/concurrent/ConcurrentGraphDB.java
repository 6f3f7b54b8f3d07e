package dev.sablegraph.concurrent;

import dev.sablegraph.core.CheckpointMetrics;
import dev.sablegraph.core.ConstraintViolationException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.IndexDescription;
import dev.sablegraph.core.IndexState;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.MvccMetrics;
import dev.sablegraph.core.OpenTransaction;
import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.core.PropertyValues;
import dev.sablegraph.internal.durability.Checkpointer;
import dev.sablegraph.internal.durability.CommitJournal;
import dev.sablegraph.internal.durability.Recovery;
import dev.sablegraph.internal.util.AccessGuard;
import dev.sablegraph.internal.graph.GraphStore;
import dev.sablegraph.internal.graph.RollbackFailedException;
import dev.sablegraph.internal.graph.Validation;
import dev.sablegraph.internal.mvcc.CacheMaintenance;
import dev.sablegraph.internal.mvcc.ConflictRule;
import dev.sablegraph.internal.mvcc.OpenTransactions;
import dev.sablegraph.internal.mvcc.SnapshotRegistry;
import dev.sablegraph.internal.mvcc.TransactionLease;
import dev.sablegraph.internal.mvcc.UniquenessRule;
import dev.sablegraph.internal.mvcc.VersionedGraph;
import dev.sablegraph.internal.txn.CommitProtocol;
import dev.sablegraph.internal.txn.SchemaProtocol;
import dev.sablegraph.internal.wal.ChannelFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An embedded graph database handing out snapshot-isolated transactions to many threads.
 *
 * <p>This class owns the database's lifetime: open (recovery, {@link Recovery}), the background
 * collector and checkpoints, close. The rules live beneath it, one place each: the commit protocol
 * in {@link CommitProtocol}, conflicts in {@link ConflictRule}, visibility in
 * {@code VersionChain.visibleAt}, checkpoints in {@link Checkpointer} (docs/architecture.md).
 *
 * <p>Failures (docs/durability.md, "What a failure leaves behind"): a commit that fails before
 * its log record is appended is taken back whole ({@link GraphStore#changeAtomically}) and the
 * database stays fully usable. Only a failed log force, or a change that could not be taken back,
 * makes it refuse further commits until it is reopened; it stays readable, no checkpoint runs
 * again (so nothing unacknowledged reaches the data file), and reopening recovers every commit
 * that returned.
 */
public final class ConcurrentGraphDB implements AutoCloseable {
    private static final int GC_BATCH = 256;

    private final GraphStore store;
    private final VersionedGraph graph;
    private final ConflictRule conflicts;
    private final OpenTransactions transactions;
    private final CommitProtocol protocol;
    private final SchemaProtocol schema;
    private final CommitJournal journal;
    private final Checkpointer checkpointer;
    private final long maxTransactionAgeNanos;
    private final ScheduledExecutorService collector;
    private final CacheMaintenance cacheMaintenance = new CacheMaintenance();

    /**
     * The baseline strategy puts everything under its one mutex, as the engine we started from
     * did: beginning and ending a transaction too, not only its reads and commits.
     */
    private final boolean everythingUnderOneMutex;

    private ConcurrentGraphDB(Recovery.Recovered recovered, GraphConfig config) {
        this.store = recovered.store();
        this.journal = recovered.journal();
        this.checkpointer = recovered.checkpointer();
        this.everythingUnderOneMutex = config.lockStrategy() == LockStrategy.GLOBAL_MUTEX;
        this.graph = new VersionedGraph(store, AccessGuard.of(config.lockStrategy()), config.nodeCacheEntries(),
                config.edgeCacheEntries(), cacheMaintenance);
        this.conflicts = new ConflictRule(graph);
        this.protocol = new CommitProtocol(store.directory(), graph, conflicts, new UniquenessRule(graph), journal,
                checkpointer);
        this.schema = new SchemaProtocol(protocol, graph, checkpointer);
        this.transactions = new OpenTransactions(config.maxOpenTransactions());
        this.maxTransactionAgeNanos = config.maxTransactionAgeMillis() * 1_000_000;
        this.collector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sable-gc " + store.directory());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts background collection and checkpointing once the database is open. */
    private void startCollector(long intervalMillis) {
        collector.scheduleWithFixedDelay(this::collectQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        collector.scheduleWithFixedDelay(cacheMaintenance::runPending, 1, 1, TimeUnit.MILLISECONDS);
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
        return open(directory, config, ChannelFactory.DEFAULT);
    }

    /**
     * Opens with the log's file channels from {@code channels} (tests inject I/O faults here).
     * Recovery runs first ({@link Recovery}); a database that recovered anything checkpoints once,
     * making the recovered state the new base so the replayed log can go.
     */
    static ConcurrentGraphDB open(Path directory, GraphConfig config, ChannelFactory channels) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        if (directory == null) {
            throw new IllegalArgumentException("directory must not be null");
        }
        requireHeapForCheckpoints(config.pageCacheBytes(), Runtime.getRuntime().maxMemory());
        Recovery.Recovered recovered = Recovery.open(directory, config, channels);
        try {
            ConcurrentGraphDB db = new ConcurrentGraphDB(recovered, config);
            if (recovered.needsCheckpoint()) {
                db.protocol.checkpoint();
            }
            db.startCollector(config.gcIntervalMillis());
            db.schema.resumeBuilds();
            return db;
        } catch (RuntimeException | Error e) { // an Error must not keep the directory locked either
            try {
                recovered.journal().close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            recovered.store().closeWithoutFlush();
            throw e;
        }
    }

    /**
     * A checkpoint copies onto the heap each captured page that a writer changes before the
     * checkpoint has written it (copy-on-write, see {@code PageCache.captureDirtyPages}). Up to
     * half the page cache may be captured (commits checkpoint first beyond that), and in the worst
     * case writers change all of it: a heap smaller than that could fail a checkpoint with
     * {@code OutOfMemoryError} long after open. Refused at open instead, naming both sizes.
     */
    static void requireHeapForCheckpoints(long pageCacheBytes, long maxHeapBytes) {
        if (maxHeapBytes != Long.MAX_VALUE && maxHeapBytes < pageCacheBytes / 2) {
            throw new IllegalArgumentException("pageCacheBytes of " + (pageCacheBytes >> 20) + " MiB needs a heap of at least "
                    + (pageCacheBytes >> 21) + " MiB (a checkpoint may copy up to half the cache), but the maximum heap is "
                    + (maxHeapBytes >> 20) + " MiB: raise -Xmx or lower pageCacheBytes");
        }
    }

    /**
     * Begins a snapshot-isolated read-write transaction. Close it when done: one that is dropped
     * without {@code close()} is rolled back once the garbage collector finds it unreachable (the
     * next collection round after that), and counted in {@link MvccMetrics#abandonedTransactions()}.
     *
     * @throws GraphException when {@link GraphConfig#maxOpenTransactions()} transactions are open
     */
    public Transaction begin() {
        checkOpen();
        SnapshotRegistry.Snapshot snapshot = everythingUnderOneMutex
                ? graph.guard().write(() -> transactions.register(protocol::published))
                : transactions.register(protocol::published);
        try {
            return new SnapshotTransaction(this, graph, conflicts, protocol, schema, transactions, snapshot);
        } catch (RuntimeException | Error e) {
            transactions.abandonRegistration(snapshot);
            throw e;
        }
    }

    // ------------------------------------------------------------------ schema

    /**
     * Creates an index on the values of {@code key} of the nodes with {@code label}, and returns at
     * once: the index is built from the stored nodes in the background while readers and writers
     * go on ({@link #indexes()} shows its progress, {@link #awaitIndexesOnline} waits for it).
     * Until it is online, lookups read the label's nodes instead and give the same answers; from
     * then on {@link Transaction#findNodes(String, String, Object)} and the range queries on
     * (label, key) use it. A schema change is its own durable operation, not part of a
     * transaction: it is logged, survives a crash, and a build cut short by one starts again at
     * the next open. Creating an index that exists (or the index of a unique constraint) returns it.
     *
     * @throws IllegalArgumentException for a null or empty label or key
     */
    public IndexDescription createIndex(String label, String key) {
        checkSchemaArguments(label, key);
        checkOpen();
        return schema.createIndex(label, key);
    }

    /**
     * Drops the index on (label, key) and deletes its entries before returning; lookups read the
     * label's nodes again.
     *
     * @throws IllegalArgumentException when there is no such index, or it belongs to a unique
     *     constraint (drop that with {@link #dropConstraint})
     */
    public void dropIndex(String label, String key) {
        checkSchemaArguments(label, key);
        checkOpen();
        schema.drop(label, key, false);
    }

    /**
     * Creates a unique constraint: no two nodes with {@code label} may have the same value of
     * {@code key} (values are the same as {@link Transaction#findNodes(String, String, Object)}
     * compares them: Long 1 and Double 1.0 differ). It comes with an index, built like
     * {@link #createIndex}'s; this call waits until it is built and the existing nodes are checked.
     * From its creation on, a commit that would give two nodes one value fails with
     * {@link ConstraintViolationException} and changes nothing, also when two transactions race.
     * Creating a constraint that exists returns it.
     *
     * @throws ConstraintViolationException when existing nodes already share a value (naming one
     *     such pair); no constraint is left behind
     * @throws IllegalArgumentException when a plain index on (label, key) exists (drop it first)
     */
    public IndexDescription createUniqueConstraint(String label, String key) {
        checkSchemaArguments(label, key);
        checkOpen();
        return schema.createUniqueConstraint(label, key);
    }

    /**
     * Drops the unique constraint on (label, key) with its index.
     *
     * @throws IllegalArgumentException when there is no such constraint
     */
    public void dropConstraint(String label, String key) {
        checkSchemaArguments(label, key);
        checkOpen();
        schema.drop(label, key, true);
    }

    /** The indexes and unique constraints, sorted by label, then key, with their state and build progress. */
    public List<IndexDescription> indexes() {
        checkOpen();
        return schema.indexes();
    }

    /**
     * Waits until no index is building, at most {@code timeout}. Returns true when every index is
     * online, false when the time ran out or a build failed ({@link IndexState#FAILED}).
     */
    public boolean awaitIndexesOnline(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be zero or positive, was " + timeout);
        }
        checkOpen();
        return schema.awaitOnline(timeout);
    }

    private static void checkSchemaArguments(String label, String key) {
        Validation.name("label", label);
        PropertyValues.requireKey(key);
    }

    /** The open transactions, oldest first: who holds back the reclamation of old versions. */
    public List<OpenTransaction> openTransactions() {
        checkOpen();
        return transactions.list();
    }

    /** Runs one round of version reclamation now (the background collector does it periodically). */
    public void collectGarbage() {
        checkOpen();
        transactions.reclaimAbandoned();
        if (maxTransactionAgeNanos > 0) {
            transactions.expireOlderThan(maxTransactionAgeNanos);
        }
        collectUpTo(transactions.oldestSnapshot(protocol.published()));
    }

    /**
     * Reclaims what no snapshot at or after {@code horizon} needs. Its purges dirty pages, so
     * between batches it checkpoints when half the cache is dirty (no-steal cannot evict them).
     */
    private void collectUpTo(long horizon) {
        graph.collect(horizon, GC_BATCH, () -> {
            if (!protocol.failed() && checkpointer.dirtyPressure(2)) {
                protocol.checkpoint();
            }
        }, () -> checkpointer.dirtyPressure(2));
    }

    private void collectQuietly() {
        try {
            checkOpen();
            try {
                collectGarbage();
            } catch (RollbackFailedException e) {
                throw e;
            } catch (GraphException e) {
                // A collection batch that failed (say, its purges filled the page cache) was taken
                // back whole; the next round tries again after a checkpoint has made room.
            }
            if (!protocol.failed() && (journal.checkpointDue() || checkpointer.dirtyPressure(4))) {
                protocol.checkpoint();
            }
        } catch (IllegalStateException closing) {
            // closed between the check and the work: nothing left to collect
        } catch (RuntimeException e) {
            protocol.fail(e);
        }
    }

    /**
     * Writes every committed change to the data file so that recovery can start from here and the
     * log before it can be dropped. Commits and readers wait only while it captures the dirty
     * pages (a pass over the frames, no copying); forcing the log and writing pages happen after,
     * so readers and committers wait for neither a copy nor I/O ({@link Checkpointer}).
     */
    public void checkpoint() {
        checkOpen();
        protocol.checkpoint();
    }

    /**
     * Checks the whole database and reports what it found: every page of the data file as the last
     * checkpoint wrote it (checksum, type), the stored graph (adjacency consistent in both
     * directions, indexes equal to the data, no orphaned records, the free-page list) and the
     * version chains (well formed, consistent with the store). A maintenance operation: commits and
     * version collection wait while the graph is checked, and readers too under the
     * {@code READ_WRITE} and {@code GLOBAL_MUTEX} strategies; it reads every page, so it takes time
     * proportional to the database. The log is verified by every open (recovery reads it).
     */
    public IntegrityReport checkIntegrity() {
        checkOpen();
        IntegrityReport.Builder report = IntegrityReport.builder();
        protocol.checkIntegrity(report);
        return report.build();
    }

    /** Forces every commit logged so far (under {@code ASYNC}: ends the loss window now). */
    public void flushLog() {
        checkOpen();
        journal.forceUpTo(journal.endLsn());
    }

    /** Log forces since open: with group commit, fewer than commits. */
    public long logForces() {
        return journal.forces();
    }

    public long checkpoints() {
        return checkpointer.metrics().checkpoints();
    }

    /** Checkpoints since open: how long commits waited for their switches, how long they took. */
    public CheckpointMetrics checkpointMetrics() {
        return checkpointer.metrics();
    }

    public MvccMetrics metrics() {
        long visible = protocol.published();
        return new MvccMetrics(transactions.active(), visible, transactions.oldestSnapshot(visible), graph.chainCount(),
                graph.versionCount(), graph.reclaimedVersions(), graph.purgedEntities(), conflicts.conflicts(),
                transactions.oldestAgeMillis(), transactions.abandoned(), transactions.expired());
    }

    public PageCacheMetrics pageCacheMetrics() {
        return store.pageCacheMetrics();
    }

    /** Writes every committed change to the data file and forces it: a checkpoint. */
    public void flush() {
        checkpoint();
    }

    /**
     * Flushes and releases the directory lock; running transactions can no longer be used.
     * Idempotent. Whatever fails on the way (the final collection or checkpoint), the log, the
     * data file, the background threads, the page cache's memory and the directory lock are all
     * released before the failure is thrown, so the directory can be opened again at once; the
     * log still holds every commit that returned.
     */
    @Override
    public void close() {
        if (!protocol.markClosed()) {
            return;
        }
        Throwable first = null;
        try {
            collector.shutdown();
            awaitCollectorEnd();
            schema.close();
            if (!protocol.failed()) {
                // No transaction can read any more, so no snapshot needs an old version: purge every
                // deleted entity and stale index entry now. The store holds deletions only as
                // in-memory tombstones until then, and they would not survive the close.
                collectUpTo(protocol.published());
                protocol.checkpoint();
            }
        } catch (RuntimeException | Error e) {
            first = e;
        }
        try {
            journal.close();
        } catch (RuntimeException | Error e) {
            // a failed log cannot flush: expected, and already reported by the failed commit
            if (!protocol.failed()) {
                first = chain(first, e);
            }
        }
        try {
            store.closeWithoutFlush();
        } catch (RuntimeException | Error e) {
            first = chain(first, e);
        }
        if (first instanceof RuntimeException r) {
            throw r;
        } else if (first instanceof Error err) {
            throw err;
        }
    }

    private static Throwable chain(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /**
     * Waits for a collection round or checkpoint still running on the collector thread to end,
     * uninterruptibly: closing while it still works would race it for the store. An interrupt is
     * kept for the caller.
     */
    private void awaitCollectorEnd() {
        boolean interrupted = false;
        for (;;) {
            try {
                if (collector.awaitTermination(10, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ for SnapshotTransaction and tests

    void checkOpen() {
        protocol.checkOpen();
    }

    /** Ends a transaction's hold on its snapshot (under the one mutex for the baseline strategy). */
    void release(TransactionLease lease) {
        if (everythingUnderOneMutex) {
            graph.guard().write(lease::release);
        } else {
            lease.release();
        }
    }

    /** Chain length of one node, for tests of bounded version growth. */
    int versionChainLength(long nodeId) {
        return graph.nodeChainLength(nodeId);
    }

    /** Holds index builds before their next batch, or lets them go on (tests of a pending build). */
    void holdIndexBuilds(boolean hold) {
        schema.holdBuilds(hold);
    }

    /** Index sizes, for tests that check stale entries are reclaimed. */
    long propertyIndexSize() {
        return store.propertyIndexSize();
    }
}
