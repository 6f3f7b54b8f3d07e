package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Now and then (the first within a few seconds, so that crash children get one too, then every
 * 20 s) a transaction that needs more pages than the page cache holds. The cache steals: the dirty
 * pages it evicts go to the spill file (docs/durability.md, "Steal to the spill file"), so such a
 * transaction commits like any other, and a new snapshot must then see all of it: every node, each
 * with its payload. If its commit threw instead (an interrupt of this worker, or a bug), nothing of
 * it may be visible, and the worker judges the throw. In every snapshot, in the periodic checks and
 * after every recovery alike, each attempt is visible whole or not at all ({@code RollbackInvariant}):
 * a crash may take back one whose commit had not returned, never part of one.
 *
 * <p>Cleanup: the nodes are half a page each and would pile up over a long run, so an attempt
 * deletes its nodes again right after verifying them, in one transaction (all or nothing, like the
 * first). Nodes left behind, because that deletion threw or a crash came first, are deleted at the
 * start of the next attempt. Attempts run one at a time, so that sweep never takes the nodes of an
 * attempt still verifying, and an attempt's label is unique among the visible ones although the
 * attempt numbers restart in every process.
 *
 * <p>Sizing: each node carries an incompressible payload of just over half a page, so no two of
 * its records can share a page whatever the store's layout (today they go to overflow pages of
 * their own); {@link Sizing#nodes} of them need more pages than the cache holds. The write set and
 * the commit record are each about 0.6 × the cache, and while it commits the heap also holds a copy
 * of every page it dirties (to take it back on failure), so it is only done when the record fits a
 * log segment with room to spare ({@link Sizing#feasible}); otherwise the fault is off.
 */
final class OversizedTransaction implements Operation {
    /** Carried by every node of every attempt, with the attempt's own label {@code Oversized-N}. */
    static final String LABEL = "Oversized";
    /** Property: the node's index within its attempt, 0 to {@link #SIZE} - 1. */
    static final String INDEX = "i";
    /** Property: how many nodes its attempt wrote, so that any snapshot can tell a whole attempt from part of one. */
    static final String SIZE = "of";
    /** Property: the payload, the same bytes in every node of an attempt. */
    static final String PAYLOAD = "pad";

    private static final String ATTEMPT_LABEL_PREFIX = LABEL + "-";

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

        /**
         * Cheap enough, and its record fits a log segment: a larger one would be refused for the
         * record's size, which is the over-limit kind of failure, not this fault's.
         */
        boolean feasible(GraphConfig config) {
            return recordBytes() <= config.walSegmentBytes() / 4 * 3;
        }
    }

    private final Context ctx;
    private final Sizing sizing;
    private final Every turn;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicBoolean attemptRunning = new AtomicBoolean();

    OversizedTransaction(Context ctx, Sizing sizing, SplittableRandom rnd) {
        this.ctx = ctx;
        this.sizing = sizing;
        this.turn = new Every(Duration.ofMillis(500 + rnd.nextInt(2_500)), Duration.ofSeconds(20));
    }

    @Override
    public String name() {
        return "oversized transaction";
    }

    /** The attempt's own label of a node of an oversized transaction ({@code Oversized-N}), or null if it has none. */
    static String attemptLabel(Node n) {
        for (String label : n.labels()) {
            if (label.startsWith(ATTEMPT_LABEL_PREFIX)) {
                return label;
            }
        }
        return null;
    }

    @Override
    public void run(SplittableRandom rnd) {
        if (!attemptRunning.compareAndSet(false, true)) {
            return; // one at a time: the sweep of left-over nodes must not take those of an attempt in progress
        }
        try {
            if (turn.take(System.nanoTime())) {
                attempt(rnd);
            }
        } finally {
            attemptRunning.set(false);
        }
    }

    private void attempt(SplittableRandom rnd) {
        deleteAll(LABEL); // whatever an earlier attempt left: its deletion threw, or a crash came first
        ctx.faults().record(FaultStats.Count.OVERSIZED_TRIED);
        String unique = ATTEMPT_LABEL_PREFIX + attempts.incrementAndGet();
        byte[] payload = new byte[sizing.payloadBytes()];
        rnd.nextBytes(payload); // incompressible: lz4 must not shrink it below half a page
        Set<String> labels = Set.of(LABEL, unique);
        RuntimeException thrown = null;
        try (Transaction tx = ctx.db().begin()) {
            for (int i = 0; i < sizing.nodes(); i++) {
                tx.addNode(labels, Map.of(INDEX, (long) i, SIZE, (long) sizing.nodes(), PAYLOAD, payload));
            }
            try {
                tx.commit();
            } catch (RuntimeException e) {
                thrown = e;
            }
        }
        if (thrown != null) {
            expectNoneVisible(unique, thrown);
            throw thrown; // the worker decides: excused if an interrupt of this thread caused it, else a violation
        }
        ctx.stats().commits.increment();
        if (visibleWhole(unique, payload)) {
            ctx.faults().record(FaultStats.Count.OVERSIZED_COMMITTED);
            deleteAll(unique); // after a violation its nodes stay, for inspection
        }
    }

    /** A commit that threw left nothing: no node with the attempt's label. */
    private void expectNoneVisible(String unique, RuntimeException thrown) {
        try (Transaction tx = ctx.db().begin()) {
            long left = tx.countNodes(unique);
            if (left != 0) {
                violation(tx.snapshotTimestamp(), left + " of its " + sizing.nodes() + " nodes (label " + unique
                        + ") are visible although its commit threw " + thrown);
            }
        }
    }

    /** A commit that returned shows whole in a new snapshot: every node once, each with its payload. */
    private boolean visibleWhole(String unique, byte[] payload) {
        try (Transaction tx = ctx.db().begin(); Stream<Node> nodes = tx.streamNodesByLabel(unique)) {
            VisibleSet set = new VisibleSet(unique);
            long wrongPayloads = 0;
            long firstWrong = -1;
            for (Iterator<Node> it = nodes.iterator(); it.hasNext();) {
                Node n = it.next();
                set.add(n);
                if (!(n.properties().get(PAYLOAD) instanceof byte[] stored && Arrays.equals(stored, payload))) {
                    if (firstWrong < 0) {
                        firstWrong = n.id();
                    }
                    wrongPayloads++;
                }
            }
            String problem = set.problem();
            if (problem == null && wrongPayloads > 0) {
                problem = unique + ": " + wrongPayloads + " node(s) do not hold the payload committed, the first node "
                        + firstWrong;
            }
            if (problem != null) {
                violation(tx.snapshotTimestamp(), "a transaction of " + sizing.nodes() + " nodes of "
                        + sizing.payloadBytes() + " bytes (more pages than the cache's " + sizing.cachePages()
                        + ") committed, but a new snapshot does not show all of it: " + problem);
                return false;
            }
            return true;
        }
    }

    /**
     * Deletes every node with the label in one transaction, which must then show in a new snapshot.
     * Oversized nodes have no edges, and nothing else writes them, so this neither fails on edges
     * nor conflicts.
     */
    private void deleteAll(String label) {
        long deleted;
        try (Transaction tx = ctx.db().begin()) {
            List<Long> ids;
            try (Stream<Node> nodes = tx.streamNodesByLabel(label)) {
                ids = nodes.map(Node::id).toList();
            }
            if (ids.isEmpty()) {
                return;
            }
            ids.forEach(tx::deleteNode);
            tx.commit();
            deleted = ids.size();
        }
        ctx.stats().commits.increment();
        try (Transaction tx = ctx.db().begin()) {
            long left = tx.countNodes(label);
            if (left != 0) {
                violation(tx.snapshotTimestamp(), "the deletion of " + deleted + " nodes labelled " + label
                        + " committed, yet " + left + " are still visible");
            }
        }
    }

    private void violation(long snapshot, String details) {
        ctx.violations().add(new Violation("fault-oversized", snapshot, details));
    }

    /**
     * The nodes of one attempt that a snapshot shows, taken one at a time so that no check holds
     * an attempt's tens of megabytes at once: whole when every node names the same {@link #SIZE}
     * and each index below it shows exactly once.
     */
    static final class VisibleSet {
        private final String label;
        private final BitSet indexes = new BitSet();
        private long count;
        /** The size the first node named; -1 before any. */
        private long size = -1;
        /** The first node that does not fit the set, said in words; null while all fit. */
        private String misfit;

        VisibleSet(String label) {
            this.label = label;
        }

        void add(Node n) {
            count++;
            if (misfit != null) {
                return;
            }
            if (!(n.properties().get(INDEX) instanceof Long index) || !(n.properties().get(SIZE) instanceof Long of)
                    || index < 0 || index >= of || of > Integer.MAX_VALUE) {
                misfit = "node " + n.id() + " has no index within its size: " + INDEX + "=" + n.properties().get(INDEX)
                        + ", " + SIZE + "=" + n.properties().get(SIZE);
            } else if (size >= 0 && of != size) {
                misfit = "node " + n.id() + " says its transaction wrote " + of + " nodes, an earlier one " + size;
            } else if (indexes.get(index.intValue())) {
                misfit = "node " + n.id() + " repeats index " + index;
            } else {
                size = of;
                indexes.set(index.intValue());
            }
        }

        /** Null when whole; otherwise what is missing or wrong, naming the attempt's label. */
        String problem() {
            if (misfit != null) {
                return label + ": " + misfit;
            }
            if (count == 0) {
                return label + ": none of its nodes is visible";
            }
            if (count != size) {
                return label + ": " + count + " of its " + size + " nodes are visible (first missing index "
                        + indexes.nextClearBit(0) + ")";
            }
            return null;
        }
    }
}
