package dev.sablegraph.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many faults a run injected and how each ended, for the report's {@code faults:} line. An
 * outcome other than the expected one is a violation, not a count here. A crash child sends its
 * counts to the parent as a {@link #snapshot} of longs in {@link Count} order.
 */
final class FaultStats {
    enum Count {
        /** Interrupts sent to workers. */
        INTERRUPTS_SENT,
        /** Operations during which their worker was interrupted. */
        INTERRUPTED_OPERATIONS,
        /** Of those, the ones that threw an exception caused by the interrupt (allowed, for that thread only). */
        INTERRUPTED_CALLS_THREW,
        OVERSIZED_TRIED,
        /** Committed, and a new snapshot showed every node of it with its payload. */
        OVERSIZED_COMMITTED,
        OVER_LIMIT_TRIED,
        /** Refused at the write call, and the same transaction then committed a new item. */
        OVER_LIMIT_REFUSED,
        /** Transactions dropped without close(). */
        ABANDONED,
        /** Transactions the database rolled back as abandoned (MvccMetrics), since the workload began. */
        ABANDONED_ROLLED_BACK
    }

    private final Set<Fault> enabled;
    private final LongAdder[] counts = new LongAdder[Count.values().length];
    /** {@code abandonedTransactions} when the workload began: the database counts since it opened. */
    private final long abandonedBaseline;

    FaultStats(Set<Fault> enabled, long abandonedBaseline) {
        this.enabled = Set.copyOf(enabled);
        this.abandonedBaseline = abandonedBaseline;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    boolean enabled(Fault f) {
        return enabled.contains(f);
    }

    Set<Fault> enabled() {
        return enabled;
    }

    void record(Count c) {
        counts[c.ordinal()].increment();
    }

    long get(Count c) {
        return counts[c.ordinal()].sum();
    }

    /** Abandoned transactions the database rolled back since the workload began. */
    long rolledBack(long abandonedTransactionsNow) {
        return abandonedTransactionsNow - abandonedBaseline;
    }

    /** The counts in {@link Count} order, with the database's {@code abandonedTransactions} now. */
    long[] snapshot(long abandonedTransactionsNow) {
        long[] out = new long[counts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts[i].sum();
        }
        out[Count.ABANDONED_ROLLED_BACK.ordinal()] = rolledBack(abandonedTransactionsNow);
        return out;
    }

    /** "faults: interrupts 1,234 sent, ...; oversized ...": one clause per fault, "off" for those not enabled. */
    static String describe(Set<Fault> enabled, long[] c) {
        List<String> parts = new ArrayList<>();
        parts.add(!enabled.contains(Fault.INTERRUPTS) ? "interrupts off"
                : String.format("interrupts %,d sent, %,d landed in an operation, %,d of those threw for their own"
                        + " thread", at(c, Count.INTERRUPTS_SENT), at(c, Count.INTERRUPTED_OPERATIONS),
                        at(c, Count.INTERRUPTED_CALLS_THREW)));
        parts.add(!enabled.contains(Fault.OVERSIZED) ? "oversized off"
                : String.format("oversized transactions %,d, %,d committed whole",
                        at(c, Count.OVERSIZED_TRIED), at(c, Count.OVERSIZED_COMMITTED)));
        parts.add(!enabled.contains(Fault.OVER_LIMIT) ? "over-limit off"
                : String.format("over-limit writes %,d, %,d refused at the call and their transaction committed",
                        at(c, Count.OVER_LIMIT_TRIED), at(c, Count.OVER_LIMIT_REFUSED)));
        parts.add(!enabled.contains(Fault.ABANDONED) ? "abandoned off"
                : String.format("abandoned transactions %,d, %,d rolled back by the database",
                        at(c, Count.ABANDONED), at(c, Count.ABANDONED_ROLLED_BACK)));
        return "faults: " + String.join("; ", parts);
    }

    /** Element-wise sum, for the counts of several crash children. */
    static long[] sum(long[] a, long[] b) {
        long[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b[i];
        }
        return out;
    }

    private static long at(long[] c, Count which) {
        return c[which.ordinal()];
    }
}
