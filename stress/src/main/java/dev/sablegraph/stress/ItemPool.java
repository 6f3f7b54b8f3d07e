package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Node;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

/**
 * Ids of items recently created, for operations to pick from without scanning the label. Slots may
 * hold ids deleted since: an operation that finds its pick invisible in its snapshot skips it. The
 * live count is approximate (it drives how often churn adds or deletes, nothing is checked on it).
 */
final class ItemPool {
    private static final int SLOTS = 4096;

    private final AtomicLongArray slots = new AtomicLongArray(SLOTS);
    private final AtomicLong live = new AtomicLong();

    ItemPool() {
        for (int i = 0; i < SLOTS; i++) {
            slots.set(i, -1);
        }
    }

    /** Fills the pool from the items a snapshot holds (a reservoir sample when there are more). */
    void refill(Transaction tx, SplittableRandom rnd) {
        long n = 0;
        try (Stream<Node> items = tx.streamNodesByLabel(Fixture.ITEM)) {
            for (Iterator<Node> it = items.iterator(); it.hasNext(); n++) {
                long id = it.next().id();
                if (n < SLOTS) {
                    slots.set((int) n, id);
                } else {
                    long j = rnd.nextLong(n + 1);
                    if (j < SLOTS) {
                        slots.set((int) j, id);
                    }
                }
            }
        }
        live.set(n);
    }

    void created(long id, SplittableRandom rnd) {
        slots.set(rnd.nextInt(SLOTS), id);
        live.incrementAndGet();
    }

    void deleted() {
        live.decrementAndGet();
    }

    /** A random remembered id, or -1 when none is remembered yet. */
    long pick(SplittableRandom rnd) {
        for (int tries = 0; tries < 4; tries++) {
            long id = slots.get(rnd.nextInt(SLOTS));
            if (id >= 0) {
                return id;
            }
        }
        return -1;
    }

    long live() {
        return live.get();
    }
}
