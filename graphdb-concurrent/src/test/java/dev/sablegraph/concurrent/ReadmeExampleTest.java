package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding example of README.md, as written there, compiles and does what it says. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void readmeExample() {
        Optional<Node> b;
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir.resolve("graph"))) {
            long alice, bob;
            try (Transaction tx = db.begin()) {
                alice = tx.addNode(Set.of("Person"), Map.of("name", "Alice", "age", 34));
                bob = tx.addNode(Set.of("Person"), Map.of("name", "Bob"));
                tx.addEdge(alice, bob, "KNOWS", Map.of("since", 2019));
                tx.commit();                                   // durable when it returns
            }
            try (Transaction tx = db.begin()) {
                List<Edge> knows = tx.edges(alice, Direction.OUTGOING, "KNOWS");
                b = tx.getNode(knows.get(0).to());
            }
            assertEquals(bob, b.orElseThrow().id());
        }
        assertEquals(Map.of("name", "Bob"), b.orElseThrow().properties());
    }

    @Test
    void readmeRetryExample() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir.resolve("graph"))) {
            long counter = db.inTransaction(tx -> tx.addNode(Set.of("Counter"), Map.of("count", 0L)));
            long count = db.inTransaction(tx -> {
                long n = (Long) tx.getNode(counter).orElseThrow().properties().get("count");
                tx.setNodeProperty(counter, "count", n + 1);
                return n + 1;
            });
            long seen = db.readTransaction(tx -> (Long) tx.getNode(counter).orElseThrow().properties().get("count"));
            assertEquals(1, count);
            assertEquals(1, seen);
        }
    }
}
