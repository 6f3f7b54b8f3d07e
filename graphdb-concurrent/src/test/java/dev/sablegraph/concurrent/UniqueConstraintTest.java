package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.ConstraintViolationException;
import dev.sablegraph.core.IndexState;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Unique constraints: what breaks one, racing writers, creation over data that breaks it, durability. */
class UniqueConstraintTest {
    @TempDir
    Path dir;

    @Test
    void aSecondNodeWithTheValueIsRefusedAtCommitAndLeavesNoTrace() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            assertEquals(IndexState.ONLINE, db.createUniqueConstraint("User", "email").state());
            long ada = commitNode(db, "User", Map.of("email", "ada@x", "name", "Ada"));
            ConstraintViolationException e;
            try (Transaction tx = db.begin()) {
                long other = tx.addNode(Set.of("User"), Map.of("email", "ada@x"));
                e = assertThrows(ConstraintViolationException.class, tx::commit);
                assertEquals(other, e.node());
                assertThrows(IllegalStateException.class, () -> tx.getNode(ada), "a failed transaction can only end");
            }
            assertEquals("User", e.label());
            assertEquals("email", e.key());
            assertEquals("ada@x", e.value());
            assertEquals(ada, e.existingNode());
            assertTrue(e.getMessage().contains(":User(email)") && e.getMessage().contains("\"ada@x\"")
                    && e.getMessage().contains("node " + ada), e.getMessage());
            try (Transaction tx = db.begin()) {
                assertEquals(1, tx.nodesByLabel("User").size(), "nothing of the failed commit");
            }
            SchemaTest.assertClean(db);
        }
    }

    @Test
    void whatBreaksTheConstraintAndWhatDoesNot() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            db.createUniqueConstraint("U", "k");
            long a = commitNode(db, "U", Map.of("k", 1L));
            long b = commitNode(db, "U", Map.of("k", 2L));
            commitNode(db, "Other", Map.of("k", 1L)); // another label
            commitNode(db, "U", Map.of("k", 1.0)); // Double 1.0 is another value than Long 1
            commitNode(db, "U", Map.of("j", 1L)); // no value at all

            assertRefused(db, tx -> tx.addNode(Set.of("U", "V"), Map.of("k", 2L)), b);
            assertRefused(db, tx -> tx.setNodeProperty(a, "k", 2L), b);
            long unlabelled = commitNode(db, "Other", Map.of("k", 2L));
            assertRefused(db, tx -> tx.addLabel(unlabelled, "U"), b);
            assertRefused(db, tx -> {
                tx.addNode(Set.of("U"), Map.of("k", 9L));
                tx.addNode(Set.of("U"), Map.of("k", 9L)); // two of one transaction
            }, -1);

            commit(db, tx -> tx.setNodeProperty(a, "k", 1L)); // keeping its own value
            commit(db, tx -> { // a swap inside one transaction
                tx.setNodeProperty(a, "k", 2L);
                tx.setNodeProperty(b, "k", 1L);
            });
            commit(db, tx -> { // the old holder leaves the value in the same transaction
                tx.setNodeProperty(a, "k", 3L);
                tx.addNode(Set.of("U"), Map.of("k", 2L));
            });
            commit(db, tx -> tx.deleteNode(b));
            commit(db, tx -> tx.addNode(Set.of("U"), Map.of("k", 1L))); // b's value is free again
            SchemaTest.assertClean(db);

            db.dropConstraint("U", "k");
            commit(db, tx -> tx.addNode(Set.of("U"), Map.of("k", 1L)));
            assertEquals(2, SchemaTest.find(db, "U", "k", 1L).size());
        }
    }

    /**
     * Racing writers: in each round every thread tries, at the same moment, to give the round's value
     * to a node (a new one, or one of its own it changes); exactly one commits per round.
     */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void ofRacingWritersExactlyOneCommitsEachValue(LockStrategy strategy) throws Exception {
        int threads = 6;
        int rounds = 150;
        try (ConcurrentGraphDB db = ConcurrencyTestSupport.open(dir, strategy)) {
            db.createUniqueConstraint("Key", "v");
            AtomicIntegerArray winners = new AtomicIntegerArray(rounds);
            AtomicInteger refused = new AtomicInteger();
            AtomicLong progress = new AtomicLong();
            CyclicBarrier start = new CyclicBarrier(threads);
            ConcurrencyTestSupport.runWorkers("unique-" + strategy, threads, w -> {
                List<Long> mine = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    start.await();
                    try (Transaction tx = db.begin()) {
                        long created = -1;
                        if (mine.isEmpty() || (round + w) % 3 != 0) {
                            created = tx.addNode(Set.of("Key"), Map.of("v", (long) round, "by", (long) w));
                        } else {
                            tx.setNodeProperty(mine.get(round % mine.size()), "v", (long) round);
                        }
                        tx.commit();
                        if (created >= 0) {
                            mine.add(created);
                        }
                        winners.incrementAndGet(round);
                    } catch (ConstraintViolationException e) {
                        assertEquals((long) round, e.value());
                        refused.incrementAndGet();
                    } catch (WriteConflictException e) {
                        throw new AssertionError("each thread changes only its own nodes", e);
                    }
                    progress.incrementAndGet();
                }
            }, progress, 60);
            for (int round = 0; round < rounds; round++) {
                assertEquals(1, winners.get(round), "commits that gave value " + round);
            }
            assertEquals(rounds * (threads - 1), refused.get());
            try (Transaction tx = db.begin()) {
                Map<Object, Long> holders = new HashMap<>();
                for (Node n : tx.nodesByLabel("Key")) {
                    Long before = holders.put(n.properties().get("v"), n.id());
                    assertEquals(null, before, "two committed nodes with v = " + n.properties().get("v"));
                }
            }
            db.collectGarbage();
            SchemaTest.assertClean(db);
        }
    }

    @Test
    void aConstraintOverDataThatBreaksItIsNotCreated() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            List<Long> ids = new ArrayList<>();
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < 2_000; i++) {
                    ids.add(tx.addNode(Set.of("P"), Map.of("k", "v" + i)));
                }
                tx.commit();
            }
            commit(db, tx -> tx.setNodeProperty(ids.get(1_500), "k", "v7"));
            ConstraintViolationException e = assertThrows(ConstraintViolationException.class,
                    () -> db.createUniqueConstraint("P", "k"));
            assertEquals("v7", e.value());
            assertEquals(Set.of(ids.get(7), ids.get(1_500)), Set.of(e.existingNode(), e.node()));
            assertEquals(List.of(), db.indexes(), "no constraint, no index");
            assertEquals(0, db.propertyIndexSize());
            commit(db, tx -> tx.addNode(Set.of("P"), Map.of("k", "v7"))); // nothing enforces it
            SchemaTest.assertClean(db);

            commit(db, tx -> {
                for (Node n : tx.findNodes("P", "k", "v7").subList(1, 3)) {
                    tx.setNodeProperty(n.id(), "k", "moved" + n.id());
                }
            });
            assertEquals(IndexState.ONLINE, db.createUniqueConstraint("P", "k").state());
            assertEquals(1, SchemaTest.find(db, "P", "k", "v7").size());
        }
    }

    @Test
    void aConstraintSurvivesACrashAndAReopen() throws Exception {
        Path live = dir.resolve("live");
        Path crashed = dir.resolve("crashed");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(live)) {
            commitNode(db, "U", Map.of("k", "x"));
            db.createUniqueConstraint("U", "k");
            commitNode(db, "U", Map.of("k", "y"));
            ConcurrencyTestSupport.copyCrashImage(live, crashed);
        }
        for (Path p : new Path[] {crashed, live}) {
            try (ConcurrentGraphDB db = ConcurrentGraphDB.open(p)) {
                assertEquals(1, db.indexes().size());
                assertTrue(db.indexes().get(0).unique());
                assertThrows(ConstraintViolationException.class, () -> commitNode(db, "U", Map.of("k", "y")));
                assertThrows(ConstraintViolationException.class, () -> commitNode(db, "U", Map.of("k", "x")));
                SchemaTest.assertClean(db);
            }
        }
    }

    private interface Change {
        void apply(Transaction tx);
    }

    private static void commit(ConcurrentGraphDB db, Change change) {
        try (Transaction tx = db.begin()) {
            change.apply(tx);
            tx.commit();
        }
    }

    private static long commitNode(ConcurrentGraphDB db, String label, Map<String, Object> props) {
        try (Transaction tx = db.begin()) {
            long id = tx.addNode(Set.of(label), props);
            tx.commit();
            return id;
        }
    }

    /** The change fails at commit, naming {@code holder} (unless -1), and the database is as before. */
    private static void assertRefused(ConcurrentGraphDB db, Change change, long holder) {
        long before;
        try (Transaction tx = db.begin()) {
            before = tx.nodesByLabel("U").size();
        }
        try (Transaction tx = db.begin()) {
            change.apply(tx);
            ConstraintViolationException e = assertThrows(ConstraintViolationException.class, tx::commit);
            if (holder >= 0) {
                assertEquals(holder, e.existingNode());
            }
        }
        try (Transaction tx = db.begin()) {
            assertEquals(before, tx.nodesByLabel("U").size());
        }
    }
}
