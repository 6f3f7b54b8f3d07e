package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.WriteConflictException;
import java.util.SplittableRandom;

/**
 * Increments one of the counters by read-modify-write, retrying on conflicts. The ledger hears
 * "attempting" just before {@code commit()} (from then on the increment may be visible), then
 * "acknowledged" when it returned or "failed" when it threw a write conflict (nothing installed).
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
            boolean committing = false;
            try (Transaction tx = ctx.db().begin()) {
                long v = Fixture.count(tx, id);
                tx.setNodeProperty(id, "count", v + 1);
                ctx.ledger().attempting(c);
                committing = true;
                tx.commit();
                ctx.ledger().acknowledged(c);
                ctx.stats().commits.increment();
                return;
            } catch (WriteConflictException e) {
                if (committing) {
                    ctx.ledger().failed(c);
                }
                ctx.stats().conflict(this);
            }
            Backoff.pause(attempt, rnd);
        }
    }
}
