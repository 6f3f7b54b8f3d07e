package dev.sablegraph.stress;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import java.io.PrintStream;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The workload running on an open database, with its bookkeeping: the counter ledger (based on the
 * counters' values at start), the item pool, the statistics and the progress reporter. Used alike by
 * the in-process run and by the crash-cycle child.
 */
final class RunningWorkload {
    private final Context ctx;
    private final Workload workload;
    private final ProgressReporter reporter;

    private RunningWorkload(Context ctx, ProgressReporter reporter) {
        this.ctx = ctx;
        this.workload = new Workload(ctx);
        this.reporter = reporter;
    }

    static RunningWorkload start(ConcurrentGraphDB db, Fixture fixture, StressOptions options, Violations violations,
            Watchdog watchdog, CounterLedger.Listener ledgerListener, PrintStream progressOut, String progressPrefix) {
        long[] base = new long[fixture.counters().length];
        ItemPool pool = new ItemPool();
        try (Transaction tx = db.begin()) {
            for (int c = 0; c < base.length; c++) {
                base[c] = Fixture.count(tx, fixture.counters()[c]);
            }
            pool.refill(tx, new SplittableRandom(options.seed()));
        }
        RunStats stats = new RunStats();
        Context ctx = new Context(db, fixture, new CounterLedger(base, ledgerListener), pool, stats, violations,
                watchdog, options.items());
        RunningWorkload run = new RunningWorkload(ctx,
                new ProgressReporter(db, stats, pool, violations, progressOut, progressPrefix));
        run.workload.start(options.threads(), options.seed());
        run.reporter.start(options.progressInterval());
        return run;
    }

    RunStats stats() {
        return ctx.stats();
    }

    CounterLedger ledger() {
        return ctx.ledger();
    }

    /** Stops the workers (false if some did not stop within {@code limit}) and the progress lines. */
    boolean stop(Duration limit) throws InterruptedException {
        boolean stopped = workload.stop(limit);
        reporter.stop();
        return stopped;
    }

    String summary() {
        return reporter.summary();
    }
}
