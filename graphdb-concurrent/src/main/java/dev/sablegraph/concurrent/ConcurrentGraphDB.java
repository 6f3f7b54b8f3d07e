package dev.sablegraph.concurrent;

import dev.sablegraph.core.CheckpointMetrics;
import dev.sablegraph.core.ConstraintViolationException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.IndexDescription;
import dev.sablegraph.core.IndexState;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Metric;
import dev.sablegraph.core.MetricsSink;
import dev.sablegraph.core.MvccMetrics;
import dev.sablegraph.core.OpenTransaction;
import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.core.PropertyValues;
import dev.sablegraph.internal.durability.BackupCopier;
import dev.sablegraph.internal.durability.Checkpointer;
import dev.sablegraph.internal.durability.CommitJournal;
import dev.sablegraph.internal.durability.Recovery;
import dev.sablegraph.internal.graph.GraphStore;
import dev.sablegraph.internal.graph.RollbackFailedException;
import dev.sablegraph.internal.graph.Validation;
import dev.sablegraph.internal.monitor.DatabaseMetric;
import dev.sablegraph.internal.monitor.MetricSources;
import dev.sablegraph.internal.monitor.MetricsBeans;
import dev.sablegraph.internal.mvcc.CacheMaintenance;
import dev.sablegraph.internal.mvcc.ConflictRule;
import dev.sablegraph.internal.mvcc.OpenTransactions;
import dev.sablegraph.internal.mvcc.SnapshotRegistry;
import dev.sablegraph.internal.mvcc.TransactionLease;
import dev.sablegraph.internal.mvcc.UniquenessRule;
import dev.sablegraph.internal.mvcc.VersionedGraph;
import dev.sablegraph.internal.txn.CommitProtocol;
import dev.sablegraph.internal.txn.SchemaProtocol;
import dev.sablegraph.internal.util.AccessGuard;
import dev.sablegraph.internal.util.Loggers;
import dev.sablegraph.internal.wal.ChannelFactory;
import dev.sablegraph.internal.wal.LogMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

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
    /**
     * How long an idle database's background thread sleeps between housekeeping rounds: a safety
     * net, since whatever gives it work wakes it. A round costs about a millisecond while it is
     * still interpreted (it scans the snapshot slots), so once a second showed in the idle CPU.
     */
    private static final long HOUSEKEEPING_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final GraphStore store;
    private final VersionedGraph graph;
    private final ConflictRule conflicts;
    private final OpenTransactions transactions;
    private final CommitProtocol protocol;
    private final SchemaProtocol schema;
    private final CommitJournal journal;
    private final Checkpointer checkpointer;
    private final long maxTransactionAgeNanos;
    /** Collection rounds and cache maintenance; asleep while the database is idle. */
    private final BackgroundWork background;
    private final CacheMaintenance cacheMaintenance = new CacheMaintenance(this::wakeBackground);
    private final ConflictRetry retry;
    /** The JMX metrics, from the end of open until close begins (volatile: close may run on another thread). */
    private volatile MetricsBeans beans;

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
        this.schema = new SchemaProtocol(protocol, graph);
        this.transactions = new OpenTransactions(config.maxOpenTransactions());
        this.maxTransactionAgeNanos = config.maxTransactionAgeMillis() * 1_000_000;
        this.retry = new ConflictRetry(config, protocol::awaitInstalledVisible);
        this.background = new BackgroundWork("sable-gc " + store.directory(),
                TimeUnit.MILLISECONDS.toNanos(config.gcIntervalMillis()), HOUSEKEEPING_NANOS,
                cacheMaintenance::runPending, cacheMaintenance::hasPending, this::collectQuietly,
                this::collectionWanted);
    }

    /** Starts background collection and checkpointing once the database is open. */
    private void startCollector() {
        background.start();
    }

    /** Called by the caches for each maintenance task they queue (also while this is constructed). */
    private void wakeBackground() {
        BackgroundWork b = background;
        if (b != null) {
            b.wake();
        }
    }

    /**
     * Whether collection rounds are needed without a wake-up: an open transaction (it may end,
     * expire or be abandoned), versions to reclaim, or a checkpoint due.
     */
    private boolean collectionWanted() {
        return transactions.active() > 0 || graph.holdsHistory()
                || !protocol.failed() && (journal.checkpointDue() || checkpointer.spillDue());
    }

    /**
     * Opens or creates the database in {@code directory} with the default configuration;
     * {@link #open(Path, GraphConfig)} says what opening does and what it throws.
     *
     * @param directory the database directory; created with its parents if missing
     * @return the open database, to be closed by the caller
     */
    public static ConcurrentGraphDB open(Path directory) {
        return open(directory, GraphConfig.defaults());
    }

    /**
     * Opens or creates the database in {@code directory}. Opening recovers every commit whose
     * {@code commit()} returned before a crash, and nothing of any other. The directory stays
     * locked until {@link #close()}. The returned database is thread-safe: any number of threads
     * may begin transactions on it.
     *
     * @param directory the database directory; created with its parents if missing
     * @param config the settings ({@link GraphConfig#defaults()} for the defaults)
     * @return the open database, to be closed by the caller
     * @throws IllegalArgumentException when {@code directory} or {@code config} is null, or the
     *     maximum heap is smaller than half of {@link GraphConfig#pageCacheBytes()}
     * @throws dev.sablegraph.core.DatabaseLockedException when another opener holds the directory,
     *     in this process or another one
     * @throws dev.sablegraph.core.IncompatibleFormatException when a file is in a format this build
     *     cannot read; nothing is written
     * @throws dev.sablegraph.core.CorruptionException when a file is damaged, naming it and the page
     * @throws GraphException when the directory cannot be created, locked or read
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
        long start = System.nanoTime();
        if (config.jmxMetrics()) {
            MetricsBeans.startPlatformServer(); // beside recovery, not after it
        }
        try {
            requireHeapForCheckpoints(config.pageCacheBytes(), Runtime.getRuntime().maxMemory());
            Recovery.Recovered recovered = Recovery.open(directory, config, channels);
            ConcurrentGraphDB db = start(recovered, config);
            logOpened(directory, config, recovered, (System.nanoTime() - start) / 1_000_000);
            return db;
        } catch (RuntimeException e) {
            // locked, damaged, of the other kind, or beyond a limit: the caller gets the exception,
            // the operator this line
            Loggers.DATABASE.log(System.Logger.Level.WARNING, "could not open " + directory + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
    }

    /** Starts a recovered database: checkpoints what recovery replayed, registers the metrics, starts the collector. */
    private static ConcurrentGraphDB start(Recovery.Recovered recovered, GraphConfig config) {
        ConcurrentGraphDB db = null;
        try {
            db = new ConcurrentGraphDB(recovered, config);
            if (recovered.needsCheckpoint()) {
                db.protocol.checkpoint();
            }
            if (config.jmxMetrics()) {
                db.beans = MetricsBeans.register(recovered.store().directory(), db.new Sources());
            }
            db.startCollector();
            db.schema.resumeBuilds();
            return db;
        } catch (RuntimeException | Error e) { // an Error must not keep the directory locked either
            if (db != null) {
                db.unregisterMetrics(); // the background thread is not started yet
            }
            try {
                recovered.journal().close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            recovered.store().closeWithoutFlush();
            throw e;
        }
    }

    /** One line at INFO: where, the settings that matter most, what recovery did. The rest at DEBUG. */
    private static void logOpened(Path directory, GraphConfig config, Recovery.Recovered recovered, long millis) {
        Loggers.DATABASE.log(System.Logger.Level.INFO, () -> "opened " + directory + " in " + millis + " ms (page cache "
                + (config.pageCacheBytes() >> 20) + " MiB, durability " + config.durability() + ", lock strategy "
                + config.lockStrategy() + "); " + (recovered.replayedCommits() == 0 ? "nothing to recover"
                        : "recovery replayed " + recovered.replayedCommits() + " commits (" + recovered.replayedBytes()
                                + " bytes of log) in " + recovered.millis() + " ms"));
        Loggers.DATABASE.log(System.Logger.Level.DEBUG, () -> "opened " + directory + " with " + config);
    }

    /**
     * A checkpoint copies onto the heap each captured page that a writer changes before the
     * checkpoint has written it (copy-on-write, see {@code PageCache.captureDirtyPages}). Up to
     * half the page cache may be captured (dirty pages beyond that go to the spill file first), and in the worst
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
     * <p>Thread-safe; the transaction it returns belongs to one thread at a time.
     *
     * @return the new transaction, reading the state committed before this call
     * @throws GraphException when {@link GraphConfig#maxOpenTransactions()} transactions are open
     * @throws IllegalStateException when the database is closed
     */
    public Transaction begin() {
        return begin(false);
    }

    private SnapshotTransaction begin(boolean readOnly) {
        checkOpen();
        SnapshotRegistry.Snapshot snapshot = everythingUnderOneMutex
                ? graph.guard().write(() -> transactions.register(protocol::published))
                : transactions.register(protocol::published);
        try {
            SnapshotTransaction tx = new SnapshotTransaction(this, graph, conflicts, protocol, schema, transactions, snapshot,
                    readOnly);
            background.wake(); // an open transaction wants collection rounds (expiry, abandonment)
            return tx;
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
     * @param label the label of the nodes to index, non-null and non-empty
     * @param key the property key to index, non-null and non-empty
     * @return the index as it is now, usually {@link IndexState#BUILDING}
     * @throws IllegalArgumentException for a null or empty label or key
     * @throws IllegalStateException when the database is closed
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
     * @param label the index's label
     * @param key the index's property key
     * @throws IllegalArgumentException for a null or empty label or key, when there is no such
     *     index, or it belongs to a unique constraint (drop that with {@link #dropConstraint})
     * @throws IllegalStateException when the database is closed
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
     * @param label the label of the nodes the constraint covers, non-null and non-empty
     * @param key the property key whose values must be unique, non-null and non-empty
     * @return the constraint, online
     * @throws ConstraintViolationException when existing nodes already share a value (naming one
     *     such pair); no constraint is left behind
     * @throws IllegalArgumentException for a null or empty label or key, or when a plain index on
     *     (label, key) exists (drop it first)
     * @throws IllegalStateException when the database is closed
     */
    public IndexDescription createUniqueConstraint(String label, String key) {
        checkSchemaArguments(label, key);
        checkOpen();
        return schema.createUniqueConstraint(label, key);
    }

    /**
     * Drops the unique constraint on (label, key) with its index.
     *
     * @param label the constraint's label
     * @param key the constraint's property key
     * @throws IllegalArgumentException for a null or empty label or key, or when there is no such
     *     constraint
     * @throws IllegalStateException when the database is closed
     */
    public void dropConstraint(String label, String key) {
        checkSchemaArguments(label, key);
        checkOpen();
        schema.drop(label, key, true);
    }

    /**
     * The indexes and unique constraints, sorted by label, then key, with their state and build progress.
     *
     * @return a snapshot of the schema, unmodifiable
     * @throws IllegalStateException when the database is closed
     */
    public List<IndexDescription> indexes() {
        checkOpen();
        return schema.indexes();
    }

    /**
     * Waits until no index is building, at most {@code timeout}. Returns true when every index is
     * online, false when the time ran out or a build failed ({@link IndexState#FAILED}).
     *
     * @param timeout how long to wait at most; zero checks without waiting
     * @return whether every index is online
     * @throws IllegalArgumentException when {@code timeout} is null or negative
     * @throws IllegalStateException when the database is closed
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

    /**
     * Runs {@code work} in a transaction and commits it, retrying after write conflicts: the usual
     * way to write. Each attempt gets a fresh transaction; when the work returns, the transaction
     * is committed unless the work already committed or rolled it back (then nothing more is done),
     * and the work's result is returned.
     *
     * <p>A {@link dev.sablegraph.core.WriteConflictException}, from a write in the work or from the commit, rolls the
     * attempt back and runs the work again after a random wait (exponential backoff with full
     * jitter, {@link GraphConfig#retryBackoffBaseMillis()} to
     * {@link GraphConfig#retryBackoffMaxMillis()}), up to {@link GraphConfig#maxTransactionAttempts()}
     * attempts in all; after the last, a {@code WriteConflictException} naming the count is thrown,
     * with the last conflict as its cause. The work must therefore be safe to run more than once:
     * no side effects outside the transaction, or ones that can repeat. Anything else the work or
     * the commit throws is never retried: the transaction is rolled back (it leaves no trace) and
     * the exception propagates unchanged. A work that swallows a conflict leaves a failed
     * transaction, whose commit throws {@link IllegalStateException}.
     *
     * <p>Before it retries, the attempt also waits until the commit it lost to is visible, and
     * while a retry runs, new calls of this method wait for it (at most
     * {@code retryBackoffMaxMillis}) before their first attempt: otherwise the thread that just
     * won would win every time (docs/mvcc.md, "Retrying after a conflict").
     *
     * <p>An interrupt while waiting to retry (or an interrupt status already set then) ends the
     * retries: a {@code WriteConflictException} saying so is thrown and the thread's interrupt
     * status stays set.
     *
     * <p>Thread-safe: any number of threads may call it at once.
     *
     * @param <T> the type of the work's result
     * @param work reads and writes through the transaction it is given; it must not keep the
     *     transaction, or a stream read from it, beyond its return
     * @return what the work returned in the attempt that committed
     * @throws IllegalArgumentException when {@code work} is null
     * @throws dev.sablegraph.core.WriteConflictException when every attempt conflicted, or an
     *     interrupt ended the retries
     * @throws IllegalStateException when the database is closed
     */
    public <T> T inTransaction(Function<? super Transaction, ? extends T> work) {
        requireWork(work);
        return retry.run(() -> begin(false), work);
    }

    /**
     * {@link #inTransaction} for work that returns nothing.
     *
     * @param work reads and writes through the transaction it is given, possibly more than once
     * @throws IllegalArgumentException when {@code work} is null
     * @throws dev.sablegraph.core.WriteConflictException when every attempt conflicted
     * @throws IllegalStateException when the database is closed
     */
    public void runInTransaction(Consumer<? super Transaction> work) {
        requireWork(work);
        inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /**
     * Runs {@code work} in a read-only transaction and returns its result; the transaction is
     * rolled back (closed) when the work returns or throws. It reads one snapshot, so it never
     * conflicts and is never retried. A write through it throws {@link IllegalStateException}
     * before anything changes, and the transaction stays usable for reads: use
     * {@link #inTransaction} to write. The result must not be a stream or anything else that reads
     * from the transaction after the work returned.
     *
     * @param <T> the type of the work's result
     * @param work reads through the transaction it is given
     * @return what the work returned
     * @throws IllegalArgumentException when {@code work} is null
     * @throws GraphException when {@link GraphConfig#maxOpenTransactions()} transactions are open
     * @throws IllegalStateException when the database is closed
     */
    public <T> T readTransaction(Function<? super Transaction, ? extends T> work) {
        requireWork(work);
        try (SnapshotTransaction tx = begin(true)) {
            return work.apply(tx);
        }
    }

    private static void requireWork(Object work) {
        if (work == null) {
            throw new IllegalArgumentException("work must not be null");
        }
    }

    /**
     * The open transactions, oldest first: who holds back the reclamation of old versions.
     *
     * @return each open transaction's snapshot, age and thread, unmodifiable
     * @throws IllegalStateException when the database is closed
     */
    public List<OpenTransaction> openTransactions() {
        checkOpen();
        return transactions.list();
    }

    /**
     * Runs one round of version reclamation now (the background collector does it periodically).
     *
     * @throws IllegalStateException when the database is closed
     */
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
     * between batches it checkpoints when the spill file is overdue for one (back-pressure).
     */
    private void collectUpTo(long horizon) {
        graph.collect(horizon, GC_BATCH, protocol::relieveSpill, () -> checkpointer.spillOverdue());
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
            if (!protocol.failed() && (journal.checkpointDue() || checkpointer.spillDue())) {
                protocol.checkpoint();
            }
        } catch (IllegalStateException closing) {
            // closed between the check and the work: nothing left to collect
        } catch (RuntimeException e) {
            protocol.fail(e);
        } catch (Error e) {
            // Out of memory, most likely, while another thread's huge transaction holds the heap.
            // It may have cut the round short anywhere, its changes in memory half made: writes
            // stop, as after any failure that may have left state half changed, and say why. The
            // thread lives on, so that reads, close and the rounds that need no writes go on
            // (BackgroundErrorTest); before, it died, and commits went on with no collection and no
            // checkpoints.
            protocol.fail(new GraphException("a background round failed with " + e, e));
        }
    }

    /**
     * Writes every committed change to the data file so that recovery can start from here and the
     * log before it can be dropped. Commits and readers wait only while it captures the dirty
     * pages (a pass over the frames, no copying); forcing the log and writing pages happen after,
     * so readers and committers wait for neither a copy nor I/O ({@link Checkpointer}).
     *
     * @throws GraphException when writing the data file fails, or the database refuses writes
     *     after an earlier failure
     * @throws IllegalStateException when the database is closed
     */
    public void checkpoint() {
        checkOpen();
        protocol.checkpoint();
    }

    /**
     * Makes a consistent copy of the database in {@code target}, a new directory, while readers
     * and writers go on; the copy opens with {@link #open(Path)} as a database of its own (that is
     * the restore). It holds exactly the transactions that committed before the backup began:
     * every transaction whose {@code commit()} returned before this call, no part of any other,
     * and none whose commit began after this call returned (a commit running at the time of the
     * call is wholly in or wholly out).
     *
     * <p>How (docs/operations.md, "Backup and restore"): a checkpoint (commits wait only for its
     * short switch), then the data file is copied as that checkpoint left it while later
     * checkpoints go on (each first saves the pages it overwrites to the copy), through a buffer
     * of 1 MiB. The copy is built in {@code <target>.backup-in-progress} beside the target, forced,
     * and renamed to {@code target} only when complete: if the process dies during a backup,
     * nothing is left at {@code target} and the database is untouched; the next backup to the
     * same target removes the leftover directory.
     *
     * @param target the directory to create the copy in; must not exist, its parent must
     * @throws IllegalArgumentException naming {@code target} when it exists, its parent directory
     *     does not, or it lies inside this database's directory; nothing was changed
     * @throws GraphException when the backup failed (a disk error, a damaged page, this database
     *     refusing writes after a failure, or closed while the backup ran); nothing was left at
     *     {@code target}, and this database goes on
     * @throws IllegalStateException when this database is closed
     */
    public void backup(Path target) {
        backup(target, BackupCopier.Pacing.DEFAULT);
    }

    /** {@link #backup(Path)} with the copy's buffer and a hook after each chunk (tests pause there). */
    void backup(Path target, BackupCopier.Pacing pacing) {
        checkOpen();
        BackupCopier.copyRunning(target, new BackupCopier.RunningDatabase() {
            @Override
            public Path directory() {
                return store.directory();
            }

            @Override
            public Checkpointer.Checkpointed checkpointAndWatch(
                    Function<Checkpointer.Checkpointed, Checkpointer.PageWatcher> watcher) {
                return protocol.checkpointAndWatch(watcher);
            }

            @Override
            public void stopWatching(Checkpointer.PageWatcher watcher) {
                checkpointer.stopWatching(watcher);
            }

            @Override
            public void checkOpen() {
                ConcurrentGraphDB.this.checkOpen();
            }
        }, pacing);
    }

    /**
     * Checks the whole database and reports what it found: every page of the data file as the last
     * checkpoint wrote it (checksum, type), the stored graph (adjacency consistent in both
     * directions, indexes equal to the data, no orphaned records, the free-page list) and the
     * version chains (well formed, consistent with the store). A maintenance operation: commits and
     * version collection wait while the graph is checked, and readers too under the
     * {@code READ_WRITE} and {@code GLOBAL_MUTEX} strategies; it reads every page, so it takes time
     * proportional to the database. The log is verified by every open (recovery reads it).
     *
     * @return what was checked and the problems found
     * @throws IllegalStateException when the database is closed
     */
    public IntegrityReport checkIntegrity() {
        checkOpen();
        IntegrityReport.Builder report = IntegrityReport.builder();
        protocol.checkIntegrity(report);
        return report.build();
    }

    /**
     * Forces every commit logged so far (under {@code ASYNC}: ends the loss window now).
     *
     * @throws GraphException when forcing the log fails
     * @throws IllegalStateException when the database is closed
     */
    public void flushLog() {
        checkOpen();
        journal.forceUpTo(journal.endLsn());
    }

    /**
     * Log forces since open: with group commit, fewer than commits. Also after close.
     *
     * @return the number of log forces
     */
    public long logForces() {
        return journal.forces();
    }

    /**
     * Checkpoints since open; {@link #checkpointMetrics()} has this and their timings. Also after close.
     *
     * @return the number of checkpoints
     */
    public long checkpoints() {
        return checkpointer.metrics().checkpoints();
    }

    /**
     * Checkpoints since open: how long commits waited for their switches, how long they took.
     * Also after close.
     *
     * @return the checkpoint counters, read now
     */
    public CheckpointMetrics checkpointMetrics() {
        return checkpointer.metrics();
    }

    /**
     * The MVCC counters: open transactions, the oldest snapshot, version chains, reclamation,
     * conflicts, abandoned and expired transactions. Also after close.
     *
     * @return the counters, read now
     */
    public MvccMetrics metrics() {
        long visible = protocol.published();
        return new MvccMetrics(transactions.active(), visible, transactions.oldestSnapshot(visible), graph.chainCount(),
                graph.versionCount(), graph.reclaimedVersions(), graph.purgedEntities(), conflicts.conflicts(),
                transactions.oldestAgeMillis(), transactions.abandoned(), transactions.expired());
    }

    /**
     * The page cache's counters: frames, hits, misses, evictions, flushes. Also after close.
     *
     * @return the counters, read now
     */
    public PageCacheMetrics pageCacheMetrics() {
        return store.pageCacheMetrics();
    }

    /**
     * Every metric of this database, read now, by name ({@code sable.pagecache.hits}, ...), in a
     * fixed order; unmodifiable. The same values the JMX MBeans show (docs/operations.md, "Metrics",
     * lists each one). Costs a pass over the open-transaction slots and the version chains held in
     * memory: cheap at the rate a metrics system polls, not meant for every transaction.
     *
     * @return the metrics by name
     * @throws IllegalStateException once the database is closed
     */
    public Map<String, Metric> metricsSnapshot() {
        checkOpen();
        return DatabaseMetric.snapshot(new Sources());
    }

    /**
     * Hands every metric of one reading to {@code sink}, in the order of {@link #metricsSnapshot()}:
     * the hook for bridging to a metrics library (docs/operations.md shows Micrometer).
     *
     * @param sink receives each metric
     * @throws IllegalArgumentException when {@code sink} is null
     * @throws IllegalStateException once the database is closed
     */
    public void forEachMetric(MetricsSink sink) {
        if (sink == null) {
            throw new IllegalArgumentException("sink must not be null");
        }
        metricsSnapshot().values().forEach(sink::accept);
    }

    /** What the metrics read: this database's counters, none of which fails once it is closed. */
    private final class Sources implements MetricSources {
        @Override
        public PageCacheMetrics pageCache() {
            return pageCacheMetrics();
        }

        @Override
        public int pageSize() {
            return store.pager().pageSize();
        }

        @Override
        public long spilledPages() {
            return store.pager().cache().spilledPages();
        }

        @Override
        public long spillWrites() {
            return store.pager().cache().spillWrites();
        }

        @Override
        public long spillReads() {
            return store.pager().cache().spillReads();
        }

        @Override
        public LogMetrics log() {
            return journal.metrics();
        }

        @Override
        public long logBytesSinceCheckpoint() {
            return journal.bytesSinceCheckpoint();
        }

        @Override
        public CheckpointMetrics checkpoints() {
            return checkpointMetrics();
        }

        @Override
        public MvccMetrics mvcc() {
            return metrics();
        }

        @Override
        public long committedTransactions() {
            return transactions.committed();
        }

        @Override
        public long rolledBackTransactions() {
            return transactions.rolledBack();
        }

        @Override
        public List<OpenTransaction> openTransactions() {
            return transactions.list();
        }
    }

    private void unregisterMetrics() {
        MetricsBeans b = beans;
        if (b != null) {
            b.unregister();
        }
    }

    /**
     * Writes every committed change to the data file and forces it: a checkpoint.
     *
     * @throws GraphException when writing the data file fails, or the database refuses writes
     *     after an earlier failure
     * @throws IllegalStateException when the database is closed
     */
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
        unregisterMetrics(); // before the directory lock is released: a new opener registers its own
        Throwable first = null;
        try {
            background.stop();
            schema.close();
            if (!protocol.failed()) {
                // No transaction can read any more, so no snapshot needs an old version: purge every
                // deleted entity and stale index entry now. The store holds deletions only as
                // in-memory tombstones until then, and they would not survive the close.
                collectUpTo(protocol.published());
                protocol.checkpoint();
                checkpointer.dropRetiredImage();
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
        Loggers.DATABASE.log(System.Logger.Level.INFO, () -> "closed " + store.directory());
    }

    private static Throwable chain(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    // ------------------------------------------------------------------ for SnapshotTransaction and tests

    void checkOpen() {
        protocol.checkOpen();
    }

    /**
     * Ends a transaction's hold on its snapshot, counting whether it {@code committed} (under the one
     * mutex for the baseline strategy).
     */
    void release(TransactionLease lease, boolean committed) {
        if (everythingUnderOneMutex) {
            graph.guard().write(() -> lease.end(committed));
        } else {
            lease.end(committed);
        }
        background.wake(); // versions it held back, or that its commit replaced, may now go
    }

    /** The background thread, for tests of when it runs. */
    BackgroundWork backgroundWork() {
        return background;
    }

    /** Chain length of one node, for tests of bounded version growth. */
    int versionChainLength(long nodeId) {
        return graph.nodeChainLength(nodeId);
    }

    /** Makes the next commit or schema change throw {@code failure} right after its record is appended to the log (tests). */
    void failAfterNextLogAppend(Throwable failure) {
        protocol.failAfterNextLogAppend(failure);
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
