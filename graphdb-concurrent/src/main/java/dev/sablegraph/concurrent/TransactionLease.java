package dev.sablegraph.concurrent;

import dev.sablegraph.core.mvcc.SnapshotRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A transaction's hold on its snapshot, released exactly once: by the transaction's end, by the
 * database when the transaction is older than {@code maxTransactionAgeMillis} ({@link #expire}),
 * or by the cleaner when the transaction became unreachable without being closed ({@link #run}).
 *
 * <p>It must not refer to its transaction: the cleaner runs it once the transaction is
 * unreachable, which a reference from here would prevent.
 */
final class TransactionLease implements Runnable {
    final SnapshotRegistry.Snapshot snapshot;
    final long beganNanos;
    final String threadName;
    private final OpenTransactions owner;
    private final AtomicBoolean released = new AtomicBoolean();
    /** Set before the release that expiry makes: a reader that sees it false after a read held its snapshot throughout. */
    private volatile boolean expired;

    TransactionLease(OpenTransactions owner, SnapshotRegistry.Snapshot snapshot, long beganNanos, String threadName) {
        this.owner = owner;
        this.snapshot = snapshot;
        this.beganNanos = beganNanos;
        this.threadName = threadName;
    }

    /** Ends the hold; true for the one call that did. */
    boolean release() {
        if (released.compareAndSet(false, true)) {
            owner.released(this);
            return true;
        }
        return false;
    }

    /** The transaction is too old: its snapshot stops holding back reclamation, and it cannot go on. */
    void expire() {
        expired = true;
        if (release()) {
            owner.expiredCount.increment();
        }
    }

    boolean isExpired() {
        return expired;
    }

    /** Run by the cleaner: the transaction became unreachable; a no-op if it ended normally. */
    @Override
    public void run() {
        if (release()) {
            owner.abandonedCount.increment();
        }
    }
}
