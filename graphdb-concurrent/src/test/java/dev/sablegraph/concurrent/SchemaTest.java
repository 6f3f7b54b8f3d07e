package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.IndexDescription;
import dev.sablegraph.core.IndexState;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Indexes: create, list, build online, drop; lookups answer alike with and without them; durable. */
class SchemaTest {
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    void anIndexIsListedBuiltUsedAndDroppedWhileLookupsAnswerAlike() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            List<Long> ids = new ArrayList<>();
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < 500; i++) {
                    ids.add(tx.addNode(Set.of("Person"), Map.of("name", "p" + (i % 50), "age", (long) i)));
                }
                tx.addNode(Set.of("Robot"), Map.of("name", "p1"));
                tx.commit();
            }
            List<Long> before = find(db, "Person", "name", "p1");
            assertEquals(10, before.size());

            IndexDescription created = db.createIndex("Person", "name");
            assertEquals("Person", created.label());
            assertEquals("name", created.key());
            assertFalse(created.unique());
            assertTrue(db.awaitIndexesOnline(WAIT));
            assertEquals(List.of(new IndexDescription("Person", "name", false, IndexState.ONLINE, 1.0, null)),
                    db.indexes());
            assertEquals(created.label(), db.createIndex("Person", "name").label(), "creating it again returns it");
            assertEquals(1, db.indexes().size());
            assertEquals(before, find(db, "Person", "name", "p1"));
            assertEquals(List.of(), find(db, "Person", "name", "nobody"));
            assertEquals(500, db.propertyIndexSize(), "one entry per Person: nothing else is indexed");
            assertClean(db);

            db.dropIndex("Person", "name");
            assertEquals(List.of(), db.indexes());
            assertEquals(0, db.propertyIndexSize());
            assertEquals(before, find(db, "Person", "name", "p1"));
            assertClean(db);
        }
    }

    @Test
    void badSchemaCallsAreRefusedNamingWhatWasWrong() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            assertThrows(IllegalArgumentException.class, () -> db.createIndex(null, "k"));
            assertThrows(IllegalArgumentException.class, () -> db.createIndex("L", ""));
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> db.dropIndex("L", "k"));
            assertTrue(none.getMessage().contains(":L(k)"), none.getMessage());
            db.createIndex("L", "k");
            assertThrows(IllegalArgumentException.class, () -> db.dropConstraint("L", "k"));
            assertThrows(IllegalArgumentException.class, () -> db.createUniqueConstraint("L", "k"));
            assertThrows(IllegalArgumentException.class, () -> db.awaitIndexesOnline(Duration.ofSeconds(-1)));
            assertTrue(db.awaitIndexesOnline(WAIT));
            assertEquals(1, db.indexes().size());
        }
    }

    /**
     * The build runs beside writers that create, change, relabel and delete nodes; once the index
     * is online, every lookup equals a filter over the label's nodes, in transactions begun before
     * and after, and the integrity check (index entries against the stored states) is clean.
     */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void anIndexBuiltUnderConcurrentWritersIsExact(LockStrategy strategy) throws Exception {
        int values = 40;
        try (ConcurrentGraphDB db = ConcurrencyTestSupport.open(dir, strategy)) {
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < 4_000; i++) {
                    tx.addNode(Set.of("Item"), Map.of("v", (long) (i % values), "n", (long) i));
                }
                tx.commit();
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong progress = new AtomicLong();
            Thread[] builderWatch = new Thread[1];
            List<Transaction> duringBuild = new ArrayList<>();
            builderWatch[0] = new Thread(() -> {
                try {
                    Thread.sleep(50);
                    db.createIndex("Item", "v");
                    synchronized (duringBuild) {
                        duringBuild.add(db.begin()); // a snapshot from the build, asked after it
                    }
                    assertTrue(db.awaitIndexesOnline(WAIT));
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    stop.set(true);
                }
            });
            builderWatch[0].start();
            ConcurrencyTestSupport.runWorkers("index-writer", 3, w -> {
                Random rnd = new Random(w);
                List<Long> mine = new ArrayList<>();
                while (!stop.get()) {
                    try (Transaction tx = db.begin()) {
                        int op = rnd.nextInt(6);
                        if (op == 0 || mine.isEmpty()) {
                            mine.add(tx.addNode(Set.of("Item"), Map.of("v", (long) rnd.nextInt(values))));
                        } else {
                            long id = op < 4 ? rnd.nextInt(4_000) : mine.get(rnd.nextInt(mine.size()));
                            if (tx.getNode(id).isEmpty()) {
                                continue;
                            }
                            switch (op) {
                                case 1, 2 -> tx.setNodeProperty(id, "v", (long) rnd.nextInt(values));
                                case 3 -> tx.removeNodeProperty(id, "v");
                                case 4 -> {
                                    if (!tx.removeLabel(id, "Item")) {
                                        tx.addLabel(id, "Item");
                                    }
                                }
                                default -> {
                                    tx.deleteNode(id);
                                    mine.remove(Long.valueOf(id));
                                }
                            }
                        }
                        tx.commit();
                        progress.incrementAndGet();
                    } catch (dev.sablegraph.core.WriteConflictException e) {
                        // another writer changed the node first
                    }
                }
            }, progress, 60);
            builderWatch[0].join();
            assertEquals(IndexState.ONLINE, db.indexes().get(0).state());
            for (Transaction tx : duringBuild) {
                assertLookupsEqualTheFilter(tx, values);
                tx.close();
            }
            try (Transaction tx = db.begin()) {
                assertLookupsEqualTheFilter(tx, values);
            }
            db.collectGarbage();
            assertClean(db);
        }
    }

    private static void assertLookupsEqualTheFilter(Transaction tx, int values) {
        List<Node> all = tx.nodesByLabel("Item");
        for (long v = -1; v <= values; v++) {
            long value = v;
            List<Long> expected = all.stream().filter(n -> Long.valueOf(value).equals(n.properties().get("v")))
                    .map(Node::id).toList();
            assertEquals(expected, tx.findNodes("Item", "v", value).stream().map(Node::id).toList(), "v = " + v);
        }
    }

    /**
     * A snapshot older than the index may see states the index never had (replaced before it
     * was created): such a snapshot reads the label instead.
     */
    @Test
    void aSnapshotOlderThanTheIndexStillFindsWhatItSees() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            long id;
            try (Transaction tx = db.begin()) {
                id = tx.addNode(Set.of("P"), Map.of("k", "old"));
                tx.commit();
            }
            try (Transaction old = db.begin()) {
                try (Transaction tx = db.begin()) {
                    tx.setNodeProperty(id, "k", "new");
                    tx.commit();
                }
                db.createIndex("P", "k");
                assertTrue(db.awaitIndexesOnline(WAIT));
                assertEquals(List.of(id), old.findNodes("P", "k", "old").stream().map(Node::id).toList());
                assertEquals(List.of(), old.findNodes("P", "k", "new"));
            }
            assertEquals(List.of(id), find(db, "P", "k", "new"));
            assertEquals(List.of(), find(db, "P", "k", "old"));
        }
    }

    @Test
    void theSchemaSurvivesACrashAndAReopen() throws Exception {
        Path crashed = dir.resolve("crashed");
        Path live = dir.resolve("live");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(live)) {
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < 300; i++) {
                    tx.addNode(Set.of("A"), Map.of("k", (long) (i % 7)));
                }
                tx.commit();
            }
            db.createIndex("A", "k");
            db.createIndex("A", "gone");
            assertTrue(db.awaitIndexesOnline(WAIT)); // each build ends with a checkpoint
            db.holdIndexBuilds(true);
            db.dropIndex("A", "gone"); // logged only: no checkpoint after it
            db.createIndex("B", "k"); // logged, and its build held: it is building in the crash image
            try (Transaction tx = db.begin()) {
                tx.addNode(Set.of("A"), Map.of("k", 3L));
                tx.commit();
            }
            ConcurrencyTestSupport.copyCrashImage(live, crashed);
            db.holdIndexBuilds(false);
        }
        for (Path p : new Path[] {crashed, live}) {
            try (ConcurrentGraphDB db = ConcurrentGraphDB.open(p)) {
                assertEquals(List.of("A/k", "B/k"), db.indexes().stream().map(i -> i.label() + "/" + i.key()).toList(), p.toString());
                assertTrue(db.awaitIndexesOnline(WAIT));
                assertEquals(44, find(db, "A", "k", 3L).size(), p.toString());
                assertClean(db);
            }
        }
    }

    static List<Long> find(ConcurrentGraphDB db, String label, String key, Object value) {
        try (Transaction tx = db.begin()) {
            return tx.findNodes(label, key, value).stream().map(Node::id).toList();
        }
    }

    static void assertClean(ConcurrentGraphDB db) {
        IntegrityReport report = db.checkIntegrity();
        assertTrue(report.isClean(), report::toString);
    }
}
