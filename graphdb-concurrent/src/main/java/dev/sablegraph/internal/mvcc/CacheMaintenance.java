package dev.sablegraph.internal.mvcc;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * The executor of the node and edge caches' maintenance (Caffeine replays recorded reads and
 * evicts in a task it hands to its executor). By default that is {@code ForkJoinPool.commonPool()},
 * and handing it over wakes a pool thread: a futex call on the reading thread every few dozen
 * cache hits, measured at 43% of a one-thread read benchmark's samples. Running the task on the
 * reader instead (the other obvious choice) made reads slower still.
 *
 * <p>Here {@link #execute} only queues the task (no system call), and the database's background
 * thread runs what is queued every millisecond. Meanwhile Caffeine schedules nothing more (its
 * drain status says one is pending) and drops read records its buffers cannot hold, which only
 * makes the eviction order approximate; writes that fill its write buffer run maintenance
 * themselves, so the caches stay bounded.
 */
public final class CacheMaintenance implements Executor {
    private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable task) {
        pending.add(task);
    }

    /** Runs the queued maintenance; called periodically by one background thread. */
    public void runPending() {
        for (Runnable task; (task = pending.poll()) != null; ) {
            try {
                task.run();
            } catch (RuntimeException e) {
                // Caffeine's own task does not throw; if one did, the next one must still run
                // (an exception would end this periodic schedule for good).
            }
        }
    }
}
