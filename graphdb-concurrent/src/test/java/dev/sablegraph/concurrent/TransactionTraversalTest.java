package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.GraphConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Neighbours, traversal and shortest path see the snapshot plus the transaction's own writes. */
class TransactionTraversalTest {
    @TempDir
    Path dir;

    @Test
    void traversalSeesTheSnapshotAndOwnWrites() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, GraphConfig.builder().gcIntervalMillis(60_000).build())) {
            List<Long> n = new ArrayList<>();
            long cut;
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < 5; i++) {
                    n.add(tx.addNode(Set.of("N"), Map.of()));
                }
                for (int i = 0; i < 4; i++) {
                    tx.addEdge(n.get(i), n.get(i + 1), "NEXT", Map.of());
                }
                cut = tx.addEdge(n.get(0), n.get(4), "SKIP", Map.of());
                tx.addEdge(n.get(2), n.get(2), "SELF", Map.of());
                tx.commit();
            }
            Transaction old = db.begin();
            try (Transaction tx = db.begin()) {
                tx.deleteEdge(cut);                            // committed after `old` began
                long extra = tx.addNode(Set.of("N"), Map.of());
                tx.addEdge(n.get(1), extra, "NEXT", Map.of());
                tx.commit();
            }
            db.collectGarbage(); // must keep what `old` sees
            assertEquals(List.of(n.get(1), n.get(4)), sorted(old.neighbours(n.get(0), Direction.OUTGOING, null)));
            assertEquals(Optional.of(List.of(n.get(0), n.get(4))), old.shortestPath(n.get(0), n.get(4), Direction.OUTGOING, null));
            assertEquals(List.of(n.get(2)), old.neighbours(n.get(2), Direction.OUTGOING, "SELF"));
            assertEquals(5, old.traverse(n.get(0), Direction.OUTGOING, null, 10).count());
            old.close();
            try (Transaction tx = db.begin()) {
                assertEquals(List.of(n.get(1)), tx.neighbours(n.get(0), Direction.OUTGOING, null));
                assertEquals(5, tx.shortestPath(n.get(0), n.get(4), Direction.OUTGOING, null).orElseThrow().size());
                assertEquals(6, tx.traverse(n.get(0), Direction.OUTGOING, "NEXT", 10).count());
                // Own uncommitted writes count too, and deleting one hides it at once.
                long mine = tx.addNode(Set.of(), Map.of());
                long e = tx.addEdge(n.get(4), mine, "NEXT", Map.of());
                assertEquals(List.of(mine), tx.neighbours(n.get(4), Direction.OUTGOING, null));
                assertEquals(List.of(n.get(3), mine), sorted(tx.neighbours(n.get(4), Direction.BOTH, null)));
                tx.deleteEdge(e);
                assertEquals(List.of(), tx.neighbours(n.get(4), Direction.OUTGOING, null));
                assertEquals(List.of(), tx.neighbours(999_999, Direction.BOTH, null));
            }
        }
    }

    private static List<Long> sorted(List<Long> ids) {
        return ids.stream().sorted().toList();
    }
}
