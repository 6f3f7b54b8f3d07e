package dev.sablegraph.concurrent;

import dev.sablegraph.core.MvccMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fifty threads mix read transactions (getNode, getEdge, edges, nodesByLabel, findNodes) with write
 * transactions (addNode, addEdge, setNodeProperty, deleteEdge, deleteNode) for a bounded number of
 * transactions, while the background collector runs. A watchdog fails the test, after dumping every
 * thread's stack, when the JVM finds a deadlock or no transaction has finished for 30 s; the whole
 * test is bounded by a preemptive timeout and the workers are daemons, so it cannot hang a build.
 *
 * <p>Besides liveness, every read transaction checks invariants that hold in any consistent
 * snapshot: the label scan is repeatable and always holds the fixed nodes nobody changes;
 * {@code findNodes} agrees with the label scan; the hub's {@code P} edges, added and deleted two at
 * a time, are even in number; every visible edge has both endpoints visible. The invariants are
 * checked again after a close and reopen, and last, once nothing runs, a collection must have
 * reclaimed every version chain and every stale index entry.
 */
class ManyThreadsNoDeadlockTest {
    private static final int THREADS = 50;
    private static final int TRANSACTIONS_PER_THREAD = Integer.getInteger("sable.test.manyThreadsTx", 200);
    private static final int FIXED = 40;
    private static final int GROUPS = 4;
    private static final String ITEM = "Item";

    @TempDir
    Path dir;

    private record Ids(long hub) {}

    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fiftyThreadsFinishWithoutDeadlockAndSeeConsistentSnapshots(LockStrategy strategy) throws Exception {
        ConcurrentGraphDB db = ConcurrencyTestSupport.open(dir, strategy);
        boolean quiescent = false;
        Ids ids;
        AtomicLong commits = new AtomicLong();
        AtomicLong conflicts = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        Runnable reclamationCheck;
        try {
            db.createIndex(ITEM, "fixed");
            db.createIndex(ITEM, "group");
            assertTrue(db.awaitIndexesOnline(java.time.Duration.ofMinutes(1)));
            try (Transaction tx = db.begin()) {
                long hub = tx.addNode(Set.of("Hub"), Map.of());
                for (int i = 0; i < 2 * FIXED; i++) {
                    // the first FIXED are never changed or deleted; the others are fair game
                    tx.addNode(Set.of(ITEM), Map.of("fixed", i < FIXED, "group", (long) (i % GROUPS)));
                }
                tx.commit();
                ids = new Ids(hub);
            }
            AtomicLong progress = new AtomicLong();
            ConcurrencyTestSupport.runWorkers("many-" + strategy, THREADS, index -> {
                SplittableRandom rnd = new SplittableRandom(1009L * index + strategy.ordinal());
                for (int t = 0; t < TRANSACTIONS_PER_THREAD; t++) {
                    if (rnd.nextInt(100) < 45) {
                        readTransaction(db, ids, rnd, violations);
                        reads.incrementAndGet();
                    } else {
                        try (Transaction tx = db.begin()) {
                            if (write(tx, ids, rnd)) {
                                tx.commit();
                                commits.incrementAndGet();
                            }
                        } catch (WriteConflictException e) {
                            conflicts.incrementAndGet();
                        }
                    }
                    progress.incrementAndGet();
                }
            }, progress, 30);
            quiescent = true;

            db.collectGarbage();
            SplittableRandom rnd = new SplittableRandom(7);
            for (int i = 0; i < 8; i++) {
                readTransaction(db, ids, rnd, violations);
            }
            assertTrue(violations.isEmpty(), () -> violations.size() + " invariant violations, first ones: "
                    + violations.stream().limit(5).toList());
            System.out.printf("ManyThreadsNoDeadlockTest[%s]: %d commits, %d conflicts, %d read transactions%n",
                    strategy, commits.get(), conflicts.get(), reads.get());
            reclamationCheck = reclamationCheck(db, strategy); // asserted last: it is not about concurrency
        } finally {
            if (quiescent) {
                db.close();
            }
        }
        try (ConcurrentGraphDB reopened = ConcurrencyTestSupport.open(dir, strategy)) {
            SplittableRandom rnd = new SplittableRandom(8);
            for (int i = 0; i < 8; i++) {
                readTransaction(reopened, ids, rnd, violations);
            }
            assertTrue(violations.isEmpty(), () -> "after reopen: " + violations.stream().limit(5).toList());
        }
        reclamationCheck.run();
    }

