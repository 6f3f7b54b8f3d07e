package dev.sablegraph.internal.mvcc;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A transaction's hold on its snapshot, released exactly once: by the transaction's end, by the
 * database when the transaction is older than {@code maxTransactionAgeMillis} ({@link #expire}),
 * or after the transaction became unreachable without being closed ({@link #reclaim}).
 *
 * <p>Why a phantom reference to the transaction rather than a {@code java.lang.ref.Cleaner}: a
 * cleaner registers every transaction in one synchronised list, and {@code begin()} runs on
 * every read. The lease is kept reachable by {@link OpenTransactions}' slot table while it is
 * held; once released it is dropped there and the garbage collector forgets it. Only a lease whose
 * transaction became unreachable first is queued, and the collector thread releases it.
 */
public final class TransactionLease extends PhantomReference<Object> {
    final SnapshotRegistry.Snapshot snapshot;
    final long beganNanos;
    private final String threadName;
    private final OpenTransactions owner;
    private static final AtomicIntegerFieldUpdater<TransactionLease> RELEASED =
            AtomicIntegerFieldUpdater.newUpdater(TransactionLease.class, "released");
    /** 1 once released; a field, not an AtomicBoolean: one lease per begin(), which every read runs. */
    private volatile int released;
    /** Set before the release that expiry makes: a reader that sees it false after a read held its snapshot throughout. */
    private volatile boolean expired;

    TransactionLease(Object transaction, ReferenceQueue<Object> queue, OpenTransactions owner,
            SnapshotRegistry.Snapshot snapshot, long beganNanos, String threadName) {
        super(transaction, queue);
        this.owner = owner;
        this.snapshot = snapshot;
        this.beganNanos = beganNanos;
        this.threadName = threadName;
    }

    /**
     * The transaction ended by {@code commit()} ({@code committed}) or by rollback or close: ends
     * the hold and counts the outcome, unless the database had ended it already.
     */
    public void end(boolean committed) {
        if (release()) {
            (committed ? owner.committedCount : owner.rolledBackCount).increment();
        }
    }

    /** Ends the hold; true for the one call that did. */
    public boolean release() {
        if (RELEASED.compareAndSet(this, 0, 1)) {
            owner.released(this);
            return true;
        }
        return false;
    }

    /**
     * The transaction is too old: its snapshot stops holding back reclamation, and it cannot go on.
     * True for the call that ended it.
     */
    boolean expire() {
        expired = true;
        if (release()) {
            owner.expiredCount.increment();
            return true;
        }
        return false;
    }

    /** The thread that began the transaction (for messages and listings). */
    public String threadName() {
        return threadName;
    }

    public boolean isExpired() {
        return expired;
    }

    /**
     * The transaction became unreachable while holding the lease: its writes can never commit.
     * True for the call that ended it.
     */
    boolean reclaim() {
        if (release()) {
            owner.abandonedCount.increment();
            return true;
        }
        return false;
    }
}
