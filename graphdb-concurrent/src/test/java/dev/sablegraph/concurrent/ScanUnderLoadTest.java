package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scans and counts while writers add and delete nodes and edges and the collector purges them
 * (every millisecond): within one transaction the counts agree with the scans, every degree with
 * its edge list, the out-degrees add up to the edge count, and asking again after other commits
 * gives the same answers.
 */
class ScanUnderLoadTest {
    private static final int HUBS = 8;
    private static final int WRITERS = 2;
    private static final int READERS = 2;
    private static final int WRITES_PER_WRITER = 400;
    private static final int READS_PER_READER = 60;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void countsAgreeWithScansWhileOthersCommitAndTheCollectorPurges(LockStrategy strategy) throws Exception {
        GraphConfig config = GraphConfig.builder().lockStrategy(strategy).pageCacheBytes(16 << 20).gcIntervalMillis(1).build();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config)) {
            List<Long> hubs = new ArrayList<>();
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < HUBS; i++) {
                    hubs.add(tx.addNode(Set.of("Hub"), Map.of()));
                }
                tx.commit();
            }
            AtomicLong progress = new AtomicLong();
            ConcurrencyTestSupport.runWorkers("scan-" + strategy, WRITERS + READERS, index -> {
                SplittableRandom rnd = new SplittableRandom(index);
                if (index < WRITERS) {
                    for (int i = 0; i < WRITES_PER_WRITER; i++) {
                        write(db, hubs.get(rnd.nextInt(HUBS)), rnd);
                        progress.incrementAndGet();
                    }
                } else {
                    for (int i = 0; i < READS_PER_READER; i++) {
                        try (Transaction tx = db.begin()) {
                            Answers first = Answers.of(tx, hubs);
                            Thread.yield(); // let writers commit in between
                            assertEquals(first, Answers.of(tx, hubs), "one snapshot, two answers");
                        }
                        progress.incrementAndGet();
                    }
                }
            }, progress, 60);
            assertEquals(List.of(), db.checkIntegrity().problems());
        }
    }

    /** Adds a leaf with an edge (sometimes a self-loop at the hub), or deletes an edge and perhaps its leaf. */
    private static void write(ConcurrentGraphDB db, long hub, SplittableRandom rnd) {
        try (Transaction tx = db.begin()) {
            List<Edge> edges = tx.edges(hub, Direction.BOTH, null);
            if (edges.isEmpty() || rnd.nextInt(3) > 0) {
                long leaf = tx.addNode(Set.of("Leaf"), Map.of("n", rnd.nextInt(5)));
                if (rnd.nextInt(5) == 0) {
                    tx.addEdge(hub, hub, "SELF", Map.of());
                } else if (rnd.nextBoolean()) {
                    tx.addEdge(hub, leaf, "OUT", Map.of());
                } else {
                    tx.addEdge(leaf, hub, "IN", Map.of());
                }
            } else {
                Edge e = edges.get(rnd.nextInt(edges.size()));
                tx.deleteEdge(e.id());
                long other = e.from() == hub ? e.to() : e.from();
                if (other != hub && tx.degree(other, Direction.BOTH) == 0) {
                    tx.deleteNode(other);
                }
            }
            tx.commit();
        } catch (WriteConflictException e) {
            // another writer came first: fine here
        }
    }

    /** What one transaction answers, checked for agreement as it is read. */
    private record Answers(long nodes, long edges, List<Long> degrees, List<Long> labelCounts) {
        static Answers of(Transaction tx, List<Long> hubs) {
            long nodes = tx.countNodes();
            long edges = tx.countEdges();
            assertEquals(nodes, tx.allNodes().count(), "countNodes against allNodes");
            assertEquals(edges, tx.allEdges().count(), "countEdges against allEdges");
            long outSum = 0;
            try (var all = tx.allNodes()) {
                for (Node n : (Iterable<Node>) all::iterator) {
                    outSum += tx.degree(n.id(), Direction.OUTGOING);
                }
            }
            assertEquals(edges, outSum, "every edge has one source");
            List<Long> degrees = new ArrayList<>();
            for (long hub : hubs) {
                for (Direction d : Direction.values()) {
                    long degree = tx.degree(hub, d);
                    assertEquals(tx.edges(hub, d, null).size(), degree, "degree of hub " + hub + " " + d);
                    degrees.add(degree);
                }
                degrees.add(tx.degree(hub, Direction.BOTH, "SELF"));
            }
            List<Long> labelCounts = List.of(tx.countNodes("Hub"), tx.countNodes("Leaf"));
            assertEquals(nodes, labelCounts.get(0) + labelCounts.get(1), "every node has one of the labels");
            return new Answers(nodes, edges, degrees, labelCounts);
        }
    }
}
