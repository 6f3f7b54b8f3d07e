package dev.sablegraph.concurrent;

import dev.sablegraph.internal.util.Threads;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The database's background thread: it runs what the node and edge caches queued for maintenance
 * ({@code CacheMaintenance}) and the collection rounds ({@code ConcurrentGraphDB.collectQuietly}:
 * reclamation, expiry of old transactions, checkpoints), and sleeps when there is neither.
 *
 * <p>Its pace:
 * <ul>
 *   <li>While {@code collectionWanted} (open transactions, version chains or a checkpoint due), a
 *       round every {@code intervalNanos}, as a timer would.</li>
 *   <li>For {@link #WARM_NANOS} after the last cache task, it looks for new ones every
 *       {@link #CACHE_POLL_NANOS}: while reads keep the caches busy, their tasks are picked up by
 *       this polling, and a reader that queues one wakes nobody (the reason for the queue, see
 *       {@code CacheMaintenance}).</li>
 *   <li>Otherwise it parks for {@code idleNanos} (then runs a round anyway, a housekeeping one),
 *       until {@link #wake} is called: by {@code begin()}, by the end of a transaction, and by a
 *       cache task queued while it sleeps. An idle database's thread wakes only for that
 *       housekeeping round.</li>
 * </ul>
 *
 * <p>No lost wake-up: a waker makes its work visible (a registered snapshot, a queued task) and
 * then reads {@link #sleeping}; the thread sets {@code sleeping} and then looks for work again
 * before it parks. All are volatile accesses, so one side sees the other, and an unpark that comes
 * before the park makes the park return at once.
 */
final class BackgroundWork {
    static final long CACHE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long WARM_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Thread thread;
    private final long intervalNanos;
    private final long idleNanos;
    private final BooleanSupplier runCacheTasks;
    private final BooleanSupplier cacheTasksQueued;
    private final Runnable collect;
    private final BooleanSupplier collectionWanted;
    /** Set while the thread parks for lack of work: only then does {@link #wake} unpark it. */
    private volatile boolean sleeping;
    private volatile boolean stop;
    /** Collection rounds begun so far, for tests. */
    private volatile long rounds;

    /**
     * @param runCacheTasks runs the queued cache tasks; true if there were any
     * @param cacheTasksQueued whether a cache task is queued
     * @param collect one collection round; must not throw
     * @param collectionWanted whether rounds are needed without being woken
     */
    BackgroundWork(String name, long intervalNanos, long idleNanos, BooleanSupplier runCacheTasks,
            BooleanSupplier cacheTasksQueued, Runnable collect, BooleanSupplier collectionWanted) {
        this.intervalNanos = intervalNanos;
        this.idleNanos = idleNanos;
        this.runCacheTasks = runCacheTasks;
        this.cacheTasksQueued = cacheTasksQueued;
        this.collect = collect;
        this.collectionWanted = collectionWanted;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** There may be work: wakes the thread if it sleeps; otherwise a volatile read and nothing else. */
    void wake() {
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /** Whether the thread is parked for lack of work (for tests). */
    boolean isSleeping() {
        return sleeping;
    }

    long rounds() {
        return rounds;
    }

    /**
     * Stops the thread after the round it may be running and waits for it, uninterruptibly:
     * closing while a round still works would race it for the store. An interrupt is kept.
     */
    void stop() {
        stop = true;
        LockSupport.unpark(thread);
        Threads.joinUninterruptibly(thread);
    }

    private void run() {
        long lastCacheTask = System.nanoTime() - WARM_NANOS;
        long nextRound = System.nanoTime() + intervalNanos;
        boolean wanted = true;
        while (!stop) {
            // The thread is ours and an interrupt means nothing to it, but a set status would make
            // every park return at once.
            Thread.interrupted();
            long now = System.nanoTime();
            if (runCacheTasks.getAsBoolean()) {
                lastCacheTask = now;
            }
            if (now - nextRound >= 0) {
                rounds++;
                collect.run();
                now = System.nanoTime();
                nextRound = now + intervalNanos;
                wanted = collectionWanted.getAsBoolean();
            }
            boolean warm = now - lastCacheTask < WARM_NANOS;
            if (warm || wanted) {
                long wait = wanted ? nextRound - now : Long.MAX_VALUE;
                LockSupport.parkNanos(this, Math.max(1, warm ? Math.min(wait, CACHE_POLL_NANOS) : wait));
                continue;
            }
            sleeping = true;
            if (!stop && !cacheTasksQueued.getAsBoolean() && !(wanted = collectionWanted.getAsBoolean())) {
                LockSupport.parkNanos(this, idleNanos);
            }
            sleeping = false;
            nextRound = Math.min(nextRound, System.nanoTime()); // woken: a round now
        }
    }
}
