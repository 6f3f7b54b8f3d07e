package dev.sablegraph.stress;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.core.MvccMetrics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints one line every interval: throughput over the interval, totals, and the collector's
 * backlog from {@link MvccMetrics} (version chains and versions kept in memory, how many commits the
 * oldest snapshot lags behind). A backlog that only grows means old versions are not reclaimed.
 */
final class ProgressReporter {
    private final ConcurrentGraphDB db;
    private final RunStats stats;
    private final ItemPool pool;
    private final Violations violations;
    private final PrintStream out;
    private final String prefix;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stress-progress");
        t.setDaemon(true);
        return t;
    });
    private RunStats.Snapshot previous = new RunStats.Snapshot(0, 0, 0, 0, 0);
    private long previousAt = started;

    ProgressReporter(ConcurrentGraphDB db, RunStats stats, ItemPool pool, Violations violations, PrintStream out,
            String prefix) {
        this.db = db;
        this.stats = stats;
        this.pool = pool;
        this.violations = violations;
        this.out = out;
        this.prefix = prefix;
    }

    void start(Duration interval) {
        long ms = interval.toMillis();
        timer.scheduleAtFixedRate(this::report, ms, ms, TimeUnit.MILLISECONDS);
    }

    void stop() {
        timer.shutdownNow();
    }

    /** The final totals line of a run. */
    String summary() {
        RunStats.Snapshot s = stats.snapshot();
        double secs = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        return String.format("%s%,d operations in %.1f s (%,.0f ops/s), %,d commits, %,d conflicts, %,d checks,"
                + " %,d idle, %d violations%n%sconflicts by operation: %s", prefix, s.operations(), secs,
                s.operations() / secs, s.commits(), s.conflicts(), s.checks(), s.idle(), violations.count(), prefix,
                stats.conflictsByOperation());
    }

    private synchronized void report() {
        try {
            long now = System.nanoTime();
            RunStats.Snapshot s = stats.snapshot();
            double secs = Math.max(1e-3, (now - previousAt) / 1e9);
            MvccMetrics m = db.metrics();
            out.printf("%s[%6ds] %,8.0f ops/s | commits %,d | conflicts %,d | checks %,d | violations %d"
                            + " | items ~%,d | gc backlog: chains %,d, versions %,d, lag %,d commits, active tx %d"
                            + " | checkpoints %d%n",
                    prefix, Duration.ofNanos(now - started).toSeconds(),
                    (s.operations() - previous.operations()) / secs,
                    s.commits(), s.conflicts(), s.checks(), violations.count(), pool.live(), m.versionChains(),
                    m.versions(), m.reclamationLag(), m.activeTransactions(), db.checkpoints());
            out.flush();
            previous = s;
            previousAt = now;
        } catch (RuntimeException e) { // the database closed under us at the end of a run
            out.println(prefix + "progress: " + e);
        }
    }
}
