package dev.sablegraph.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.ConstraintViolationException;
import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.DatabaseLockedException;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.IndexDescription;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.PropertyRange;
import dev.sablegraph.core.WriteConflictException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code of docs/guide.md. Each region between {@code // snippet: NAME} and
 * {@code // end snippet} appears in the guide word for word ({@link GuideTest} checks), so the
 * guide's code compiles against the public API only (this package is outside it) and runs here.
 */
class GuideExamplesTest {

    @TempDir
    Path tmp;

    @Test
    void openAndClose() {
        Path directory = tmp.resolve("graph");
        // snippet: open
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(directory)) {
            // one database object per directory and process; share it between threads
        }
        // end snippet
        Path dir = tmp.resolve("configured");
        // snippet: open-configured
        GraphConfig config = GraphConfig.builder()
                .pageCacheBytes(512L << 20)         // the page cache: memory stays within it
                .durability(Durability.SYNC)         // commit() returns once its log record is forced
                .build();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config)) {
            // ...
        }
        // end snippet
    }

    @Test
    void transactions() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(tmp.resolve("tx"))) {
            // snippet: write
            long alice;
            try (Transaction tx = db.begin()) {
                alice = tx.addNode(Set.of("Person"), Map.of("name", "Alice", "age", 34));
                long bob = tx.addNode(Set.of("Person"), Map.of("name", "Bob"));
                tx.addEdge(alice, bob, "KNOWS", Map.of("since", 2019));
                tx.commit(); // durable when it returns
            } // closing without commit() rolls back
            // end snippet

            // snippet: read
            try (Transaction tx = db.begin()) {
                Optional<Node> node = tx.getNode(alice);
                long age = (Long) node.orElseThrow().properties().get("age"); // an Integer is stored as Long
                List<Edge> knows = tx.edges(alice, Direction.OUTGOING, "KNOWS");
                List<Node> bobs = tx.findNodes("Person", "name", "Bob");
                List<Long> friends = tx.neighbours(alice, Direction.BOTH, "KNOWS");
            }
            // end snippet
            try (Transaction tx = db.begin()) {
                assertEquals(1, tx.edges(alice, Direction.OUTGOING, "KNOWS").size());
            }
        }
    }

    @Test
    void schemaAndQueries() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(tmp.resolve("schema"))) {
            try (Transaction tx = db.begin()) {
                for (int age = 10; age < 90; age += 5) {
                    tx.addNode(Set.of("Person"), Map.of("name", "p" + age, "age", age, "email", age + "@example.com"));
                }
                tx.commit();
            }
            // snippet: schema
            db.createIndex("Person", "age");                // returns at once; built in the background
            db.createUniqueConstraint("Person", "email");   // waits until built and checked
            db.awaitIndexesOnline(Duration.ofMinutes(1));
            for (IndexDescription index : db.indexes()) {
                System.out.println(index);                  // e.g. "index on :Person(age) ONLINE"
            }
            // end snippet
            // snippet: range
            try (Transaction tx = db.begin()) {
                try (Stream<Node> adults = tx.findNodes("Person", "age", 18, true, 65, false)) {
                    adults.forEach(n -> System.out.println(n.properties().get("name")));
                }
                List<Node> oldestThree = tx.findNodes(
                        PropertyRange.on("Person", "age").descending().limit(3)).toList();
            }
            // end snippet
            // snippet: unique
            try (Transaction tx = db.begin()) {
                tx.addNode(Set.of("Person"), Map.of("email", "10@example.com"));
                tx.commit();
            } catch (ConstraintViolationException e) {
                // e.existingNode() has that email already; nothing of this transaction was kept
            }
            // end snippet
            try (Transaction tx = db.begin()) {
                assertEquals(List.of(85L, 80L, 75L), tx.findNodes(PropertyRange.on("Person", "age").descending().limit(3))
                        .map(n -> n.properties().get("age")).toList());
                assertEquals(16, tx.nodesByLabel("Person").size());
            }
        }
    }

    @Test
    void conflicts() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(tmp.resolve("conflicts"))) {
            long counter;
            try (Transaction tx = db.begin()) {
                counter = tx.addNode(Set.of("Counter"), Map.of("value", 0L));
                tx.commit();
            }
            Transaction other = db.begin();
            other.setNodeProperty(counter, "value", 100L);
            Transaction first = db.begin();
            first.setNodeProperty(counter, "value", 1L);
            first.commit();
            // snippet: conflict
            try {
                other.commit();
            } catch (WriteConflictException e) {
                // another transaction changed the same node or edge and committed first: nothing of
                // this one was applied; begin a new transaction and do the work again
            } finally {
                other.close();
            }
            // end snippet
            try (Transaction tx = db.begin()) {
                assertEquals(1L, tx.getNode(counter).orElseThrow().properties().get("value"));
            }
        }
    }

    @Test
    void values() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(tmp.resolve("values"))) {
            // snippet: values
            try (Transaction tx = db.begin()) {
                long film = tx.addNode(Set.of("Film"), Map.of(
                        "title", "Metropolis",              // String
                        "year", 1927,                       // Integer: stored and read as Long
                        "rating", 8.3,                      // Double
                        "silent", true,                     // Boolean
                        "poster", new byte[] {1, 2, 3},     // byte[]: copied in and out
                        "genres", List.of("drama", "sci-fi"), // a list of one element kind
                        "runtimes", List.of(153, 148)));    // read back as List.of(153L, 148L)
                Map<String, Object> p = tx.getNode(film).orElseThrow().properties();
                List<?> runtimes = (List<?>) p.get("runtimes"); // unmodifiable
                tx.commit();
            }
            // end snippet
            try (Transaction tx = db.begin()) {
                Node film = tx.findNodes("Film", "genres", List.of("drama", "sci-fi")).get(0);
                assertEquals(List.of(153L, 148L), film.properties().get("runtimes"));
                assertEquals(1927L, film.properties().get("year"));
            }
        }
    }

    @Test
    void backup() throws java.io.IOException {
        Path backups = java.nio.file.Files.createDirectories(tmp.resolve("backups"));
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(tmp.resolve("live"))) {
            try (Transaction tx = db.begin()) {
                tx.addNode(Set.of("Account"), Map.of("balance", 100L));
                tx.commit();
            }
            // snippet: backup
            Path target = backups.resolve("graph-" + java.time.LocalDate.now()); // must not exist yet
            db.backup(target); // readers and writers go on meanwhile
            // end snippet
            // snippet: restore
            try (ConcurrentGraphDB copy = ConcurrentGraphDB.open(target)) {
                // a database of its own, holding exactly what had committed when backup() began
            }
            // end snippet
            try (ConcurrentGraphDB copy = ConcurrentGraphDB.open(target); Transaction tx = copy.begin()) {
                assertEquals(1, tx.nodesByLabel("Account").size());
            }
        }
    }

    @Test
    void retries() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(tmp.resolve("retries"))) {
            long counter = db.inTransaction(tx -> tx.addNode(Set.of("Counter"), Map.of("count", 0L)));
            // snippet: retry
            long next = db.inTransaction(tx -> {
                // may run more than once: work only through tx, keep side effects for after it returns
                long n = (Long) tx.getNode(counter).orElseThrow().properties().get("count");
                tx.setNodeProperty(counter, "count", n + 1);
                return n + 1;
            }); // committed when it returns
            long seen = db.readTransaction(tx -> (Long) tx.getNode(counter).orElseThrow().properties().get("count"));
            // end snippet
            assertEquals(1L, next);
            assertEquals(1L, seen);
        }
    }

    @Test
    void scansAndCounts() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(tmp.resolve("scans"))) {
            long alice = db.inTransaction(tx -> {
                long a = tx.addNode(Set.of("Person"), Map.of("name", "Alice"));
                long b = tx.addNode(Set.of("Person"), Map.of("name", "Bob"));
                tx.addEdge(a, b, "KNOWS", Map.of());
                return a;
            });
            // snippet: scans
            try (Transaction tx = db.begin()) {
                long people = tx.countNodes("Person");
                long friends = tx.degree(alice, Direction.OUTGOING, "KNOWS"); // no edge is read
                Set<String> labels = tx.labels();                            // labels in use
                List<String> names;
                try (Stream<Node> all = tx.allNodes()) {                      // lazy, in id order
                    names = all.map(n -> (String) n.properties().get("name")).toList();
                }
                try (Stream<Edge> knows = tx.streamEdges(alice, Direction.OUTGOING, "KNOWS")) {
                    knows.limit(10).forEach(e -> System.out.println(e.to()));
                }
            }
            // end snippet
            try (Transaction tx = db.begin()) {
                assertEquals(2, tx.countNodes("Person"));
                assertEquals(1, tx.degree(alice, Direction.OUTGOING, "KNOWS"));
                assertEquals(Set.of("Person"), tx.labels());
            }
        }
    }

    @Test
    void errors() {
        Path dir = tmp.resolve("errors");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            try (Transaction tx = db.begin()) {
                // snippet: bad-input
                try {
                    tx.addNode(Set.of("Person"), Map.of("born", java.time.LocalDate.of(1990, 1, 1)));
                } catch (IllegalArgumentException e) {
                    // "property 'born' ...": nothing changed, the transaction is still usable
                }
                try {
                    tx.setNodeProperty(424242L, "name", "nobody");
                } catch (EntityNotFoundException e) {
                    // no node 424242 in this transaction's snapshot; the transaction is still usable
                }
                // end snippet
                tx.addNode(Set.of("Person"), Map.of());
                tx.commit();
            }
            assertThrows(DatabaseLockedException.class, () -> ConcurrentGraphDB.open(dir));
            // snippet: integrity
            IntegrityReport report = db.checkIntegrity(); // runs beside readers and writers
            if (!report.isClean()) {
                System.err.println(report); // every problem, naming file and page
            }
            // end snippet
            assertTrue(report.isClean());
        }
        assertTrue(CorruptionException.class.getSuperclass().getSimpleName().equals("GraphException"));
    }
}
