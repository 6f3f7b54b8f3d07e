package dev.sablegraph.concurrent;

import dev.sablegraph.core.Edge;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.internal.checkpoint.CheckpointFiles;
import dev.sablegraph.internal.checkpoint.CheckpointInfo;
import dev.sablegraph.internal.graph.AccessGuard;
import dev.sablegraph.internal.graph.GraphStore;
import dev.sablegraph.internal.storage.PageCache;
import dev.sablegraph.internal.wal.ChannelFactory;
import dev.sablegraph.internal.graph.RollbackFailedException;
import dev.sablegraph.internal.mvcc.SnapshotRegistry;
import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.internal.util.LockOrder;
import dev.sablegraph.internal.util.RankedLock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An embedded graph database handing out snapshot-isolated transactions to many threads.
 *
 * <p>Commit protocol (docs/mvcc.md, docs/durability.md): under the commit lock, validate the write
 * set against commits made since the snapshot (first committer wins), take the next timestamp,
 * install the changes into the store and the version chains inside one exclusive section of the
 * {@link AccessGuard}, and append the commit record to the write-ahead log. Then, holding no lock,
 * wait until the log is forced (group commit shares one force among concurrent committers) and
 * publish the timestamp: transactions that begin afterwards see the commit, and only durable
 * commits are ever visible. Readers never take the commit lock, and no lock is held during a
 * force.
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
    private final OpenTransactions transactions;
    private final long maxTransactionAgeNanos;
    /** Timestamp of the newest published commit; snapshots take it at begin. */
    private final AtomicLong published = new AtomicLong();
    private final RankedLock commitLock = new RankedLock(LockOrder.COMMIT);
    private final ScheduledExecutorService collector;
    private final CacheMaintenance cacheMaintenance = new CacheMaintenance();
    private final LongAdder conflicts = new LongAdder();

    /**
     * The baseline strategy puts everything under its one mutex, as the engine we started from
     * did: beginning and ending a transaction too, not only its reads and commits.
     */
    private final boolean everythingUnderOneMutex;
    private final CommitJournal journal;
    private final CheckpointFiles checkpoints;
    private final RankedLock checkpointLock = new RankedLock(LockOrder.CHECKPOINT);
    private final LongAdder checkpointCount = new LongAdder();
    /** Set when a commit failed after changing memory or the log: commits are refused until reopen. */
    private volatile GraphException failure;
    private volatile boolean closed;

    private ConcurrentGraphDB(GraphStore store, GraphConfig config, CommitJournal journal, CheckpointFiles checkpoints) {
        this.store = store;
        this.everythingUnderOneMutex = config.lockStrategy() == LockStrategy.GLOBAL_MUTEX;
        this.journal = journal;
        this.checkpoints = checkpoints;
        this.graph = new VersionedGraph(store, AccessGuard.of(config.lockStrategy()), config.nodeCacheEntries(),
                config.edgeCacheEntries(), cacheMaintenance);
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
     * Recovery runs first: the newest checkpoint is completed or discarded, then every commit logged
     * after it is replayed.
     */
    static ConcurrentGraphDB open(Path directory, GraphConfig config, ChannelFactory channels) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        if (directory == null) {
            throw new IllegalArgumentException("directory must not be null");
        }
        requireHeapForCheckpoints(config.pageCacheBytes(), Runtime.getRuntime().maxMemory());
        CheckpointFiles checkpoints = new CheckpointFiles(directory);
        CheckpointInfo[] info = new CheckpointInfo[1];
        GraphStore store = GraphStore.openWithLog(directory, config, dataFile -> info[0] = checkpoints.recover(dataFile));
        CommitJournal journal = null;
        try {
            store.pager().cache().setNoSteal(true);
            long[] replayed = new long[1];
            journal = CommitJournal.openAndRecover(directory, store, info[0], config, channels, replayed,
                    new CommitJournal.Checkpointer() {
                        @Override
                        public boolean dirtyPressure() {
                            return ConcurrentGraphDB.dirtyPressure(store, 2);
                        }

                        @Override
                        public void checkpointAt(long lsn) {
                            store.pager().runFlushHooks();
                            // Replay logs nothing, so there is no log to force first.
                            writeCaptured(checkpoints, store, () -> {}, CheckpointInfo.at(lsn),
                                    store.pager().headerImage(), store.pager().cache().captureDirtyPages());
                        }
                    });
            ConcurrentGraphDB db = new ConcurrentGraphDB(store, config, journal, checkpoints);
            if (replayed[0] > 0 || info[0].holdsSnapshotState() || store.kindMarkPending()) {
                // The recovered state becomes the new base; the replayed log can go. A data file
                // taken over from GraphDB says from now on that it has a log (GraphDB refuses it).
                db.checkpoint();
            }
            db.startCollector(config.gcIntervalMillis());
            return db;
        } catch (RuntimeException | Error e) { // an Error must not keep the directory locked either
            if (journal != null) {
                try {
                    journal.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            store.closeWithoutFlush();
            throw e;
        }
    }

    /**
     * A checkpoint copies onto the heap each captured page that a writer changes before the
     * checkpoint has written it (copy-on-write, see {@link PageCache#captureDirtyPages}). Up to
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
     * The part of a checkpoint after the switch: forces the log ({@code forceLog}: the log before
     * the data, so that no page outruns its commit), writes the captured pages and marks them
     * clean; whatever fails, releases the captures still held.
     */
    private static void writeCaptured(CheckpointFiles checkpoints, GraphStore store, Runnable forceLog,
            CheckpointInfo info, java.nio.ByteBuffer header, List<PageCache.CapturedPage> pages) {
        PageCache cache = store.pager().cache();
        try {
            forceLog.run();
            checkpoints.write(store.pager(), info, header, pages);
            cache.markClean(pages);
        } finally {
            cache.release(pages);
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
                ? graph.guard.write(() -> transactions.register(published::get))
                : transactions.register(published::get);
        try {
            return new SnapshotTransaction(this, graph, transactions, snapshot);
        } catch (RuntimeException | Error e) {
            transactions.abandonRegistration(snapshot);
            throw e;
        }
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
        long visible = published.get();
        graph.collect(transactions.oldestSnapshot(visible), GC_BATCH, this::relieveDirtyPressure, () -> dirtyPressure(2));
    }

    private void collectQuietly() {
        if (closed) {
            return;
        }
        try {
            try {
                collectGarbage();
            } catch (RollbackFailedException e) {
                throw e;
            } catch (GraphException e) {
                // A collection batch that failed (say, its purges filled the page cache) was taken
                // back whole; the next round tries again after a checkpoint has made room.
            }
            if (failure == null && (journal.checkpointDue() || dirtyPressure(4))) {
                checkpoint();
            }
        } catch (IllegalStateException closing) {
            // closed between the check and the work: nothing left to collect
        } catch (RuntimeException e) {
            fail(e);
        }
    }


    /**
     * Back-pressure for work other than commits (purges of the collector): checkpoints when half
     * the cache is dirty, so that no-steal cannot run out of clean frames.
     */
    private void relieveDirtyPressure() {
        if (failure == null && dirtyPressure(2)) {
            checkpointNow();
        }
    }

    /** True when more than 1/{@code fraction} of the page cache holds changes not yet checkpointed. */
    private boolean dirtyPressure(int fraction) {
        return dirtyPressure(store, fraction);
    }

    private static boolean dirtyPressure(GraphStore store, int fraction) {
        return store.pager().cache().dirtyPageCount() * fraction > store.pager().cache().capacityPages();
    }

    /**
     * Writes every committed change to the data file so that recovery can start from here and the
     * log before it can be dropped. Holds the commit lock and the exclusive side of the guard only
     * while it captures the dirty pages (a pass over the frames, no copying: the page cache copies
     * a captured page only if a writer changes it before the checkpoint has taken its image);
     * forcing the log and writing pages happen after both are released, so readers and committers
     * wait for neither a copy nor I/O.
     */
    public void checkpoint() {
        checkOpen();
        checkpointNow();
    }

    /**
     * The checkpoint itself, also run by {@code close()}. Refused once the database has failed:
     * the store's memory may then hold changes of a commit that never became durable, and a
     * checkpoint would write them into the data file.
     */
    private void checkpointNow() {
        checkNotFailed();
        checkpointLock.lock();
        try {
            record Snapshot(CheckpointInfo info, java.nio.ByteBuffer header, List<PageCache.CapturedPage> pages) {}
            Snapshot snap;
            long start = System.nanoTime();
            commitLock.lock();
            try {
                checkNotFailed(); // a commit may have failed while this one waited for the lock
                snap = graph.guard.write(() -> {
                    store.pager().runFlushHooks();
                    CheckpointInfo info = new CheckpointInfo(journal.endLsn(), graph.pendingNodeDeletes(),
                            graph.pendingEdgeDeletes(), graph.nodesWithStaleIndexEntries());
                    return new Snapshot(info, store.pager().headerImage(), store.pager().cache().captureDirtyPages());
                });
            } finally {
                commitLock.unlock();
            }
            long switched = System.nanoTime();
            writeCaptured(checkpoints, store, () -> journal.forceUpTo(snap.info().lsn()), snap.info(), snap.header(),
                    snap.pages());
            journal.checkpointed(snap.info().lsn());
            checkpointCount.increment();
            recordCheckpoint(snap.pages().size(), switched - start, System.nanoTime() - start);
        } finally {
            checkpointLock.unlock();
        }
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
        checkpointLock.lock();
        try {
            // With the no-steal cache only checkpoints write the data file; holding them off keeps
            // it still while it is read. Nobody else waits on this lock, so the I/O blocks no one.
            store.pager().checkPagesOnDisk(report);
            commitLock.lock();
            try {
                // Exclusive: the store and the chains must not change under the check (commits
                // install and the collector purges only under the write side of the guard).
                graph.guard.write(() -> {
                    store.checkIntegrity(graph::mayHoldStaleIndexEntries, report);
                    graph.checkChains(lastCommit, report);
                });
            } finally {
                commitLock.unlock();
            }
        } finally {
            checkpointLock.unlock();
        }
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
        return checkpointCount.sum();
    }

    // Checkpoint figures, written under the checkpoint lock (one checkpoint at a time).
    private volatile CheckpointMetrics checkpointMetrics = new CheckpointMetrics(0, 0, 0, 0, 0, 0);

    private void recordCheckpoint(long pages, long switchNanos, long totalNanos) {
        CheckpointMetrics m = checkpointMetrics;
        long switchMicros = switchNanos / 1_000;
        long millis = totalNanos / 1_000_000;
        checkpointMetrics = new CheckpointMetrics(m.checkpoints() + 1, m.pagesWritten() + pages,
                Math.max(m.maxSwitchMicros(), switchMicros), m.totalSwitchMicros() + switchMicros,
                Math.max(m.maxMillis(), millis), m.totalMillis() + millis);
    }

    /** Checkpoints since open: how long commits waited for their switches, how long they took. */
    public CheckpointMetrics checkpointMetrics() {
        return checkpointMetrics;
    }

    public MvccMetrics metrics() {
        long visible = published.get();
        return new MvccMetrics(transactions.active(), visible, transactions.oldestSnapshot(visible), graph.chainCount(),
                graph.versionCount(), graph.reclaimedVersions(), graph.purgedEntities(), conflicts.sum(),
                transactions.oldestAgeMillis(), transactions.abandonedCount.sum(), transactions.expiredCount.sum());
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
        commitLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            commitLock.unlock();
        }
        Throwable first = null;
        try {
            collector.shutdown();
            awaitCollectorEnd();
            if (failure == null) {
                // No transaction can read any more, so no snapshot needs an old version: purge every
                // deleted entity and stale index entry now. The store holds deletions only as
                // in-memory tombstones until then, and they would not survive the close.
                graph.collect(published.get(), GC_BATCH, this::relieveDirtyPressure, () -> dirtyPressure(2));
                checkpointNow();
            }
        } catch (RuntimeException | Error e) {
            first = e;
        }
        try {
            journal.close();
        } catch (RuntimeException | Error e) {
            // a failed log cannot flush: expected, and already reported by the failed commit
            if (failure == null) {
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

    // ------------------------------------------------------------------ package-private protocol

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("database " + store.directory() + " is closed");
        }
    }

    void release(TransactionLease lease) {
        if (everythingUnderOneMutex) {
            graph.guard.write(lease::release);
        } else {
            lease.release();
        }
    }

    void recordConflict() {
        conflicts.increment();
    }

    /**
     * Validates, installs and logs a transaction's writes, waits until they are durable, and
     * publishes them. Returns the commit timestamp. If it throws before the log record is appended
     * (a {@link WriteConflictException}, an input beyond a limit, a page cache too small for the
     * transaction, a failed append), the store is exactly as before and the database stays usable;
     * only a failed force, or a failed rollback, makes it refuse further commits.
     */
    long commit(SnapshotTransaction tx, WriteSet writes) {
        if (failure == null && dirtyPressure(2)) {
            checkpointNow(); // back-pressure: dirty pages may not fill the cache (no-steal)
        }
        long ts;
        long lsn;
        commitLock.lock();
        try {
            checkOpen();
            checkNotFailed();
            validate(tx.snapshotTimestamp(), writes);
            tx.checkNotExpired(); // after validation: the snapshot was held throughout it
            long next = lastCommit + 1;
            byte[] record = journal.encode(next, writes); // refuses what the log cannot take, before any change
            long[] appended = new long[1];
            try {
                graph.guard.write(() -> graph.install(writes, next, () -> appended[0] = journal.append(record)));
            } catch (RollbackFailedException e) {
                throw fail(e);
            } catch (IllegalArgumentException e) {
                throw e; // an input beyond a limit: taken back whole, the caller's to fix
            } catch (RuntimeException e) {
                throw new GraphException("commit failed and was taken back whole; the database is unchanged and"
                        + " usable: " + e.getMessage(), e);
            }
            ts = next;
            lsn = appended[0];
            lastCommit = ts;
        } finally {
            commitLock.unlock();
        }
        try {
            journal.awaitDurable(lsn);
        } catch (RuntimeException e) {
            throw fail(e);
        }
        published.accumulateAndGet(ts, Math::max);
        return ts;
    }

    /** Timestamp of the newest installed commit (published once durable); guarded by the commit lock. */
    private long lastCommit;

    private void checkNotFailed() {
        GraphException f = failure;
        if (f != null) {
            throw new GraphException(f.getMessage(), f);
        }
    }

    /**
     * Stops all writing after a failure that may have left part of an unacknowledged commit in
     * memory or in the log: no commit and no checkpoint runs again in this process.
     */
    private GraphException fail(RuntimeException cause) {
        GraphException f = new GraphException("database " + store.directory() + " refuses writes after a failure: "
                + cause.getMessage() + ". Every commit that returned is durable; the commit that failed did not return."
                + " Nothing not yet durable will be written to the data file. Close and reopen the database"
                + " (recovery replays the log)", cause);
        if (failure == null) {
            failure = f;
        }
        return f;
    }

    /** First committer wins: any entity we change must not have changed since our snapshot. */
    private void validate(long s, WriteSet w) {
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

    /** Chain length of one node, for tests of bounded version growth. */
    int versionChainLength(long nodeId) {
        return graph.nodeChainLength(nodeId);
    }

    /** Index sizes, for tests that check stale entries are reclaimed. */
    long propertyIndexSize() {
        return store.propertyIndexSize();
    }
}