    /**
     * Once the threads are done and no transaction runs, one collection must leave no history in
     * memory and no stale index entry: every live item has exactly two property index entries
     * ("fixed" and "group" under label Item), the hub none. Deleted items whose group was changed
     * before their deletion are what catches a collector that purges a deleted node with only its
     * last state's index entries.
     */
    private static Runnable reclamationCheck(ConcurrentGraphDB db, LockStrategy strategy) {
        db.collectGarbage();
        db.collectGarbage();
        long liveItems;
        try (Transaction tx = db.begin()) {
            liveItems = tx.nodesByLabel(ITEM).size();
        }
        MvccMetrics m = db.metrics();
        System.out.printf("ManyThreadsNoDeadlockTest[%s]: after collection %s, %d live items, property index %d%n",
                strategy, m, liveItems, db.propertyIndexSize());
        long indexSize = db.propertyIndexSize();
        return () -> {
            assertEquals(0, m.versionChains(), () -> "no transaction runs, yet version chains remain: " + m);
            assertEquals(2 * liveItems, indexSize,
                    "property index entries after a full collection: 2 per live item expected, the rest are stale"
                            + " entries of deleted nodes' older states");
        };
    }

    /** One random write; false when there was nothing to do (the transaction is then rolled back). */
    private static boolean write(Transaction tx, Ids ids, SplittableRandom rnd) {
        List<Node> items = tx.nodesByLabel(ITEM);
        Node any = items.get(rnd.nextInt(items.size()));
        List<Node> mutable = items.stream().filter(n -> !(Boolean) n.properties().get("fixed")).toList();
        switch (rnd.nextInt(7)) {
            case 0 -> { // addNode, sometimes with an edge to an existing item
                long n = tx.addNode(Set.of(ITEM), Map.of("fixed", false, "group", (long) rnd.nextInt(GROUPS)));
                if (rnd.nextBoolean()) {
                    tx.addEdge(n, any.id(), "L", Map.of());
                }
            }
            case 1 -> { // a pair of hub edges, both or neither
                Node other = items.get(rnd.nextInt(items.size()));
                tx.addEdge(ids.hub(), any.id(), "P", Map.of());
                tx.addEdge(ids.hub(), other.id(), "P", Map.of("w", 1L));
            }
            case 2 -> { // delete a pair of hub edges
                List<Edge> pairs = tx.edges(ids.hub(), Direction.OUTGOING, "P");
                if (pairs.size() < 2) {
                    return false;
                }
                int i = rnd.nextInt(pairs.size());
                int j = (i + 1 + rnd.nextInt(pairs.size() - 1)) % pairs.size();
                tx.deleteEdge(pairs.get(i).id());
                tx.deleteEdge(pairs.get(j).id());
            }
            case 3 -> { // change a mutable item's group
                if (mutable.isEmpty()) {
                    return false;
                }
                Node n = mutable.get(rnd.nextInt(mutable.size()));
                tx.setNodeProperty(n.id(), "group", (long) rnd.nextInt(GROUPS));
            }
            case 4 -> { // delete a mutable item without edges
                if (mutable.isEmpty()) {
                    return false;
                }
                Node n = mutable.get(rnd.nextInt(mutable.size()));
                if (!tx.edges(n.id(), Direction.BOTH, null).isEmpty()) {
                    return false;
                }
                tx.deleteNode(n.id());
            }
            case 5 -> { // an L edge between two items
                Node other = items.get(rnd.nextInt(items.size()));
                long e = tx.addEdge(any.id(), other.id(), "L", Map.of());
                if (rnd.nextBoolean()) {
                    tx.setEdgeProperty(e, "w", 2L);
                }
            }
            default -> { // delete an L edge
                List<Edge> at = tx.edges(any.id(), Direction.BOTH, "L");
                if (at.isEmpty()) {
                    return false;
                }
                tx.deleteEdge(at.get(rnd.nextInt(at.size())).id());
            }
        }
        return true;
    }

