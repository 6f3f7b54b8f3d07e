package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scans, counts, the catalog and streams: what ScanModelTest's random runs may not spell out. */
class ScanTest {
    @TempDir
    Path dir;

    /** Collection only when a test asks for it. */
    private ConcurrentGraphDB open() {
        return ConcurrentGraphDB.open(dir, GraphConfig.builder().gcIntervalMillis(3_600_000).build());
    }

    private static List<Long> ids(Stream<Node> nodes) {
        try (nodes) {
            return nodes.map(Node::id).toList();
        }
    }

    /** Every stream a transaction returns, made but not yet read. */
    private static List<Stream<?>> everyStream(Transaction tx, long a, long missing) {
        return List.of(tx.allNodes(), tx.allEdges(), tx.streamNodesByLabel("P"), tx.streamFindNodes("P", "k", 1),
                tx.streamEdges(a, Direction.BOTH, null), tx.streamEdges(missing, Direction.BOTH, null),
                tx.streamNeighbours(a, Direction.OUTGOING, null), tx.traverse(a, Direction.OUTGOING, null, 3));
    }

    @Test
    void streamsThrowOnceTheirTransactionEnds() {
        try (ConcurrentGraphDB db = open()) {
            long a;
            try (Transaction tx = db.begin()) {
                a = tx.addNode(Set.of("P"), Map.of("k", 1));
                long b = tx.addNode(Set.of("P"), Map.of("k", 1));
                tx.addEdge(a, b, "R", Map.of());
                tx.commit();
            }
            List<Consumer<Transaction>> endings = List.of(Transaction::commit, Transaction::rollback, Transaction::close);
            for (Consumer<Transaction> end : endings) {
                Transaction tx = db.begin();
                tx.addNode(Set.of(), Map.of()); // a write, so that commit has something to do
                List<Stream<?>> streams = everyStream(tx, a, a + 1000);
                Iterator<Node> halfRead = tx.allNodes().iterator();
                assertTrue(halfRead.hasNext());
                halfRead.next();
                end.accept(tx);
                for (Stream<?> s : streams) {
                    assertThrows(IllegalStateException.class, s::count, "a stream read after its transaction ended");
                }
                assertThrows(IllegalStateException.class, halfRead::hasNext);
                assertThrows(IllegalStateException.class, tx::allNodes);
                assertThrows(IllegalStateException.class, () -> tx.degree(a, Direction.BOTH));
            }
        }
    }

