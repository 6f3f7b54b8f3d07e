package dev.sablegraph.stress;

import java.io.PrintStream;
import java.util.Arrays;

/** The closing lines every run prints: the verification of the reopened database and the verdict. */
final class Report {
    private Report() {}

    static void verification(PrintStream out, Verifier.Result r) {
        out.printf("Verification (open took %.2f s): %d accounts, counters %s, %,d items, %,d edges%n",
                r.openTime().toNanos() / 1e9, Fixture.ACCOUNTS,
                r.counters() == null ? "unreadable" : Arrays.toString(r.counters()), r.items(), r.edges());
        if (r.violations().isEmpty()) {
            out.println("Invariants after reopen: bank total, counters, edges, index vs scan, no rolled-back write,"
                    + " traversals: all hold");
        } else {
            out.println("Invariants after reopen: " + r.violations().size() + " violation(s):");
            r.violations().stream().limit(20).forEach(v -> out.println("  " + v));
        }
        out.print(r.integrity() == null ? "No integrity report\n" : r.integrity().toString());
        out.flush();
    }

    /** The last line after a verification: PASS only with no violation and a clean integrity report. */
    static int verdict(PrintStream out, long violations, Verifier.Result r, StressOptions options) {
        boolean damaged = r.integrity() == null || !r.integrity().isClean();
        if (violations == 0 && !damaged) {
            out.println("RESULT: PASS (every invariant held; integrity check clean)");
            out.flush();
            return StressMain.OK;
        }
        String integrity = r.integrity() == null ? "no integrity check"
                : damaged ? "integrity check found " + r.integrity().problemCount() + " problem(s)"
                : "integrity check clean";
        return fail(out, violations + " violation(s), " + integrity + "; see the lines above", options);
    }

    static int fail(PrintStream out, String reason, StressOptions options) {
        out.println("RESULT: FAIL (" + reason + "; seed " + options.seed() + ")");
        out.flush();
        return StressMain.FAILED;
    }
}