    /** Reads in one snapshot and records every broken invariant. */
    private static void readTransaction(ConcurrentGraphDB db, Ids ids, SplittableRandom rnd,
            ConcurrentLinkedQueue<String> violations) {
        try (Transaction tx = db.begin()) {
            String at = "snapshot " + tx.snapshotTimestamp() + ": ";
            List<Node> items = tx.nodesByLabel(ITEM);
            long fixed = items.stream().filter(n -> (Boolean) n.properties().get("fixed")).count();
            if (fixed != FIXED) {
                violations.add(at + "nodesByLabel shows " + fixed + " of the " + FIXED + " fixed items");
            }
            Set<Long> itemIds = new TreeSet<>();
            for (Node n : items) {
                if (!itemIds.add(n.id())) {
                    violations.add(at + "nodesByLabel lists node " + n.id() + " twice");
                }
            }
            long group = rnd.nextInt(GROUPS);
            Set<Long> byScan = new TreeSet<>();
            items.stream().filter(n -> n.properties().get("group").equals(group)).forEach(n -> byScan.add(n.id()));
            Set<Long> byIndex = new TreeSet<>();
            tx.findNodes(ITEM, "group", group).forEach(n -> byIndex.add(n.id()));
            if (!byScan.equals(byIndex)) {
                violations.add(at + "findNodes(group=" + group + ") " + byIndex + " but the label scan has " + byScan);
            }

            List<Edge> hubEdges = tx.edges(ids.hub(), Direction.OUTGOING, "P");
            if (hubEdges.size() % 2 != 0) {
                violations.add(at + "the hub has an odd number of P edges: " + hubEdges.size());
            }
            checkEdges(tx, ids.hub(), hubEdges, violations, at);
            if (!hubEdges.isEmpty()) {
                Edge e = hubEdges.get(rnd.nextInt(hubEdges.size()));
                if (!itemIds.contains(e.to())) {
                    violations.add(at + "P edge " + e + " ends outside the label scan");
                }
            }

            for (int k = 0; k < 3 && !items.isEmpty(); k++) {
                Node n = items.get(rnd.nextInt(items.size()));
                Optional<Node> again = tx.getNode(n.id());
                if (!again.equals(Optional.of(n))) {
                    violations.add(at + "getNode(" + n.id() + ") = " + again + " but the label scan returned " + n);
                }
                checkEdges(tx, n.id(), tx.edges(n.id(), Direction.BOTH, null), violations, at);
            }

            List<Node> itemsAgain = tx.nodesByLabel(ITEM);
            if (!itemsAgain.equals(items)) {
                violations.add(at + "the label scan is not repeatable: " + items.size() + " then "
                        + itemsAgain.size() + " nodes");
            }
            List<Edge> hubAgain = tx.edges(ids.hub(), Direction.OUTGOING, "P");
            // edges() promises no order, so compare as sets of (equal) edges
            if (!Set.copyOf(hubAgain).equals(Set.copyOf(hubEdges))) {
                violations.add(at + "the hub's edges are not repeatable: " + hubEdges + " then " + hubAgain);
            }
            tx.commit();
        }
    }

    /** Each edge touches the node, reads back identically by id, and has both endpoints visible. */
    private static void checkEdges(Transaction tx, long node, List<Edge> edges, ConcurrentLinkedQueue<String> violations,
            String at) {
        Set<Long> seen = new TreeSet<>();
        for (Edge e : edges) {
            if (!seen.add(e.id())) {
                violations.add(at + "edge " + e.id() + " listed twice at node " + node);
            }
            if (e.from() != node && e.to() != node) {
                violations.add(at + "edge " + e + " listed at node " + node + " does not touch it");
            }
            Optional<Edge> byId = tx.getEdge(e.id());
            if (!byId.equals(Optional.of(e))) {
                violations.add(at + "getEdge(" + e.id() + ") = " + byId + " but edges() returned " + e);
            }
            for (long end : new long[] {e.from(), e.to()}) {
                if (tx.getNode(end).isEmpty()) {
                    violations.add(at + "edge " + e + " is visible but its endpoint " + end + " is not");
                }
            }
        }
    }
}
