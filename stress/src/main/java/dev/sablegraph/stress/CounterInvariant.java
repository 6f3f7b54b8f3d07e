package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import java.util.List;
import java.util.function.Supplier;

/**
 * A counter's value lies between the increments acknowledged before the snapshot began and those
 * attempted by the time it was read. Below: an increment whose commit returned was lost (or the
 * snapshot missed a published commit). Above: a commit that failed, or was never made, shows. The
 * bounds come from the workers' own bookkeeping, not from the database.
 */
final class CounterInvariant {
    static final String NAME = "counter";

    private final long[] counters;
    private final CounterLedger ledger;

    CounterInvariant(long[] counters, CounterLedger ledger) {
        this.counters = counters.clone();
        this.ledger = ledger;
    }

    /** Begins its own snapshot: the lower bound must be read before the snapshot exists. */
    List<Violation> check(Supplier<Transaction> begin, int c) {
        long lo = ledger.lowerBound(c);
        try (Transaction tx = begin.get()) {
            long v = Fixture.count(tx, counters[c]);
            long hi = ledger.upperBound(c);
            return verdict(c, counters[c], v, lo, hi, tx.snapshotTimestamp());
        }
    }

    static List<Violation> verdict(int c, long id, long value, long lo, long hi, long snapshot) {
        if (value >= lo && value <= hi) {
            return List.of();
        }
        String bound = lo == hi ? "exactly " + lo : "within [" + lo + ", " + hi + "]";
        return List.of(new Violation(NAME, snapshot, "counter " + c + " (node " + id + ") is " + value
                + ", expected " + bound + (value < lo ? ": acknowledged increments lost" : ": unacknowledged"
                        + " or failed increments visible")));
    }
}
