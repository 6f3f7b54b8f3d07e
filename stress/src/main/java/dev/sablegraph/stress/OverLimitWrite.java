package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A few times a second, a write one beyond a stored format's limit (README, "Limits": 65,535 labels
 * of a node, 65,535 properties of a node or an edge): a node with 65,536 labels, a node with 65,536
 * properties, or an edge with 65,536 properties. The call must throw {@link IllegalArgumentException}
 * and change nothing: the same transaction then adds an ordinary item and commits it (a new node
 * never conflicts). A new snapshot must show the item and nothing of the refused write; the refused
 * node's label is also one {@code RollbackInvariant} looks for everywhere.
 */
final class OverLimitWrite implements Operation {
    /** Carried by every refused node; none may ever be visible. */
    static final String LABEL = "OverLimit";
    /** The type of every refused edge, at a counter node. */
    static final String EDGE_TYPE = "OVER_LIMIT";
    /** One more than the 16-bit counts the formats store. */
    static final int ONE_TOO_MANY = 65_536;

    /** Built once: 65,536 strings are cheap to keep and slow to make for every attempt. */
    private static final class TooMany {
        static final Set<String> LABELS = labels();
        static final Map<String, Object> PROPERTIES = properties();

        private static Set<String> labels() {
            Set<String> s = new HashSet<>();
            s.add(LABEL);
            for (int i = 1; i < ONE_TOO_MANY; i++) {
                s.add(LABEL + i);
            }
            return Set.copyOf(s);
        }

        private static Map<String, Object> properties() {
            Map<String, Object> m = new HashMap<>();
            for (int i = 0; i < ONE_TOO_MANY; i++) {
                m.put("k" + i, (long) i);
            }
            return Map.copyOf(m);
        }
    }

    private final Context ctx;
    private final Every turn = new Every(Duration.ofMillis(200));

    OverLimitWrite(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return "over-limit write";
    }

    @Override
    public void run(SplittableRandom rnd) {
        if (!turn.take(System.nanoTime())) {
            return;
        }
        ctx.faults().record(FaultStats.Count.OVER_LIMIT_TRIED);
        long counter = ctx.fixture().counters()[rnd.nextInt(ctx.fixture().counters().length)];
        int kind = rnd.nextInt(3);
        long item;
        try (Transaction tx = ctx.db().begin()) {
            String what = switch (kind) {
                case 0 -> "addNode with " + ONE_TOO_MANY + " labels";
                case 1 -> "addNode with " + ONE_TOO_MANY + " properties";
                default -> "addEdge with " + ONE_TOO_MANY + " properties";
            };
            try {
                switch (kind) {
                    case 0 -> tx.addNode(TooMany.LABELS, Map.of());
                    case 1 -> tx.addNode(Set.of(LABEL), TooMany.PROPERTIES);
                    default -> tx.addEdge(counter, counter, EDGE_TYPE, TooMany.PROPERTIES);
                }
                violation(-1, what + " was accepted");
                return; // closing rolls it back
            } catch (IllegalArgumentException expected) {
                // refused at the call, as the limit says
            }
            item = tx.addNode(Set.of(Fixture.ITEM), Items.newProperties(rnd));
            tx.commit();
        }
        ctx.stats().commits.increment();
        try (Transaction tx = ctx.db().begin()) {
            long s = tx.snapshotTimestamp();
            if (!tx.nodesByLabel(LABEL).isEmpty()) {
                violation(s, tx.nodesByLabel(LABEL).size() + " node(s) labelled " + LABEL + " are visible");
                return;
            }
            if (!tx.edges(counter, Direction.BOTH, EDGE_TYPE).isEmpty()) {
                violation(s, "counter node " + counter + " has a visible " + EDGE_TYPE + " edge");
                return;
            }
            if (tx.getNode(item).isEmpty()) {
                violation(s, "item " + item + ", committed after a refused write in the same transaction, is not"
                        + " visible although its commit returned");
                return;
            }
        }
        ctx.pool().created(item, rnd); // only now: churn may delete it once it is in the pool
        ctx.faults().record(FaultStats.Count.OVER_LIMIT_REFUSED);
    }

    private void violation(long snapshot, String details) {
        ctx.violations().add(new Violation("fault-over-limit", snapshot, details));
    }
}
