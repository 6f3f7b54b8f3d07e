package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Reads in one snapshot and checks what it read: point lookups (getNode, getEdge, edges), the bank
 * total, a counter's bounds, the edges around a few items, an index lookup against a label scan,
 * a traversal against edges(), no rolled-back write. Every read is a check, so readers are the
 * invariant checkers.
 */
final class ReadCheck implements Operation {
    private static final Direction[] DIRECTIONS = Direction.values();

    private final Context ctx;
    private final BankInvariant bank;
    private final CounterInvariant counters;
    private final Semaphore scanner = new Semaphore(1);

    ReadCheck(Context ctx) {
        this.ctx = ctx;
        this.bank = new BankInvariant(ctx.fixture().accounts());
        this.counters = new CounterInvariant(ctx.fixture().counters(), ctx.ledger());
    }

    @Override
    public String name() {
        return "read check";
    }

    @Override
    public void run(SplittableRandom rnd) {
        int r = rnd.nextInt(100);
        List<Violation> found;
        if (r < 12) { // begins its own snapshot, after reading the lower bound
            found = counters.check(ctx.db()::begin, rnd.nextInt(ctx.fixture().counters().length));
        } else {
            try (Transaction tx = ctx.db().begin()) {
                if (r < 42) {
                    found = lookup(tx, rnd);
                } else if (r < 60) {
                    found = edgesAround(tx, rnd);
                } else if (r < 78) {
                    long start = ctx.pool().pick(rnd);
                    found = start < 0 ? List.of() : TraversalInvariant.check(tx, start,
                            DIRECTIONS[rnd.nextInt(DIRECTIONS.length)], 1 + rnd.nextInt(3), rnd);
                } else if (r < 92) {
                    found = bank.check(tx, rnd.nextBoolean());
                } else if (r < 96) {
                    found = oneScanAtATime(tx, rnd, () -> propertyIndexCheck(tx, rnd));
                } else if (r < 98) {
                    found = oneScanAtATime(tx, rnd, () -> IndexInvariant.checkHot(tx));
                } else { // reads every node of an oversized transaction while one is visible
                    found = oneScanAtATime(tx, rnd, () -> RollbackInvariant.check(tx));
                }
            }
        }
        ctx.stats().checks.increment();
        ctx.violations().addAll(found);
    }

    /**
     * A check that reads a whole population (the index checks: every item; the rollback check: every
     * node of a visible oversized transaction), by one thread at a time: with a large
     * {@code --items} unlimited scans would be all the workload did. A worker that finds the
     * scanner busy does a lookup instead.
     */
    private List<Violation> oneScanAtATime(Transaction tx, SplittableRandom rnd, Supplier<List<Violation>> scan) {
        if (!scanner.tryAcquire()) {
            return lookup(tx, rnd);
        }
        try {
            return scan.get();
        } finally {
            scanner.release();
        }
    }

    /** A property index against a full label scan of the items. */
    private static List<Violation> propertyIndexCheck(Transaction tx, SplittableRandom rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> IndexInvariant.check(tx, Items.GROUP, (long) rnd.nextInt(Fixture.GROUPS));
            case 1 -> IndexInvariant.check(tx, Items.TAG, Items.tag(rnd));
            default -> IndexInvariant.check(tx, Items.RUN, Items.run(rnd));
        };
    }

    /** getNode of an item and its content; getEdge of one of its edges and that edge's consistency. */
    private List<Violation> lookup(Transaction tx, SplittableRandom rnd) {
        long id = ctx.pool().pick(rnd);
        if (id < 0) {
            return List.of();
        }
        Optional<Node> n = tx.getNode(id);
        if (n.isEmpty()) {
            return List.of();
        }
        List<Violation> out = new ArrayList<>();
        String bad = Items.contentProblem(n.get());
        if (bad != null) {
            out.add(new Violation("item-content", tx.snapshotTimestamp(), bad));
        }
        List<Edge> edges = tx.edges(id, DIRECTIONS[rnd.nextInt(DIRECTIONS.length)], Fixture.LINK);
        if (!edges.isEmpty()) {
            out.addAll(EdgeInvariant.checkEdge(tx, id, edges.get(rnd.nextInt(edges.size()))));
        }
        return out;
    }

    private List<Violation> edgesAround(Transaction tx, SplittableRandom rnd) {
        List<Violation> out = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            long id = ctx.pool().pick(rnd);
            if (id >= 0) {
                out.addAll(EdgeInvariant.checkAround(tx, id));
            }
        }
        return out;
    }
}
