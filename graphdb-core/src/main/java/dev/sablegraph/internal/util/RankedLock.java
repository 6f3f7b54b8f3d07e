package dev.sablegraph.internal.util;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ReentrantLock} with its place in docs/lock-order.md: taking it announces its rank to
 * {@link LockOrder} (checked when assertions are on), so every lock of a rank follows the order
 * rule from one place instead of an assert pair beside each {@code lock()}.
 */
public final class RankedLock {
    private final ReentrantLock lock = new ReentrantLock();
    private final int rank;

    /** @param rank one of the {@link LockOrder} constants */
    public RankedLock(int rank) {
        this.rank = rank;
    }

    public void lock() {
        lock.lock();
        assert LockOrder.acquire(rank);
    }

    public void unlock() {
        assert LockOrder.release(rank);
        lock.unlock();
    }
}
