package dev.sablegraph.stress;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.IntegrityReport;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The default mode: the workload for {@code --duration} in this JVM under the watchdog, stopping
 * early at the first violation; then an integrity check under the last of the load, stop, a check
 * that no transaction is left open (every dropped one rolled back), close, and the final
 * verification of the reopened database, where every counter must equal its base plus the
 * increments acknowledged (nothing is in flight after a clean close).
 */
final class InProcessRun {
    private final StressOptions options;
    private final PrintStream out;
    private final Watchdog watchdog;

    InProcessRun(StressOptions options, PrintStream out, Watchdog watchdog) {
        this.options = options;
        this.out = out;
        this.watchdog = watchdog;
    }

    int run() throws UsageException, InterruptedException {
        boolean fresh = DatabaseDirectory.prepare(options.dir());
        GraphConfig config = options.graphConfig();
        Duration slowPhase = StressMain.slowPhaseLimit(options);
        watchdog.start("open", () -> 0, slowPhase);
        Violations violations = new Violations(out);
        ConcurrentGraphDB db = ConcurrentGraphDB.open(options.dir(), config);
        Fixture fixture;
        try {
            fixture = Fixture.setUpOrFind(db, fresh);
        } catch (IllegalStateException e) {
            db.close();
            throw new UsageException("--dir: " + e.getMessage());
        }
        RunningWorkload run = RunningWorkload.start(db, fixture, options, violations, watchdog,
                CounterLedger.Listener.NONE, out, "");
        watchdog.phase("workload", run.stats().operations::sum, options.stallTimeout());

        long deadline = System.nanoTime() + options.duration().toNanos();
        while (System.nanoTime() < deadline && !violations.any() && watchdog.failure() == null) {
            Thread.sleep(Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
        }
        if (watchdog.failure() != null) {
            return StressMain.STUCK; // stuck threads may hold the database's locks: do not close it
        }
        if (!violations.any()) {
            IntegrityReport underLoad = watchdog.slowSection(db::checkIntegrity);
            if (!underLoad.isClean()) {
                violations.add(new Violation("integrity-under-load", -1, underLoad.toString()));
            }
        }
        if (!run.stop(options.stallTimeout())) {
            out.println("WORKERS DID NOT STOP within " + StressOptions.format(options.stallTimeout())
                    + "\nFull thread dump:\n" + ThreadDump.all());
            return StressMain.STUCK;
        }
        watchdog.phase("open transactions check", () -> 0, slowPhase);
        violations.addAll(run.checkNoTransactionOpen(Duration.ofSeconds(30)));
        out.println(run.summary()); // after the check: the dropped transactions it waited for are counted

        CounterLedger ledger = run.ledger();
        long[] expected = new long[ledger.size()];
        for (int c = 0; c < expected.length; c++) {
            expected[c] = ledger.lowerBound(c);
            if (ledger.inFlight(c) != 0) { // the workers stopped: every commit returned or threw
                violations.add(new Violation("counter-ledger", -1, "counter " + c + " has " + ledger.inFlight(c)
                        + " increments neither acknowledged nor failed after the workers stopped"));
            }
        }
        watchdog.phase("close", () -> 0, slowPhase);
        db.close();

        watchdog.phase("final verification", () -> 0, slowPhase);
        out.println("Closed. Reopening " + options.dir() + " for the final verification ...");
        Verifier.Result result = Verifier.reopenAndVerify(options.dir(), config,
                Verifier.CounterRanges.exactly(expected), options.seed());
        Report.verification(out, result);
        return Report.verdict(out, violations.count() + result.violations().size(), result, options);
    }
}
