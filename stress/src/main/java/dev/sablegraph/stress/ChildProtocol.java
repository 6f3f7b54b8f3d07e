package dev.sablegraph.stress;

import java.io.PrintStream;

/**
 * The lines a crash-cycle child prints on stdout for its parent, one event per line, flushed at
 * once so that everything printed before the SIGKILL reaches the parent:
 * <pre>
 * READY              the database is open and the workload starts
 * TRY c              commit() of an increment of counter c is about to be called
 * ACK c              that commit() returned
 * FAIL c             that commit() threw: nothing of it was installed
 * VIOLATION [...]    the child's own checks found a violation (more lines may follow)
 * FAULTS n n ...     the faults injected so far, in {@link FaultStats.Count} order (every 250 ms)
 * </pre>
 * Anything else (a stack trace) is passed through to the parent's output.
 */
final class ChildProtocol {
    static final String READY = "READY";
    static final String TRY = "TRY";
    static final String ACK = "ACK";
    static final String FAIL = "FAIL";
    static final String VIOLATION = "VIOLATION";
    static final String FAULTS = "FAULTS";

    private ChildProtocol() {}

    /** Prints one line and flushes, atomically with respect to other threads printing. */
    static void print(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** The line reporting fault counts. */
    static String faults(long[] counts) {
        StringBuilder s = new StringBuilder(FAULTS);
        for (long c : counts) {
            s.append(' ').append(c);
        }
        return s.toString();
    }

    /** The counts of a line {@link #faults} made, given the part after the keyword. */
    static long[] parseFaults(String rest) {
        String[] f = rest.trim().split(" +");
        if (f.length != FaultStats.Count.values().length) {
            throw new IllegalStateException("FAULTS line with " + f.length + " counts, expected "
                    + FaultStats.Count.values().length + ": " + rest);
        }
        long[] counts = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            counts[i] = Long.parseLong(f[i]);
        }
        return counts;
    }

    /** The child's ledger listener: every step of every increment becomes a line. */
    static CounterLedger.Listener ledgerPrinter(PrintStream out) {
        return new CounterLedger.Listener() {
            @Override
            public void attempting(int counter) {
                print(out, TRY + " " + counter);
            }

            @Override
            public void acknowledged(int counter) {
                print(out, ACK + " " + counter);
            }

            @Override
            public void failed(int counter) {
                print(out, FAIL + " " + counter);
            }
        };
    }
}
