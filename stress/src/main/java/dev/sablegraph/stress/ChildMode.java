package dev.sablegraph.stress;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The hidden {@code --child} mode of a crash cycle: open the directory (recovering it), run the
 * workload with its invariant checks until killed, and report on stdout in the
 * {@link ChildProtocol} (progress and thread dumps go to stderr). It never ends by itself unless
 * something is wrong: a violation (exit 1), its watchdog (exit 3), or its parent gone (exit 4, its
 * stdin ended).
 */
final class ChildMode {
    static final int ORPHANED = 4;

    private ChildMode() {}

    static int run(StressOptions options) throws InterruptedException {
        PrintStream protocol = System.out;
        PrintStream log = System.err;
        watchParent();
        Duration slowPhase = StressMain.slowPhaseLimit(options);
        Watchdog watchdog = new Watchdog(log, slowPhase, reason -> StressMain.halt(StressMain.STUCK));
        watchdog.start("child open", () -> 0, slowPhase);
        ConcurrentGraphDB db = ConcurrentGraphDB.open(options.dir(), options.graphConfig());
        Fixture fixture;
        try (Transaction tx = db.begin()) {
            fixture = Fixture.find(tx); // the parent made it; a child never creates one
        }
        // Violations print on the protocol stream: each starts with "VIOLATION", which the parent counts.
        Violations violations = new Violations(protocol);
        RunningWorkload run = RunningWorkload.start(db, fixture, options, violations, watchdog,
                ChildProtocol.ledgerPrinter(protocol), log, "child: ");
        watchdog.phase("child workload", run.stats().operations::sum, options.stallTimeout());
        ChildProtocol.print(protocol, ChildProtocol.READY);
        for (int tick = 1; !violations.any(); tick++) {
            Thread.sleep(50);
            if (tick % 5 == 0) { // every 250 ms: the parent keeps the last before the kill
                ChildProtocol.print(protocol, ChildProtocol.faults(run.faultCounts()));
            }
        }
        Thread.sleep(200); // let the parent read what the other workers add, then stop with the evidence
        return StressMain.FAILED;
    }

    /** Exits when stdin ends: the parent died or let go, and nobody will ever kill this process. */
    private static void watchParent() {
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException ignored) {
                // treated as the end of stdin
            }
            StressMain.halt(ORPHANED);
        }, "stress-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
