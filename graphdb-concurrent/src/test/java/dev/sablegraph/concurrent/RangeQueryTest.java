package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Node;
import dev.sablegraph.core.PropertyRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Range queries: the documented examples, laziness bound to the transaction, refused arguments. */
class RangeQueryTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void agesBetweenBoundsInBothOrdersWithALimit(boolean indexed) {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            if (indexed) {
                db.createIndex("Person", "age");
                assertTrue(db.awaitIndexesOnline(Duration.ofMinutes(1)));
            }
            try (Transaction tx = db.begin()) {
                for (long age : new long[] {70, 18, 40, 17, 65, 40, 30}) {
                    tx.addNode(Set.of("Person"), Map.of("age", age, "name", "p" + age));
                }
                tx.addNode(Set.of("Person"), Map.of("age", "unknown"));
                tx.addNode(Set.of("Person"), Map.of("age", 39.5));
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                assertEquals(List.of(18L, 30L, 39.5, 40L, 40L), ages(tx.findNodes("Person", "age", 18, true, 65, false)));
                assertEquals(List.of(65L, 40L, 40L), ages(tx.findNodes(
                        PropertyRange.on("Person", "age").from(40, true).to(65.0, true).descending())));
                assertEquals(List.of(70L, 65L), ages(tx.findNodes(PropertyRange.on("Person", "age").to(100, true)
                        .descending().limit(2))));
                assertEquals(List.of(17L, 18L, 30L, 39.5, 40L, 40L, 65L, 70L, "unknown"),
                        ages(tx.findNodes(PropertyRange.on("Person", "age"))), "no bound: numbers, then strings");
                assertEquals(List.of("unknown"), ages(tx.findNodes("Person", "age", "a", true, null, false)));
                assertEquals(List.of(), ages(tx.findNodes("Nobody", "age", null, false, null, false)));
            }
        }
    }

    /**
     * Strings sharing their first 8 bytes are ordered in memory: values held by many nodes (read
     * by a seek) and by few (kept keys) mixed in one run, in both orders, with stale entries of
     * replaced values in between.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void stringsSharingTheirFirstBytesComeInValueOrder(boolean descending) {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            db.createIndex("T", "s");
            assertTrue(db.awaitIndexesOnline(Duration.ofMinutes(1)));
            String[] values = {"prefix00-b", "prefix00-a", "prefix00-c", "prefix00", "prefix00-a1", "prefix01"};
            int[] holders = {40, 3, 17, 1, 16, 5};
            try (Transaction tx = db.begin()) {
                for (int v = 0; v < values.length; v++) {
                    for (int i = 0; i < holders[v]; i++) {
                        tx.addNode(Set.of("T"), Map.of("s", values[v]));
                    }
                }
                tx.commit();
            }
            Transaction old = db.begin();
            try (Transaction tx = db.begin()) { // half of "prefix00-b" moves to "prefix00-z"
                tx.findNodes("T", "s", "prefix00-b").stream().limit(20)
                        .forEach(n -> tx.setNodeProperty(n.id(), "s", "prefix00-z"));
                tx.commit();
            }
            PropertyRange all = PropertyRange.on("T", "s").from("prefix00", true).to("prefix00-z", false);
            if (descending) {
                all = all.descending();
            }
            for (Transaction tx : new Transaction[] {old, db.begin()}) {
                List<Object> got = tx.findNodes(all).map(n -> n.properties().get("s")).toList();
                List<Object> expected = tx.nodesByLabel("T").stream().map(n -> (String) n.properties().get("s"))
                        .filter(s -> s.compareTo("prefix00") >= 0 && s.compareTo("prefix00-z") < 0)
                        .sorted(descending ? java.util.Comparator.<String>reverseOrder()
                                : java.util.Comparator.<String>naturalOrder())
                        .map(s -> (Object) s).toList();
                assertEquals(expected, got);
                List<Long> ids = tx.findNodes(all).map(Node::id).toList();
                assertEquals(ids.size(), Set.copyOf(ids).size(), "each node once");
                tx.close();
            }
        }
    }

    @Test
    void aRangeStreamIsBoundToItsTransaction() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            db.createIndex("P", "k");
            assertTrue(db.awaitIndexesOnline(Duration.ofMinutes(1)));
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < 10; i++) {
                    tx.addNode(Set.of("P"), Map.of("k", (long) i));
                }
                tx.commit();
            }
            Transaction tx = db.begin();
            Stream<Node> nodes = tx.findNodes("P", "k", 0, true, null, false);
            Iterator<Node> it = nodes.iterator();
            assertEquals(0L, it.next().properties().get("k"));
            try (Transaction other = db.begin()) { // committed after tx began: tx never sees it
                other.addNode(Set.of("P"), Map.of("k", 1L));
                other.commit();
            }
            assertEquals(1L, it.next().properties().get("k"));
            assertEquals(2L, it.next().properties().get("k"), "the other commit's node is not in tx's snapshot");
            tx.close();
            assertThrows(IllegalStateException.class, it::next);
        }
    }

    @Test
    void badRangesAreRefusedNamingTheProblem() {
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> PropertyRange.on("P", "k").from(1, true).to("z", true));
        assertTrue(mixed.getMessage().contains("number") && mixed.getMessage().contains("string"), mixed.getMessage());
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
                () -> PropertyRange.on("P", "k").from(new byte[] {1}, true));
        assertTrue(bytes.getMessage().contains("'from'"), bytes.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PropertyRange.on("P", "k").to(List.of(1L), true));
        assertThrows(IllegalArgumentException.class, () -> PropertyRange.on("", "k"));
        assertThrows(IllegalArgumentException.class, () -> PropertyRange.on("P", null));
        assertThrows(IllegalArgumentException.class, () -> PropertyRange.on("P", "k").limit(-1));
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir); Transaction tx = db.begin()) {
            assertThrows(IllegalArgumentException.class, () -> tx.findNodes(null));
            assertThrows(IllegalArgumentException.class, () -> tx.findNodes(null, "k", 1, true, 2, true));
            assertEquals(List.of(), tx.findNodes("P", "k", 1, true, 2, true).toList(), "still usable");
        }
    }

    private static List<Object> ages(Stream<Node> nodes) {
        try (nodes) {
            return nodes.map(n -> n.properties().get("age")).toList();
        }
    }
}
