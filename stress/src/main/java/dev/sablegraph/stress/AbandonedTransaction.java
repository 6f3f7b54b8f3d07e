package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.WriteConflictException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ten times a second, a transaction begun, read from, sometimes written to, and dropped without
 * {@code close()}: the leak every application has somewhere. Once the garbage collector finds it
 * unreachable the database must roll it back and release its snapshot (its lease is a phantom
 * reference the database polls; {@code MvccMetrics.abandonedTransactions}). Its writes are ones the invariants look for: an
 * {@code Aborted} node (RollbackInvariant) or a counter raised by a million (CounterInvariant).
 *
 * <p>At most {@value #MAX_OUTSTANDING} are dropped and not yet rolled back at a time, far below
 * {@code maxOpenTransactions}; at the cap the turn calls {@code System.gc()} instead (at most every
 * two seconds), and a cap held for {@value #STUCK_SECONDS} s is a violation: the dropped
 * transactions are not being rolled back. At the end of a run {@link OpenTransactionsCheck} wants
 * every one rolled back and no transaction open.
 */
final class AbandonedTransaction implements Operation {
    static final int MAX_OUTSTANDING = 64;
    static final int STUCK_SECONDS = 60;
    /** Added to a counter by a write that must never be seen: far above what any run attempts. */
    static final long PHANTOM_INCREMENT = 1_000_000;

    private final Context ctx;
    private final Every turn = new Every(Duration.ofMillis(100));
    private final Every gc = new Every(Duration.ZERO, Duration.ofSeconds(2));
    /** When the cap was first met in the current stretch of meeting it; 0 while below. */
    private final AtomicLong atCapSince = new AtomicLong();

    AbandonedTransaction(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return "abandoned transaction";
    }

    @Override
    public void run(SplittableRandom rnd) {
        long now = System.nanoTime();
        if (!turn.take(now)) {
            return;
        }
        long outstanding = ctx.faults().get(FaultStats.Count.ABANDONED)
                - ctx.faults().rolledBack(ctx.db().metrics().abandonedTransactions());
        if (outstanding >= MAX_OUTSTANDING) {
            atCap(now, outstanding);
            return;
        }
        atCapSince.set(0);
        drop(rnd);
        ctx.faults().record(FaultStats.Count.ABANDONED);
    }

    /** Begins a transaction and lets go of it; it is unreachable once this returns. */
    private void drop(SplittableRandom rnd) {
        Transaction tx = ctx.db().begin();
        int c = rnd.nextInt(ctx.fixture().counters().length);
        long id = ctx.fixture().counters()[c];
        long count = Fixture.count(tx, id);
        try {
            switch (rnd.nextInt(3)) {
                case 0 -> tx.addNode(Set.of(Fixture.ABORTED), Map.of("abandoned", true));
                case 1 -> tx.setNodeProperty(id, "count", count + PHANTOM_INCREMENT);
                default -> { } // a reader's snapshot only
            }
        } catch (WriteConflictException e) {
            // the counter changed since the snapshot: dropped all the same
        }
    }

    private void atCap(long now, long outstanding) {
        if (gc.take(now)) {
            System.gc(); // a quiet heap may go long without a collection; the reclamation needs one
        }
        atCapSince.compareAndSet(0, now);
        long since = atCapSince.get();
        if (since != 0 && now - since > TimeUnit.SECONDS.toNanos(STUCK_SECONDS)
                && atCapSince.compareAndSet(since, now)) { // at most once a minute
            ctx.violations().add(new Violation("abandoned-transactions", -1, outstanding + " dropped transactions"
                    + " are not rolled back " + STUCK_SECONDS + " s and several System.gc() later; open: "
                    + ctx.db().openTransactions()));
        }
    }
}
