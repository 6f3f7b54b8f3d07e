package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.WriteConflictException;
import java.util.SplittableRandom;

/**
 * Increments one of the counters by read-modify-write, retrying on conflicts. The ledger hears
 * "attempting" just before {@code commit()} (from then on the increment may be visible), then
 * "acknowledged" when it returned or "failed" when it threw (a write conflict, or anything else:
 * a commit that threw installed nothing, so the increment must never show).
 */
final class CounterIncrement implements Operation {
    private static final int ATTEMPTS = 10;

    private final Context ctx;

    CounterIncrement(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return "counter increment";
    }

    @Override
    public void run(SplittableRandom rnd) {
        int c = rnd.nextInt(ctx.fixture().counters().length);
        long id = ctx.fixture().counters()[c];
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (Transaction tx = ctx.db().begin()) {
                long v = Fixture.count(tx, id);
                tx.setNodeProperty(id, "count", v + 1);
                ctx.ledger().attempting(c);
                try {
                    tx.commit();
                } catch (RuntimeException | Error e) {
                    // A commit that threw, for whatever reason, left nothing (docs/durability.md): the
                    // increment must not show. A conflict is retried; anything else goes to the worker.
                    ctx.ledger().failed(c);
                    throw e;
                }
                ctx.ledger().acknowledged(c);
                ctx.stats().commits.increment();
                return;
            } catch (WriteConflictException e) {
                ctx.stats().conflict(this);
            }
            Backoff.pause(attempt, rnd);
        }
    }
}
