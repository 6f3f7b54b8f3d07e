package dev.sablegraph.internal.mvcc;

import dev.sablegraph.core.OpenTransaction;
import dev.sablegraph.internal.util.Loggers;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The open transactions of one database: their snapshots (the {@link SnapshotRegistry} the
 * collector's horizon comes from) and their leases, by registry slot, so that the database can
 * list them, abort those held open too long, and take back those dropped without {@code close()}.
 *
 * <p>Why reclaim unreachable ones: a transaction that is never closed would hold the collection
 * horizon forever, so that one forgotten {@code begin()} grows memory (every version since) and
 * the store (deleted entities, stale index entries) without bound. Once the application can no
 * longer reach it, its writes can never commit, so releasing its snapshot is exactly a rollback.
 * The garbage collector queues the lease of such a transaction ({@link TransactionLease} is a
 * phantom reference to it); {@link #reclaimAbandoned} releases what is queued.
 */
public final class OpenTransactions {
    private final SnapshotRegistry registry;
    private final ReferenceQueue<Object> abandoned = new ReferenceQueue<>();
    /** The lease of each occupied slot; written by its owner between register and release. */
    private final AtomicReferenceArray<TransactionLease> leases;
    final LongAdder abandonedCount = new LongAdder();
    final LongAdder expiredCount = new LongAdder();
    // Striped counters: every transaction ends through one of them, and reads begin one each.
    final LongAdder committedCount = new LongAdder();
    final LongAdder rolledBackCount = new LongAdder();

    public OpenTransactions(int capacity) {
        this.registry = new SnapshotRegistry(capacity);
        this.leases = new AtomicReferenceArray<>(capacity);
    }

    /** Registers a snapshot of {@code visible}; the transaction that reads at it takes it with {@link #lease}. */
    public SnapshotRegistry.Snapshot register(LongSupplier visible) {
        return registry.register(visible);
    }

    /**
     * The lease of {@code transaction} on {@code snapshot}: held until released, and reclaimed if
     * the transaction becomes unreachable first.
     */
    public TransactionLease lease(Object transaction, SnapshotRegistry.Snapshot snapshot) {
        TransactionLease lease = new TransactionLease(transaction, abandoned, this, snapshot, System.nanoTime(),
                Thread.currentThread().getName());
        // A release store is enough: the table is read by the collector thread (listing, expiry),
        // which needs no more than a recent value, and by the garbage collector at a safepoint.
        leases.setRelease(snapshot.slot(), lease); // keeps the lease reachable while it is held
        return lease;
    }

    /** Frees a snapshot that never got its lease (the transaction could not be made). */
    public void abandonRegistration(SnapshotRegistry.Snapshot snapshot) {
        registry.release(snapshot);
    }

    /**
     * Releases the leases of transactions that became unreachable without being closed; returns how
     * many. Each is a leak in the application: logged as a warning naming the threads that began them.
     */
    public int reclaimAbandoned() {
        int n = 0;
        int reclaimed = 0;
        Set<String> threads = new TreeSet<>();
        for (Reference<?> r; (r = abandoned.poll()) != null; ) {
            TransactionLease lease = (TransactionLease) r;
            if (lease.reclaim()) {
                reclaimed++;
                threads.add(lease.threadName());
            }
            n++;
        }
        if (reclaimed > 0) {
            Loggers.TRANSACTION.log(System.Logger.Level.WARNING, reclaimed + " transaction(s) became unreachable without"
                    + " close() and were rolled back (begun on threads " + threads + "): close every transaction,"
                    + " with try-with-resources");
        }
        return n;
    }

    /** Called once per lease (its release is exactly-once). */
    void released(TransactionLease lease) {
        // The slot's lease is cleared before the slot is freed: afterwards a new owner may set its own.
        leases.setRelease(lease.snapshot.slot(), null);
        registry.release(lease.snapshot);
    }

    /** Aborts every transaction open longer than {@code maxAgeNanos}, each with a warning; returns how many. */
    public int expireOlderThan(long maxAgeNanos) {
        long now = System.nanoTime();
        int n = 0;
        for (int i = 0; i < leases.length(); i++) {
            TransactionLease l = leases.get(i);
            if (l != null && now - l.beganNanos > maxAgeNanos) {
                if (l.expire()) {
                    Loggers.TRANSACTION.log(System.Logger.Level.WARNING, "aborted a transaction open for "
                            + (now - l.beganNanos) / 1_000_000 + " ms, longer than maxTransactionAgeMillis ("
                            + maxAgeNanos / 1_000_000 + "); it was begun on thread " + l.threadName());
                }
                n++;
            }
        }
        return n;
    }

    /** The open transactions, oldest first. */
    public List<OpenTransaction> list() {
        long now = System.nanoTime();
        List<OpenTransaction> out = new ArrayList<>();
        for (int i = 0; i < leases.length(); i++) {
            TransactionLease l = leases.get(i);
            if (l != null) {
                out.add(new OpenTransaction(l.snapshot.timestamp(), (now - l.beganNanos) / 1_000_000, l.threadName()));
            }
        }
        out.sort((a, b) -> Long.compare(b.ageMillis(), a.ageMillis()));
        return out;
    }

    /** Age of the oldest open transaction in milliseconds, 0 when none is open. */
    public long oldestAgeMillis() {
        long now = System.nanoTime();
        long oldest = 0;
        for (int i = 0; i < leases.length(); i++) {
            TransactionLease l = leases.get(i);
            if (l != null) {
                oldest = Math.max(oldest, (now - l.beganNanos) / 1_000_000);
            }
        }
        return oldest;
    }

    public long oldestSnapshot(long visibleNow) {
        return registry.oldest(visibleNow);
    }

    /** Transactions rolled back because they became unreachable while open. */
    public long abandoned() {
        return abandonedCount.sum();
    }

    /** Transactions aborted because they were open longer than allowed. */
    public long expired() {
        return expiredCount.sum();
    }

    /** Transactions ended by {@code commit()} since open (read-only ones too). */
    public long committed() {
        return committedCount.sum();
    }

    /** Transactions ended by {@code rollback()} or {@code close()} since open. */
    public long rolledBack() {
        return rolledBackCount.sum();
    }

    public int active() {
        return registry.active();
    }
}
