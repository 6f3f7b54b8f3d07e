package dev.sablegraph.stress;

import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code java -jar stress.jar --dir DIR [options]}: see {@link StressOptions#USAGE}. Exit codes: 0
 * everything held, 1 a violation or a damaged database, 2 a bad command line, 3 deadlock or stall.
 */
public final class StressMain {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int STUCK = 3;

    private StressMain() {}

    public static void main(String[] args) {
        // The engine's assertions include the run-time lock-order checker (docs/lock-order.md): a
        // stress run is where an out-of-order acquisition would show. Set before any engine class
        // is initialised, which is when a class reads its assertion status.
        StressMain.class.getClassLoader().setPackageAssertionStatus("dev.sablegraph", true);
        int code = run(args, System.out, reason -> halt(STUCK));
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs the tool as the command line would, printing to {@code out}; a watchdog verdict goes to
     * {@code onStuck} (the command line halts: stuck threads cannot be stopped). For tests.
     */
    static int run(String[] args, PrintStream out, Watchdog.Failure onStuck) {
        StressOptions options;
        try {
            options = StressOptions.parse(args);
        } catch (UsageException e) {
            out.println("stress: " + e.getMessage());
            return USAGE;
        }
        if (options.help()) {
            out.print(StressOptions.USAGE);
            return OK;
        }
        try {
            if (options.child()) {
                return ChildMode.run(options);
            }
            out.println("Sable stress: " + options.describe());
            out.println("Java " + Runtime.version() + ", engine assertions "
                    + (assertionsOn() ? "on" : "off") + "; rerun with --seed " + options.seed());
            Watchdog watchdog = new Watchdog(out, slowPhaseLimit(options), onStuck);
            try {
                return options.crashMode()
                        ? new CrashCycles(options, out, watchdog).run()
                        : new InProcessRun(options, out, watchdog).run();
            } finally {
                watchdog.stop();
            }
        } catch (UsageException e) {
            out.println("stress: " + e.getMessage());
            return USAGE;
        } catch (Exception | AssertionError e) { // the engine refused to open, or failed outright
            out.println("FAILED: " + e);
            e.printStackTrace(out);
            return Report.fail(out, e.getClass().getSimpleName(), options);
        }
    }

    /** Stall limit of phases without per-operation progress: opening, closing, verifying. */
    static Duration slowPhaseLimit(StressOptions options) {
        Duration twentyStalls = options.stallTimeout().multipliedBy(20);
        return twentyStalls.compareTo(Duration.ofMinutes(10)) > 0 ? twentyStalls : Duration.ofMinutes(10);
    }

    /** Ends the JVM now: no shutdown hook may wait on a lock a stuck thread holds. */
    static void halt(int code) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    private static boolean assertionsOn() {
        return dev.sablegraph.internal.util.LockOrder.class.desiredAssertionStatus();
    }
}
