package dev.sablegraph.stress;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The workload running on an open database, with its bookkeeping: the counter ledger (based on the
 * counters' values at start), the item pool, the statistics, the faults and the progress reporter.
 * Used alike by the in-process run and by the crash-cycle child.
 */
final class RunningWorkload {
    private final Context ctx;
    private final Workload workload;
    private final InterruptInjector interrupts;
    private final ProgressReporter reporter;

    private RunningWorkload(Context ctx, Workload workload, InterruptInjector interrupts, ProgressReporter reporter) {
        this.ctx = ctx;
        this.workload = workload;
        this.interrupts = interrupts;
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
        Set<Fault> faults = EnumSet.noneOf(Fault.class);
        faults.addAll(options.faults());
        OversizedTransaction.Sizing oversized = OversizedTransaction.Sizing.of(options.graphConfig());
        if (faults.contains(Fault.OVERSIZED) && !oversized.feasible(options.graphConfig())) {
            faults.remove(Fault.OVERSIZED);
            progressOut.printf("%snote: oversized transactions off: for a %d MiB page cache one would need a commit"
                    + " record of %d MiB, too much heap and more than 3/4 of a log segment (%d MiB)%n", progressPrefix,
                    options.cacheMb(), oversized.recordBytes() >> 20, options.graphConfig().walSegmentBytes() >> 20);
        }
        RunStats stats = new RunStats();
        FaultStats faultStats = new FaultStats(faults, db.metrics().abandonedTransactions());
        Context ctx = new Context(db, fixture, new CounterLedger(base, ledgerListener), pool, stats, faultStats,
                violations, watchdog, options.items());
        InterruptInjector interrupts = new InterruptInjector(options.threads(), faultStats);
        SplittableRandom faultSeeds = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        Workload workload = new Workload(ctx, interrupts, faults.contains(Fault.OVERSIZED) ? oversized : null,
                faultSeeds.nextLong());
        RunningWorkload run = new RunningWorkload(ctx, workload, interrupts,
                new ProgressReporter(db, stats, pool, violations, progressOut, progressPrefix));
        workload.start(options.threads(), options.seed());
        if (faults.contains(Fault.INTERRUPTS)) {
            interrupts.start(faultSeeds.nextLong());
        }
        run.reporter.start(options.progressInterval());
        return run;
    }

    RunStats stats() {
        return ctx.stats();
    }

    CounterLedger ledger() {
        return ctx.ledger();
    }

    /**
     * Stops the interrupts, then the workers (false if some did not stop within {@code limit}), then
     * the progress lines.
     */
    boolean stop(Duration limit) throws InterruptedException {
        interrupts.stop();
        boolean stopped = workload.stop(limit);
        reporter.stop();
        return stopped;
    }

    /** After {@link #stop}: no transaction open, every dropped one rolled back. */
    List<Violation> checkNoTransactionOpen(Duration limit) throws InterruptedException {
        return OpenTransactionsCheck.afterStop(ctx.db(), ctx.faults(), limit);
    }

    /** The fault counts so far, in {@link FaultStats.Count} order. */
    long[] faultCounts() {
        return ctx.faults().snapshot(ctx.db().metrics().abandonedTransactions());
    }

    String summary() {
        return reporter.summary() + "\n" + FaultStats.describe(ctx.faults().enabled(), faultCounts());
    }
}
