package dev.sablegraph.internal.wal;

import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.util.Threads;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The log's flusher thread: it writes and forces for committers that asked for a position to be
 * made durable, and, once {@link #startPeriodic} was called, every interval (ASYNC mode).
 *
 * <p>Why a thread of its own, when a waiting committer could force (and does while fewer threads
 * wait than there are cores, see {@link WriteAheadLog#awaitDurable}): measured on 2 cores, a force issued by a committer took
 * about 100 µs with one committer and about 210 µs with twenty, although the device time is the
 * same. The difference is the wait for a core after the fsync returns: the committer that issued
 * it queues behind the committers the previous force woke, which all became runnable at once.
 * This thread sleeps in fsync or in park nearly all the time and uses little CPU, so the scheduler
 * runs it ahead of them when its fsync returns.
 *
 * <p>No lost wake-up: {@link #request} raises the requested position and then reads
 * {@code idle}; the thread sets {@code idle} and then re-reads the requested position before it
 * parks. All four accesses are volatile, so one side sees the other.
 */
final class LogFlusher {
    private final Thread thread;
    /** The highest position asked for; the thread works while it is above the durable one. */
    private final AtomicLong requested = new AtomicLong();
    /** Set by the thread just before it parks for lack of work. */
    private volatile boolean idle;
    /** Positive once periodic flushing is on. */
    private volatile long intervalNanos;
    private volatile boolean stop;

    private final LongSupplier durable;
    private final LongSupplier appended;
    private final Runnable flush;
    private final Consumer<Throwable> died;

    /**
     * @param durable the log's durable position
     * @param appended the end of the last appended record
     * @param flush takes the flush token, writes and forces everything appended; throws
     *     {@link GraphException} once the log is failed or closed
     * @param died told of anything else that ends the thread, so that waiters learn of it
     */
    LogFlusher(String name, LongSupplier durable, LongSupplier appended, Runnable flush, Consumer<Throwable> died) {
        this.durable = durable;
        this.appended = appended;
        this.flush = flush;
        this.died = died;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Asks for everything up to {@code position} to be made durable; does not wait. */
    void request(long position) {
        if (requested.get() < position) {
            requested.accumulateAndGet(position, Math::max);
        }
        if (idle) {
            LockSupport.unpark(thread);
        }
    }

    /** Whether the thread is parked with nothing to do: committers may then force themselves. */
    boolean isIdle() {
        return idle;
    }

    /** Turns on flushing every {@code intervalMillis}; once only. */
    void startPeriodic(long intervalMillis) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("interval " + intervalMillis + " ms");
        }
        if (intervalNanos != 0) {
            throw new IllegalStateException("the background flusher is already running");
        }
        intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        LockSupport.unpark(thread);
    }

    boolean isPeriodic() {
        return intervalNanos != 0;
    }

    /** Stops the thread after the flush it may be doing and waits for it to end. */
    void stop() {
        stop = true;
        LockSupport.unpark(thread);
        Threads.joinUninterruptibly(thread);
    }

    private void run() {
        long lastPeriodic = System.nanoTime();
        try {
            while (!stop) {
                long interval = intervalNanos;
                if (interval > 0 && System.nanoTime() - lastPeriodic >= interval) {
                    lastPeriodic = System.nanoTime();
                    requested.accumulateAndGet(appended.getAsLong(), Math::max);
                }
                if (requested.get() > durable.getAsLong()) {
                    flush.run();
                    continue;
                }
                idle = true;
                // The thread is ours and an interrupt means nothing to it, but a set status would
                // make every park return at once (the channels keep it for whoever is interrupted).
                Thread.interrupted();
                if (requested.get() <= durable.getAsLong() && !stop) {
                    if (interval > 0) {
                        LockSupport.parkNanos(this, Math.max(1, interval - (System.nanoTime() - lastPeriodic)));
                    } else {
                        LockSupport.park(this);
                    }
                }
                idle = false;
            }
        } catch (GraphException e) {
            // The log failed or closed: whoever failed it woke the waiters.
        } catch (Throwable t) {
            died.accept(t);
        }
    }
}
