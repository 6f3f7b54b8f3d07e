package dev.sablegraph.concurrent;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets the retries of {@link ConcurrentGraphDB#inTransaction} go before new work: while a retry
 * is about to run or running, a first attempt waits for it (at most a bound) before it begins.
 *
 * <p>Why: optimistic concurrency alone starves a loser. Measured with two threads incrementing one
 * node (docs/benchmarks.md, "Retries"), the thread that just committed begins its next
 * transaction at once, and wins the race to the node against the retrying one every time: the
 * loser gave up after 10 attempts in most runs. With the gate the winner's next attempt begins
 * after the retry, so a retry competes only with other retries (and with transactions that do
 * not use {@code inTransaction}). Retries do not wait here, and a retry's work that nests an
 * {@code inTransaction} on the same thread is not held back by itself.
 *
 * <p>No lost wake-up: the last retry to end decrements the count and then notifies under the
 * monitor, and a waiter reads the count under the monitor before it waits.
 */
final class RetryGate {
    private final long maxWaitNanos;
    /** Retries registered by {@link #enterRetry} and not yet ended. */
    private final AtomicInteger retrying = new AtomicInteger();
    /** Retries registered on this thread: nested work must not wait for its own retry. */
    private final ThreadLocal<int[]> retryingHere = ThreadLocal.withInitial(() -> new int[1]);

    RetryGate(long maxWaitNanos) {
        this.maxWaitNanos = maxWaitNanos;
    }

    /**
     * Before a first attempt: waits until no retry runs, at most the bound. An interrupt ends the
     * wait (the status stays set; the attempt goes ahead).
     */
    void awaitRetries() {
        if (retrying.get() == 0 || retryingHere.get()[0] > 0) {
            return;
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        synchronized (this) {
            while (retrying.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Registers a retry about to run; first attempts wait until its {@link #exitRetry}. */
    void enterRetry() {
        retryingHere.get()[0]++;
        retrying.incrementAndGet();
    }

    void exitRetry() {
        retryingHere.get()[0]--;
        if (retrying.decrementAndGet() == 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }
}
