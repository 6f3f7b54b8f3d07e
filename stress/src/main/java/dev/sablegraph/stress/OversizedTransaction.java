package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.Node;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Now and then (the first within a few seconds, so that crash children get one too, then every
 * 20 s) a transaction too large for the page cache: under no-steal a commit's pages stay in the
 * cache until the next checkpoint, so one that needs more pages than the cache has must fail with
 * a {@link GraphException} naming the page cache, be taken back whole, and leave the database
 * usable. Afterwards a new snapshot must see none of its nodes (its label is unique to the
 * attempt); {@code RollbackInvariant} also looks for the common label in every check and after
 * every recovery.
 *
 * <p>Sizing: each node carries an incompressible payload of just over half a page, so no two of
 * its records can share a page whatever the store's layout (today they go to overflow pages of
 * their own); {@link Sizing#nodes} of them need more pages than the cache holds. That costs about
 * 0.6 × the cache in heap and commit record, so it is only done when the record fits a log segment
 * with room to spare ({@link Sizing#feasible}); otherwise the fault is off.
 */
final class OversizedTransaction implements Operation {
    /** Carried by every node of every oversized transaction; none may ever be visible. */
    static final String LABEL = "Oversized";

    /** How big one attempt is for a given cache. */
    record Sizing(int nodes, int payloadBytes, long cachePages) {
        static Sizing of(GraphConfig config) {
            long pages = config.pageCacheBytes() / config.pageSize();
            long nodes = pages + pages / 8 + 1;
            return new Sizing((int) Math.min(Integer.MAX_VALUE, nodes), config.pageSize() / 2 + 64, pages);
        }

        /** The commit record's approximate size: mostly the payloads. */
        long recordBytes() {
            return (long) nodes * (payloadBytes + 64);
        }

        /** Cheap enough, and refused for the page cache, not first for a record too large for the log. */
        boolean feasible(GraphConfig config) {
            return recordBytes() <= config.walSegmentBytes() / 4 * 3;
        }
    }

    private final Context ctx;
    private final Sizing sizing;
    private final Every turn;
    private final AtomicLong attempts = new AtomicLong();

    OversizedTransaction(Context ctx, Sizing sizing, SplittableRandom rnd) {
        this.ctx = ctx;
        this.sizing = sizing;
        this.turn = new Every(Duration.ofMillis(500 + rnd.nextInt(2_500)), Duration.ofSeconds(20));
    }

    @Override
    public String name() {
        return "oversized transaction";
    }

    @Override
    public void run(SplittableRandom rnd) {
        if (!turn.take(System.nanoTime())) {
            return;
        }
        ctx.faults().record(FaultStats.Count.OVERSIZED_TRIED);
        String unique = LABEL + "-" + attempts.incrementAndGet();
        byte[] payload = new byte[sizing.payloadBytes()];
        rnd.nextBytes(payload); // incompressible: lz4 must not shrink it below half a page
        Set<String> labels = Set.of(LABEL, unique);
        RuntimeException thrown = null;
        try (Transaction tx = ctx.db().begin()) {
            for (int i = 0; i < sizing.nodes(); i++) {
                tx.addNode(labels, Map.of("i", (long) i, "pad", payload));
            }
            try {
                tx.commit();
            } catch (RuntimeException e) {
                thrown = e;
            }
        }
        if (thrown == null) {
            violation(-1, "a transaction of " + sizing.nodes() + " nodes of " + sizing.payloadBytes()
                    + " bytes committed, although it needs more pages than the cache's " + sizing.cachePages());
            return;
        }
        // Whatever commit threw, nothing of the transaction may be visible.
        try (Transaction tx = ctx.db().begin()) {
            List<Node> left = tx.nodesByLabel(unique);
            if (!left.isEmpty()) {
                violation(tx.snapshotTimestamp(), left.size() + " of its " + sizing.nodes() + " nodes (label " + unique
                        + ") are visible although its commit threw " + thrown);
                return;
            }
        }
        if (!(thrown instanceof GraphException) || thrown.getMessage() == null
                || !thrown.getMessage().contains("page cache")) {
            throw thrown; // the worker decides: excused if an interrupt of this thread caused it, else a violation
        }
        ctx.faults().record(FaultStats.Count.OVERSIZED_REFUSED);
    }

    private void violation(long snapshot, String details) {
        ctx.violations().add(new Violation("fault-oversized", snapshot, details));
    }
}
