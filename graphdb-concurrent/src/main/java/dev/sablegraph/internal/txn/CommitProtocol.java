package dev.sablegraph.internal.txn;

import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.internal.durability.Checkpointer;
import dev.sablegraph.internal.durability.CommitJournal;
import dev.sablegraph.internal.durability.CommitRecord;
import dev.sablegraph.internal.durability.SchemaRecord;
import dev.sablegraph.internal.graph.RollbackFailedException;
import dev.sablegraph.internal.mvcc.ConflictRule;
import dev.sablegraph.internal.mvcc.UniquenessRule;
import dev.sablegraph.internal.mvcc.VersionedGraph;
import dev.sablegraph.internal.util.LockOrder;
import dev.sablegraph.internal.util.Loggers;
import dev.sablegraph.internal.util.RankedLock;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The commit protocol, in one place (docs/mvcc.md, docs/durability.md):
 *
 * <ol>
 *   <li>Back-pressure, holding nothing: checkpoint first when the spill file holds four times
 *       what makes a checkpoint due (the background checkpoints do not keep up).
 *   <li>Under the commit lock: validate the write set with the {@link ConflictRule} (first committer
 *       wins), take the next timestamp, turn the write set into its {@link CommitRecord}, check
 *       it with the {@link UniquenessRule} and encode it (a record the log cannot take is refused here, before any change), then install the
 *       record into the store and the version chains with the record's log append inside the same
 *       atomic store change ({@link VersionedGraph#install}).
 *   <li>Holding no lock: wait until the log is forced (group commit shares one force among
 *       concurrent committers; no fsync ever runs under the commit lock), then publish the
 *       timestamp: transactions that begin afterwards see the commit, and only durable commits are
 *       ever visible.
 * </ol>
 *
 * <p>Failures: a commit that throws before its record is appended is taken back whole and the
 * database stays usable. Only a failed force, or a change that could not be taken back, stops
 * writing ({@link #fail}): no commit and no checkpoint runs again in this process, so nothing that
 * was not acknowledged reaches the data file; reopening recovers every commit that returned.
 *
 * <p>Checkpoints also run through here ({@link #checkpoint}): their capture must see no commit half
 * installed, so it runs under the commit lock.
 */
public final class CommitProtocol {
    private final Path directory;
    private final VersionedGraph graph;
    private final ConflictRule conflicts;
    private final UniquenessRule uniqueness;
    private final CommitJournal journal;
    private final Checkpointer checkpointer;
    private final RankedLock commitLock = new RankedLock(LockOrder.COMMIT);
    /** Timestamp of the newest published commit; snapshots take it at begin. */
    private final AtomicLong published = new AtomicLong(); // lock-free: raised after the force, outside commitLock
    /** Timestamp of the newest installed commit (published once durable). */
    private volatile long lastCommit; // written under commitLock; volatile for awaitInstalledVisible
    /** Set when a commit failed after changing memory or the log: commits are refused until reopen. */
    private volatile GraphException failure; // first writer wins; read without a lock
    private volatile boolean closed; // written under commitLock
    /** Test seam, null in production: thrown once, right after the next record (commit or schema) is appended. */
    private volatile Throwable failAfterAppend;

    public CommitProtocol(Path directory, VersionedGraph graph, ConflictRule conflicts, UniquenessRule uniqueness,
            CommitJournal journal, Checkpointer checkpointer) {
        this.directory = directory;
        this.graph = graph;
        this.conflicts = conflicts;
        this.uniqueness = uniqueness;
        this.journal = journal;
        this.checkpointer = checkpointer;
    }

    /** The largest commit record the log takes: what one transaction may write ({@link WriteSet}). */
    public long maxRecordBytes() {
        return journal.maxRecordBytes();
    }

    /**
     * Validates, installs and logs {@code writes} (handed over by their transaction, and emptied
     * here once validated) made at snapshot {@code s}, waits until they are durable, and publishes
     * them. Returns the commit timestamp. {@code checkHeld} runs after validation and throws if the
     * transaction lost its snapshot meanwhile.
     *
     * @throws dev.sablegraph.core.WriteConflictException when a commit after {@code s} changed what
     *     this one changes; nothing is changed
     * @throws dev.sablegraph.core.ConstraintViolationException when it would give two nodes a value
     *     a unique constraint covers ({@link UniquenessRule}); nothing is changed
     * @throws IllegalArgumentException for a transaction beyond a limit; nothing is changed
     * @throws GraphException for any other failure, saying whether the database still takes writes
     */
    public long commit(long s, WriteSet writes, Runnable checkHeld) {
        if (failure == null) {
            checkpointer.paceCommit();
        }
        relieveSpill();
        long ts;
        long lsn;
        commitLock.lock();
        try {
            checkOpen();
            checkNotFailed();
            writes.checkConflicts(conflicts, s);
            checkHeld.run(); // after validation: the snapshot was held throughout it
            ts = lastCommit + 1;
            CommitRecord commit = writes.drainToCommitRecord(ts);
            uniqueness.check(commit); // against every installed commit: none can come in between
            // Refuses what the log cannot take, before any change. Dropped once appended: the log
            // holds its own copy until it is written, and a huge commit's chains come next.
            byte[][] record = {journal.encode(commit)};
            long[] appended = {-1};
            try {
                graph.install(commit, () -> {
                    appended[0] = journal.append(record[0]);
                    record[0] = null;
                    throwInjectedAfterAppend();
                });
            } catch (RollbackFailedException e) {
                throw fail(e);
            } catch (RuntimeException | Error e) {
                if (appended[0] >= 0) {
                    lastCommit = ts; // used up: its record is in the log whatever becomes of it
                    throw failedAfterAppend("commit " + ts, e);
                }
                if (e instanceof IllegalArgumentException || e instanceof Error) {
                    // Taken back whole before its record was written: an input beyond a limit (the
                    // caller's to fix), or out of memory, most likely; either passes as it is.
                    throw e;
                }
                throw new GraphException("commit failed and was taken back whole; the database is unchanged and"
                        + " usable: " + e.getMessage(), e);
            }
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

    /**
     * Waits until every commit installed so far is published, so that a snapshot taken afterwards
     * sees them: for a transaction about to run again after a write conflict, which would
     * otherwise begin below the commit it lost to and conflict again for as long as that commit's
     * log force takes. Shares that force ({@link CommitJournal#awaitDurable}), then waits for the
     * committers it woke to publish. Returns early when the database fails or closes, and after
     * about {@code timeoutNanos} in any case. Call holding no lock.
     */
    public void awaitInstalledVisible(long timeoutNanos) {
        long target = lastCommit;
        if (published.get() >= target) {
            return;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            journal.awaitDurable(journal.endLsn());
        } catch (RuntimeException e) {
            return; // the log failed or closed: the next commit says so
        }
        while (published.get() < target && failure == null && !closed && deadline - System.nanoTime() > 0) {
            Thread.yield(); // the committers publish as soon as the force that woke us woke them
        }
    }

    /**
     * A schema change, made like a commit: under the commit lock, applied to the store and logged as
     * one atomic store change ({@link SchemaRecord#applyTo}), then forced whatever the durability
     * setting. Returns the timestamp of the newest commit installed before it: every later commit
     * maintains an index it creates.
     *
     * @throws IllegalStateException when the store refuses the change (there is such an index
     *     already, or none to drop); nothing is changed
     */
    public long changeSchema(SchemaRecord change) {
        long lsn;
        long before;
        commitLock.lock();
        try {
            checkOpen();
            checkNotFailed();
            long[] appended = {-1};
            try {
                install(() -> {
                    change.applyTo(graph.store());
                    appended[0] = journal.appendSchema(change);
                    throwInjectedAfterAppend();
                });
            } catch (RuntimeException | Error e) {
                if (appended[0] >= 0 && failure == null) {
                    throw failedAfterAppend("the schema change (" + change.change() + " " + change.label() + "."
                            + change.key() + ")", e);
                }
                throw e;
            }
            lsn = appended[0];
            before = lastCommit;
        } finally {
            commitLock.unlock();
        }
        try {
            journal.forceUpTo(lsn);
        } catch (RuntimeException e) {
            throw fail(e);
        }
        return before;
    }

    /**
     * Changes the store without logging anything, as one atomic change under the commit lock and
     * the exclusive guard: work that a crash may lose because open does it again (building an
     * index, deleting a dropped index's entries). Refused once the database is closed or failed.
     */
    public <T> T changeUnlogged(Supplier<T> work) {
        commitLock.lock();
        try {
            checkOpen();
            checkNotFailed();
            Object[] result = new Object[1];
            install(() -> result[0] = work.get());
            @SuppressWarnings("unchecked")
            T t = (T) result[0];
            return t;
        } finally {
            commitLock.unlock();
        }
    }

    /** Runs {@code change} as one atomic store change in the guard's exclusive section; under the commit lock. */
    private void install(Runnable change) {
        try {
            graph.guard().write(() -> graph.store().changeAtomically(change));
        } catch (RollbackFailedException e) {
            throw fail(e);
        }
    }

    /** Timestamp of the newest published commit: what a snapshot beginning now sees. */
    public long published() {
        return published.get();
    }

    /**
     * Back-pressure on the spill file ({@link Checkpointer#relieveOverdueSpill}): when it is overdue
     * for a checkpoint, waits for the running one or runs one. Writers call it holding no lock;
     * nothing once the database has failed (no checkpoint may run then).
     */
    public void relieveSpill() {
        if (failure == null) {
            checkpointer.relieveOverdueSpill(this::checkpoint);
        }
    }

    /**
     * A checkpoint ({@link Checkpointer}); its capture runs under the commit lock and the guard's
     * write side. Refused once the database has failed: memory may then hold changes of a commit
     * that never became durable, and a checkpoint would write them into the data file.
     */
    public void checkpoint() {
        checkNotFailed();
        checkpointer.checkpoint(this::quiesced, journal, graph);
    }

    /**
     * A checkpoint after which {@code watcher} sees every later in-place write
     * ({@link Checkpointer#checkpointAndWatch}): what a backup copies. Refused once the database
     * has failed, as every checkpoint is.
     */
    public Checkpointer.Checkpointed checkpointAndWatch(
            Function<Checkpointer.Checkpointed, Checkpointer.PageWatcher> watcher) {
        checkNotFailed();
        return checkpointer.checkpointAndWatch(this::quiesced, journal, graph, watcher);
    }

    /** Runs {@code section} with commits and readers held off, refusing it once the database has failed. */
    private void quiesced(Runnable section) {
        commitLock.lock();
        try {
            checkNotFailed(); // a commit may have failed while the caller waited for the lock
            graph.guard().write(section);
        } finally {
            commitLock.unlock();
        }
    }

    /**
     * Checks the data file, the store and the version chains with nothing changing: checkpoints,
     * commits and collection wait (readers too under the locking strategies).
     */
    public void checkIntegrity(IntegrityReport.Builder report) {
        checkpointer.checkDataFile(report, () -> {
            commitLock.lock();
            try {
                graph.guard().write(() -> {
                    graph.store().checkIntegrity(graph::mayHoldStaleIndexEntries, report);
                    graph.checkChains(lastCommit, report);
                });
            } finally {
                commitLock.unlock();
            }
        });
    }

    /**
     * Marks the database closed once no commit is running; commits that start later are refused.
     * Returns false when it was closed already.
     */
    public boolean markClosed() {
        commitLock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        } finally {
            commitLock.unlock();
        }
    }

    /** @throws IllegalStateException once the database is closed */
    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException("database " + directory + " is closed");
        }
    }

    public boolean failed() {
        return failure != null;
    }

    public void checkNotFailed() {
        GraphException f = failure;
        if (f != null) {
            throw new GraphException(f.getMessage(), f);
        }
    }

    /**
     * A commit or schema change ({@code what}) that failed after its record was appended: the
     * record cannot be taken out of the log (another commit's force may already have made it
     * durable), and the store may hold all, part or none of it (the store change is taken back
     * only when the failure came inside it; a commit's version chains come after it). So writes
     * stop, as after any failure that may have left state half changed; reopening recovers every
     * commit that returned, and this one too if its record reached the disk (docs/durability.md,
     * failure table).
     */
    private GraphException failedAfterAppend(String what, Throwable cause) {
        return fail(new GraphException(what + " failed after its record was appended to the log, so it may be"
                + " recovered at the next open (" + cause + ")", cause));
    }

    /** Test seam: the next commit or schema change throws {@code failure} right after its record is appended to the log. */
    public void failAfterNextLogAppend(Throwable failure) {
        failAfterAppend = failure;
    }

    private void throwInjectedAfterAppend() {
        Throwable injected = failAfterAppend;
        if (injected != null) {
            failAfterAppend = null;
            if (injected instanceof Error e) {
                throw e;
            }
            throw injected instanceof RuntimeException r ? r : new IllegalStateException(injected);
        }
    }

    /**
     * Stops all writing after a failure that may have left part of an unacknowledged commit in
     * memory or in the log: no commit and no checkpoint runs again in this process.
     */
    public GraphException fail(RuntimeException cause) {
        GraphException f = new GraphException("database " + directory + " refuses writes after a failure: "
                + cause.getMessage() + ". Every commit that returned is durable; the commit that failed did not return."
                + " Nothing not yet durable will be written to the data file. Close and reopen the database"
                + " (recovery replays the log)", cause);
        if (failure == null) {
            failure = f;
            if (!journal.failed()) { // a failed log has said so itself (WriteAheadLog), once
                Loggers.DATABASE.log(System.Logger.Level.ERROR, f.getMessage(), cause);
            }
        }
        return f;
    }
}
