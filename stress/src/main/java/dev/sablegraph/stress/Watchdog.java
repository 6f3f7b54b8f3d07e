package dev.sablegraph.stress;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Once a second: a deadlock among any threads (monitors or j.u.c. locks), or no progress for the
 * stall limit, prints a full thread dump and hands the verdict to {@code onFailure} (the command
 * line halts the JVM with exit code 3: stuck threads cannot be stopped, and the database cannot be
 * closed while they hold its locks). Phases that make no per-operation progress (closing,
 * recovery, verification) get their own, longer limit via {@link #phase}; an integrity check
 * under load runs in a {@link #slowSection}.
 */
final class Watchdog {
    interface Failure {
        void failed(String reason);
    }

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final PrintStream out;
    private final Duration slowLimit;
    private final Failure onFailure;
    private final Thread thread;
    /** Bumped when the stall clock must restart: a new phase, the end of a slow section. */
    private final AtomicInteger generation = new AtomicInteger();
    /** Open slow sections (integrity checks under load): while any is open, the slow limit applies. */
    private final AtomicInteger slowSections = new AtomicInteger();
    private volatile LongSupplier progress = () -> 0;
    private volatile Duration limit;
    private volatile String phase = "starting";
    private volatile boolean stopped;
    private volatile String failure;

    Watchdog(PrintStream out, Duration slowLimit, Failure onFailure) {
        this.out = out;
        this.slowLimit = slowLimit;
        this.onFailure = onFailure;
        this.thread = new Thread(this::loop, "stress-watchdog");
        this.thread.setDaemon(true);
    }

    void start(String phaseName, LongSupplier progress, Duration limit) {
        phase(phaseName, progress, limit);
        thread.start();
    }

    /** From now on, fail if {@code progress} does not move for {@code limit}. */
    void phase(String phaseName, LongSupplier progress, Duration limit) {
        this.limit = limit;
        this.progress = progress;
        this.phase = phaseName;
        generation.incrementAndGet();
    }

    /**
     * Runs work that legitimately holds everyone up for long, such as the integrity check that
     * makes commits wait: meanwhile a deadlock still counts at once, a stall only after the slow
     * limit.
     */
    <T> T slowSection(Supplier<T> work) {
        slowSections.incrementAndGet();
        try {
            return work.get();
        } finally {
            slowSections.decrementAndGet();
            generation.incrementAndGet(); // the stall clock restarts when it ends
        }
    }

    String failure() {
        return failure;
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }

    private void loop() {
        long lastValue = Long.MIN_VALUE;
        int lastGeneration = -1;
        long lastChange = System.nanoTime();
        while (!stopped) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long[] deadlocked = mx.findDeadlockedThreads();
            if (deadlocked != null) {
                fail("DEADLOCK among " + deadlocked.length + " threads during " + phase
                        + "\n" + ThreadDump.format(mx.getThreadInfo(deadlocked, true, true)));
                return;
            }
            int g = generation.get();
            long value = progress.getAsLong();
            if (value != lastValue || g != lastGeneration) {
                lastValue = value;
                lastGeneration = g;
                lastChange = System.nanoTime();
            } else {
                Duration allowed = slowSections.get() > 0 && slowLimit.compareTo(limit) > 0 ? slowLimit : limit;
                if (System.nanoTime() - lastChange > allowed.toNanos()) {
                    fail("STALL: no progress in " + phase + " for "
                            + Duration.ofNanos(System.nanoTime() - lastChange).toSeconds() + " s (limit "
                            + StressOptions.format(allowed) + ")");
                    return;
                }
            }
        }
    }

    private void fail(String reason) {
        failure = reason;
        synchronized (out) {
            out.println("WATCHDOG: " + reason);
            out.println("Full thread dump:");
            out.println(ThreadDump.all());
            out.flush();
        }
        onFailure.failed(reason);
    }
}