    @Test
    void aStreamKeepsItsSnapshotWhileOthersCommit() {
        try (ConcurrentGraphDB db = open()) {
            List<Long> before = new ArrayList<>();
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < 3; i++) {
                    before.add(tx.addNode(Set.of("P"), Map.of()));
                }
                tx.commit();
            }
            try (Transaction reader = db.begin()) {
                Iterator<Node> scan = reader.allNodes().iterator();
                assertEquals(before.get(0), scan.next().id());
                try (Transaction writer = db.begin()) {
                    writer.deleteNode(before.get(1));
                    writer.addNode(Set.of("P"), Map.of());
                    writer.commit();
                }
                db.collectGarbage(); // the reader still holds its snapshot
                List<Long> rest = new ArrayList<>();
                scan.forEachRemaining(n -> rest.add(n.id()));
                assertEquals(before.subList(1, 3), rest);
            }
        }
    }

    @Test
    void scansSeeTheSnapshotAndTheTransactionsOwnWrites() {
        try (ConcurrentGraphDB db = open()) {
            long n1;
            long n2;
            long n3;
            try (Transaction tx = db.begin()) {
                n1 = tx.addNode(Set.of("P"), Map.of("k", 1));
                n2 = tx.addNode(Set.of("P"), Map.of());
                n3 = tx.addNode(Set.of(), Map.of());
                tx.addEdge(n2, n3, "R", Map.of());
                tx.commit();
            }
            Transaction old = db.begin();
            long n4;
            try (Transaction tx = db.begin()) {
                tx.deleteNode(n1);
                n4 = tx.addNode(Set.of("Q"), Map.of());
                tx.addEdge(n3, n4, "S", Map.of());
                tx.commit();
            }
            assertEquals(List.of(n1, n2, n3), ids(old.allNodes()), "later commits are invisible, deletes too");
            assertEquals(3, old.countNodes());
            assertEquals(1, old.countEdges());
            assertEquals(Set.of("P"), old.labels());
            assertEquals(Set.of("R"), old.edgeTypes());
            assertEquals(Set.of("k"), old.propertyKeys());
            old.close();
            try (Transaction tx = db.begin()) {
                assertEquals(List.of(n2, n3, n4), ids(tx.allNodes()));
                long n5 = tx.addNode(Set.of("Own"), Map.of("mine", true));
                Edge s = tx.edges(n4, Direction.INCOMING, "S").get(0);
                tx.deleteEdge(s.id());
                tx.deleteNode(n4);
                assertEquals(List.of(n2, n3, n5), ids(tx.allNodes()), "own creations in, own deletes out");
                assertEquals(3, tx.countNodes());
                assertEquals(List.of("R"), tx.allEdges().map(Edge::type).toList());
                assertEquals(1, tx.countEdges());
                assertEquals(Set.of("P", "Own"), tx.labels(), "Q's only node is deleted here");
                assertEquals(Set.of("R"), tx.edgeTypes());
                assertEquals(Set.of("mine"), tx.propertyKeys(), "k's only node was deleted by a commit");
                assertEquals(1, tx.countNodes("Own"));
                assertEquals(0, tx.countNodes("Q"));
                assertEquals(0, tx.countNodes("never"));
            }
        }
    }

    @Test
    void aScanCrossesIdBatchesAndSkipsPurgedIds() {
        try (ConcurrentGraphDB db = open()) {
            List<Long> all = new ArrayList<>();
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < 3_000; i++) { // several id batches, and id map leaves
                    all.add(tx.addNode(Set.of(), Map.of()));
                }
                tx.commit();
            }
            List<Long> kept = new ArrayList<>();
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < all.size(); i++) {
                    if (i % 3 == 0 || (i > 1_000 && i < 2_100)) {
                        tx.deleteNode(all.get(i));
                    } else {
                        kept.add(all.get(i));
                    }
                }
                tx.commit();
            }
            db.collectGarbage();
            assertEquals(0, db.metrics().versionChains(), "deleted nodes purged");
            try (Transaction tx = db.begin()) {
                assertEquals(kept, ids(tx.allNodes()));
                assertEquals(kept.size(), tx.countNodes());
                assertEquals(0, tx.countEdges());
                assertFalse(tx.allEdges().findAny().isPresent());
            }
        }
    }

    @Test
    void aSelfLoopCountsOnceInEachDirectionAsEdgesListsIt() {
        try (ConcurrentGraphDB db = open()) {
            long a;
            try (Transaction tx = db.begin()) {
                a = tx.addNode(Set.of(), Map.of());
                long b = tx.addNode(Set.of(), Map.of());
                tx.addEdge(a, a, "LOOP", Map.of());
                tx.addEdge(a, b, "OUT", Map.of());
                assertDegrees(tx, a, 2, 1, 2); // own, uncommitted
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                assertDegrees(tx, a, 2, 1, 2); // committed, versions not yet collected
                assertEquals(1, tx.degree(a, Direction.BOTH, "LOOP"));
                assertEquals(1, tx.degree(a, Direction.OUTGOING, "LOOP"));
                assertEquals(1, tx.degree(a, Direction.INCOMING, "LOOP"));
            }
            db.collectGarbage();
            assertEquals(0, db.metrics().versionChains(), "the record's counts are every snapshot's answer now");
            try (Transaction tx = db.begin()) {
                assertDegrees(tx, a, 2, 1, 2);
                assertEquals(1, tx.degree(a, Direction.BOTH, "LOOP"));
                tx.addEdge(a, a, "LOOP", Map.of()); // one more, own
                assertDegrees(tx, a, 3, 2, 3);
            }
        }
    }

    /** Degree in each direction, and that it is what edges(...).size() says. */
    private static void assertDegrees(Transaction tx, long node, long out, long in, long both) {
        assertEquals(List.of(out, in, both), List.of(tx.degree(node, Direction.OUTGOING), tx.degree(node, Direction.INCOMING),
                tx.degree(node, Direction.BOTH)));
        for (Direction d : Direction.values()) {
            assertEquals(tx.edges(node, d, null).size(), tx.degree(node, d));
        }
    }

    @Test
    void degreeStaysRightWhileDeletedEdgesAreStillStoredAndAfterTheirPurge() {
        try (ConcurrentGraphDB db = open()) {
            long hub;
            List<Long> r = new ArrayList<>();
            try (Transaction tx = db.begin()) {
                hub = tx.addNode(Set.of(), Map.of());
                for (int i = 0; i < 10; i++) {
                    long leaf = tx.addNode(Set.of(), Map.of());
                    r.add(tx.addEdge(hub, leaf, "R", Map.of()));
                    tx.addEdge(leaf, hub, "S", Map.of());
                }
                tx.commit();
            }
            db.collectGarbage();
            Transaction old = db.begin();
            try (Transaction tx = db.begin()) {
                for (long e : r.subList(0, 4)) {
                    tx.deleteEdge(e);
                }
                tx.addEdge(hub, hub, "S", Map.of());
                tx.commit();
            }
            db.collectGarbage(); // purges nothing: `old` still sees the deleted edges
            assertEquals(21, db.checkIntegrity().count("edges"), "deleted edges still stored");
            Map<Direction, Long> before = Map.of(Direction.OUTGOING, 10L, Direction.INCOMING, 10L, Direction.BOTH, 20L);
            Map<Direction, Long> after = Map.of(Direction.OUTGOING, 7L, Direction.INCOMING, 11L, Direction.BOTH, 17L);
            Function<Transaction, Map<Direction, Long>> degrees = tx -> Map.of(
                    Direction.OUTGOING, tx.degree(hub, Direction.OUTGOING), Direction.INCOMING,
                    tx.degree(hub, Direction.INCOMING), Direction.BOTH, tx.degree(hub, Direction.BOTH));
            assertEquals(before, degrees.apply(old));
            try (Transaction tx = db.begin()) {
                assertEquals(after, degrees.apply(tx));
                assertEquals(6, tx.degree(hub, Direction.OUTGOING, "R"));
                assertEquals(11, tx.degree(hub, Direction.INCOMING, "S"));
            }
            old.close();
            db.collectGarbage();
            assertEquals(17, db.checkIntegrity().count("edges"), "purged once no snapshot sees them");
            assertEquals(0, db.metrics().versionChains());
            try (Transaction tx = db.begin()) {
                assertEquals(after, degrees.apply(tx));
                assertEquals(6, tx.degree(hub, Direction.OUTGOING, "R"));
                assertEquals(0, tx.degree(hub, Direction.OUTGOING, "NONE"));
                tx.deleteEdge(tx.edges(hub, Direction.OUTGOING, "R").get(0).id()); // own delete
                assertEquals(5, tx.degree(hub, Direction.OUTGOING, "R"));
                assertEquals(16, tx.degree(hub, Direction.BOTH));
            }
        }
    }

    @Test
    void degreeOfANodeItDoesNotSeeIsZeroAndBadArgumentsAreRefused() {
        try (ConcurrentGraphDB db = open(); Transaction tx = db.begin()) {
            long a = tx.addNode(Set.of(), Map.of());
            tx.addEdge(a, a, "R", Map.of());
            assertEquals(0, tx.degree(a + 1, Direction.BOTH));
            assertEquals(0, tx.degree(-1, Direction.BOTH));
            assertThrows(IllegalArgumentException.class, () -> tx.degree(a, null));
            assertThrows(IllegalArgumentException.class, () -> tx.degree(a, Direction.BOTH, ""));
            assertThrows(IllegalArgumentException.class, () -> tx.countNodes(""));
            assertThrows(IllegalArgumentException.class, () -> tx.streamEdges(a, null, null));
            assertEquals(1, tx.degree(a, Direction.BOTH), "the transaction is still usable");
        }
    }

    @Test
    void theCatalogListsNamesInUseNotEveryNameEverCreated() {
        try (ConcurrentGraphDB db = open()) {
            long a;
            long e;
            try (Transaction tx = db.begin()) {
                a = tx.addNode(Set.of("Gone", "Kept"), Map.of("gone", 1, "kept", 2));
                long b = tx.addNode(Set.of(), Map.of());
                e = tx.addEdge(a, b, "GONE", Map.of("edgeKey", 1));
                tx.addEdge(b, a, "KEPT", Map.of());
                tx.commit();
            }
            Transaction old = db.begin();
            try (Transaction tx = db.begin()) {
                tx.removeLabel(a, "Gone");
                tx.removeNodeProperty(a, "gone");
                tx.deleteEdge(e);
                tx.commit();
            }
            db.collectGarbage();
            assertEquals(Set.of("Gone", "Kept"), old.labels());
            assertEquals(Set.of("GONE", "KEPT"), old.edgeTypes());
            assertEquals(Set.of("gone", "kept", "edgeKey"), old.propertyKeys());
            old.close();
            db.collectGarbage();
            try (Transaction tx = db.begin()) {
                assertEquals(List.of("Kept"), List.copyOf(tx.labels()));
                assertEquals(List.of("KEPT"), List.copyOf(tx.edgeTypes()));
                assertEquals(List.of("kept"), List.copyOf(tx.propertyKeys()));
                tx.addNode(Set.of("Fresh"), Map.of("alpha", 1));
                assertEquals(List.of("Fresh", "Kept"), List.copyOf(tx.labels()), "own writes count, in name order");
                assertEquals(List.of("alpha", "kept"), List.copyOf(tx.propertyKeys()));
            }
        }
    }

    @Test
    void streamsAnswerLikeTheirLists() {
        try (ConcurrentGraphDB db = open()) {
            long hub;
            try (Transaction tx = db.begin()) {
                hub = tx.addNode(Set.of("H"), Map.of());
                for (long i = 0; i < 50; i++) {
                    long n = tx.addNode(Set.of("L"), Map.of("i", i % 5));
                    tx.addEdge(hub, n, "R", Map.of());
                }
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                assertEquals(tx.edges(hub, Direction.OUTGOING, "R"), tx.streamEdges(hub, Direction.OUTGOING, "R").toList());
                assertEquals(tx.neighbours(hub, Direction.BOTH, null), tx.streamNeighbours(hub, Direction.BOTH, null).toList());
                assertEquals(tx.findNodes("L", "i", 3), tx.streamFindNodes("L", "i", 3).toList());
                assertEquals(10, tx.streamFindNodes("L", "i", 3L).count());
                assertEquals(LongStream.rangeClosed(hub + 1, hub + 3).boxed().toList(),
                        tx.allNodes().skip(1).limit(3).map(Node::id).toList());
            }
        }
    }
}
