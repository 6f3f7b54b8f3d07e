package dev.sablegraph.stress;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Interrupts a random worker thread every few milliseconds, as application threads are interrupted
 * all the time ({@code Future.cancel(true)}, {@code shutdownNow}, request timeouts). The contract:
 * the interrupted thread's own call completes, or at worst throws for that thread alone, and
 * every other thread carries on; a commit that returned is present and one that threw is absent
 * (the counter invariant holds both).
 *
 * <p>Each worker asks, around every operation, whether it was interrupted meanwhile: only then is
 * an exception caused by an interrupt excused ({@link #causedByInterrupt}). Sending an interrupt
 * and starting an operation hold the worker's lock, so an interrupt either lands before the
 * operation (and is cleared) or is seen as landing during it, never half of each.
 */
final class InterruptInjector {
    /** Pauses between interrupts, uniform: about 50 a second. */
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(40);

    private final Thread[] workers;
    /** Interrupts sent to each worker; guarded by {@code locks[i]}. */
    private final long[] sent;
    private final Object[] locks;
    private final FaultStats stats;
    private Thread thread; // written once by start(), before stop() reads it, on the run's thread
    private volatile boolean stopping;

    InterruptInjector(int workers, FaultStats stats) {
        this.workers = new Thread[workers];
        this.sent = new long[workers];
        this.locks = new Object[workers];
        for (int i = 0; i < workers; i++) {
            locks[i] = new Object();
        }
        this.stats = stats;
    }

    /** Worker {@code i} is {@code t}; called before any interrupt is sent. */
    void register(int i, Thread t) {
        workers[i] = t;
    }

    /**
     * Called by worker {@code i} before each operation: drops an interrupt that landed after the last
     * one (a kept status must not leak into the next call) and returns a token for
     * {@link #interruptedSince}.
     */
    long beforeOperation(int i) {
        synchronized (locks[i]) {
            Thread.interrupted();
            return sent[i];
        }
    }

    /** Whether worker {@code i} was interrupted since {@link #beforeOperation} returned {@code token}. */
    boolean interruptedSince(int i, long token) {
        synchronized (locks[i]) {
            return sent[i] != token;
        }
    }

    /** Starts sending interrupts; only when the fault is enabled. */
    void start(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        thread = new Thread(() -> loop(rnd), "stress-interrupter");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops sending and waits until no interrupt can come any more. */
    void stop() throws InterruptedException {
        stopping = true;
        if (thread != null) {
            thread.join();
        }
    }

    private void loop(SplittableRandom rnd) {
        while (!stopping) {
            LockSupport.parkNanos(1 + rnd.nextLong(MAX_PAUSE_NANOS));
            interrupt(rnd.nextInt(workers.length));
        }
    }

    /** Interrupts worker {@code i}, noting it first so that the worker knows. */
    void interrupt(int i) {
        synchronized (locks[i]) {
            sent[i]++;
            workers[i].interrupt();
        }
        stats.record(FaultStats.Count.INTERRUPTS_SENT);
    }

    /**
     * Whether {@code t} is what an interrupt may make the interrupted thread's own call throw:
     * something with {@link InterruptedException}, {@link ClosedByInterruptException} or
     * {@link InterruptedIOException} in its cause chain.
     */
    static boolean causedByInterrupt(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth < 64; c = c.getCause(), depth++) { // a cyclic chain ends too
            if (c instanceof InterruptedException || c instanceof ClosedByInterruptException
                    || c instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }
}
