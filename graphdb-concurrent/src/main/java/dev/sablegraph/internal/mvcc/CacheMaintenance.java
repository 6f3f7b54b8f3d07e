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
 * <p>Here {@link #execute} only queues the task and calls {@code wake}, which costs a volatile
 * read while the database's background thread is awake: that thread runs what is queued, looking
 * every millisecond while tasks keep coming, and is unparked only when a task arrives while it
 * sleeps for lack of work. Meanwhile Caffeine schedules nothing more (its drain status says one is
 * pending) and drops read records its buffers cannot hold, which only makes the eviction order
 * approximate; writes that fill its write buffer run maintenance themselves, so the caches stay
 * bounded.
 */
public final class CacheMaintenance implements Executor {
    private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final Runnable wake;

    /** Maintenance that nobody is told of: whoever runs it polls. */
    public CacheMaintenance() {
        this(() -> { });
    }

    /** @param wake called after each task is queued; must be cheap (it runs on the reading thread) */
    public CacheMaintenance(Runnable wake) {
        this.wake = wake;
    }

    @Override
    public void execute(Runnable task) {
        pending.add(task);
        wake.run();
    }

    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /**
     * Runs the queued maintenance; returns whether there was any. Called by one background thread,
     * which must live on whatever a task throws: a task that fails is dropped and the next one runs.
     * An {@link Error} (out of memory, most likely, while another thread's huge transaction holds
     * the heap) is dropped too: a task only orders and evicts cache entries, which readers validate
     * against the version chains before they use them, so a task cut short leaves nothing wrong,
     * only a cache that evicts less exactly. Before, such an error ended the background thread, and
     * with it collection and checkpoints (docs/durability.md, failure table).
     */
    public boolean runPending() {
        boolean ran = false;
        for (Runnable task; (task = pending.poll()) != null; ) {
            ran = true;
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // dropped (see above); Caffeine's own task catches and logs its failures first
            }
        }
        return ran;
    }
}
