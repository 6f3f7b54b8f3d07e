package dev.sablegraph.stress;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.GraphConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * {@code --crash-cycles N}: N times, start the workload in a child JVM on the directory, kill it with
 * SIGKILL at a seeded random moment, then recover the database here and verify it: every
 * increment the child saw acknowledged is present and none it never attempted (the counters'
 * ranges come from the child's TRY/ACK/FAIL lines), the bank total holds (no partial commit), and
 * edges, indexes, traversals and the engine's integrity check are clean. The next cycle starts
 * from the recovered state. A final clean reopen ends the run like any other.
 */
final class CrashCycles {
    private static final long READY_TIMEOUT_MILLIS = 120_000;
    private static final long DEATH_TIMEOUT_MILLIS = 30_000;

    private final StressOptions options;
    private final PrintStream out;
    private final Watchdog watchdog;

    CrashCycles(StressOptions options, PrintStream out, Watchdog watchdog) {
        this.options = options;
        this.out = out;
        this.watchdog = watchdog;
    }

    /** What one child did before it died; {@code failure} is null when it died of our SIGKILL. */
    private record ChildOutcome(ChildTranscript transcript, String failure) {}

    int run() throws UsageException, InterruptedException, IOException {
        boolean fresh = DatabaseDirectory.prepare(options.dir());
        GraphConfig config = options.graphConfig();
        Duration slowPhase = StressMain.slowPhaseLimit(options);
        watchdog.start("setup", () -> 0, slowPhase);
        long[] base = new long[Fixture.COUNTERS];
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(options.dir(), config)) {
            Fixture fixture;
            try {
                fixture = Fixture.setUpOrFind(db, fresh);
            } catch (IllegalStateException e) {
                throw new UsageException("--dir: " + e.getMessage());
            }
            try (Transaction tx = db.begin()) {
                for (int c = 0; c < base.length; c++) {
                    base[c] = Fixture.count(tx, fixture.counters()[c]);
                }
            }
        }

        SplittableRandom rnd = new SplittableRandom(options.seed());
        long acknowledgedInAll = 0;
        long[] faults = new long[FaultStats.Count.values().length];
        for (int cycle = 1; cycle <= options.crashCycles(); cycle++) {
            watchdog.phase("crash cycle " + cycle, () -> 0, slowPhase);
            long childSeed = rnd.nextLong();
            long min = options.killAfterMin().toMillis();
            long killAfter = min + rnd.nextLong(options.killAfterMax().toMillis() - min + 1);
            String name = String.format("cycle %d/%d", cycle, options.crashCycles());

            ChildOutcome child = runChild(childSeed, killAfter);
            if (child.failure() != null) {
                out.println(name + ": FAIL: " + child.failure());
                return Report.fail(out, name + " failed", options);
            }
            ChildTranscript t = child.transcript();
            long[] lo = new long[base.length];
            long[] hi = new long[base.length];
            long acked = 0;
            long inFlight = 0;
            for (int c = 0; c < base.length; c++) {
                // Under ASYNC a crash may take back acknowledged commits: only what the last
                // verification saw (checkpointed by that clean close) is sure to survive.
                lo[c] = base[c] + (options.durability() == Durability.SYNC ? t.acks(c) : 0);
                hi[c] = base[c] + t.tries(c) - t.fails(c);
                acked += t.acks(c);
                inFlight += t.tries(c) - t.fails(c) - t.acks(c);
            }
            Verifier.Result result = Verifier.reopenAndVerify(options.dir(), config,
                    new Verifier.CounterRanges(lo, hi), childSeed);
            boolean ok = result.clean() && t.violations().isEmpty();
            out.printf("%s: SIGKILL after %.2f s; %,d increments acknowledged, %d in flight; recovered in %.2f s;"
                            + " %,d items, %,d edges; invariants %s; integrity %s%n",
                    name, killAfter / 1e3, acked, inFlight, result.openTime().toNanos() / 1e9, result.items(),
                    result.edges(), result.violations().isEmpty() && t.violations().isEmpty() ? "hold" : "VIOLATED",
                    result.integrity() != null && result.integrity().isClean() ? "clean" : "DAMAGED");
            out.flush();
            if (!ok) {
                Report.verification(out, result);
                return Report.verdict(out, result.violations().size() + t.violations().size(), result, options);
            }
            base = result.counters();
            acknowledgedInAll += acked;
            faults = FaultStats.sum(faults, t.faults());
        }
        out.println(FaultStats.describe(options.faults(), faults) + " (in the children, as each last"
                + " reported before its kill; a fault without an outcome was cut short by the kill)");
        if (acknowledgedInAll == 0) {
            return Report.fail(out, "no child acknowledged any increment before it was killed: nothing was"
                    + " tested (lengthen --kill-after)", options);
        }

        watchdog.phase("final verification", () -> 0, slowPhase);
        out.println("All cycles recovered. Reopening " + options.dir() + " for the final verification ...");
        Verifier.Result last = Verifier.reopenAndVerify(options.dir(), config, Verifier.CounterRanges.exactly(base),
                options.seed());
        Report.verification(out, last);
        return Report.verdict(out, last.violations().size(), last, options);
    }

    private ChildOutcome runChild(long childSeed, long killAfterMillis) throws IOException, InterruptedException {
        ChildProcess child = ChildProcess.start(options, childSeed, out);
        ChildTranscript t = child.transcript();
        try {
            if (!t.awaitReady(READY_TIMEOUT_MILLIS)) {
                int code = child.awaitExit(5_000);
                return new ChildOutcome(t, code >= 0
                        ? "the child exited with code " + code + " before it was running (see its output above)"
                        : "the child did not report READY within " + READY_TIMEOUT_MILLIS / 1000 + " s");
            }
            int early = child.awaitExit(killAfterMillis); // the wait before the kill; notices an early death
            if (early >= 0) {
                return new ChildOutcome(t, "the child exited by itself with code " + early
                        + " before it was killed (see its output above; 3 = its watchdog found a deadlock or stall)");
            }
            child.kill();
            int code = child.awaitExit(DEATH_TIMEOUT_MILLIS);
            if (code < 0) {
                return new ChildOutcome(t, "the child (pid " + child.pid() + ") still runs "
                        + DEATH_TIMEOUT_MILLIS / 1000 + " s after SIGKILL");
            }
            if (code != ChildProcess.KILLED_EXIT_CODE) {
                return new ChildOutcome(t, "the child ended with code " + code + ", not by SIGKILL ("
                        + ChildProcess.KILLED_EXIT_CODE + ")");
            }
            if (!t.awaitEnd(DEATH_TIMEOUT_MILLIS)) {
                return new ChildOutcome(t, "the dead child's output did not end");
            }
            if (t.error() != null) {
                return new ChildOutcome(t, "reading the child's output failed: " + t.error());
            }
            return new ChildOutcome(t, null);
        } finally {
            if (child.isAlive()) {
                child.kill();
                child.awaitExit(DEATH_TIMEOUT_MILLIS);
            }
            child.closeStdin();
        }
    }
}
