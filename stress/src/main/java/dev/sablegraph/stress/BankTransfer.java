package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.WriteConflictException;
import java.util.SplittableRandom;

/**
 * Moves a random amount between two random accounts, retrying a few times on a write conflict (the
 * accounts are few, so with many threads conflicts are the common case, as intended). A transfer
 * the source cannot cover is skipped, so a negative balance can only come from a lost update.
 */
final class BankTransfer implements Operation {
    private static final int ATTEMPTS = 5;

    private final Context ctx;

    BankTransfer(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return "bank transfer";
    }

    @Override
    public void run(SplittableRandom rnd) {
        long[] accounts = ctx.fixture().accounts();
        int a = rnd.nextInt(accounts.length);
        int b = (a + 1 + rnd.nextInt(accounts.length - 1)) % accounts.length;
        long amount = 1 + rnd.nextInt(100);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (Transaction tx = ctx.db().begin()) {
                long from = Fixture.longProperty(tx, accounts[a], "balance");
                long to = Fixture.longProperty(tx, accounts[b], "balance");
                if (from < amount) {
                    ctx.stats().idle.increment();
                    return;
                }
                tx.setNodeProperty(accounts[a], "balance", from - amount);
                tx.setNodeProperty(accounts[b], "balance", to + amount);
                tx.commit();
                ctx.stats().commits.increment();
                return;
            } catch (WriteConflictException e) {
                ctx.stats().conflict(this);
            }
            Backoff.pause(attempt, rnd);
        }
    }
}
