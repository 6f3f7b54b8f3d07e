package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.WriteConflictException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code addEdge} accepts exactly the endpoints the transaction sees: its snapshot's nodes (before
 * and after their version chains are collected) plus its own writes, never a node created after
 * its snapshot, deleted before it, deleted by itself, or never created.
 */
class EdgeEndpointVisibilityTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void anEdgeMayEndOnlyAtANodeTheTransactionSees(LockStrategy strategy) {
        GraphConfig config = GraphConfig.builder().lockStrategy(strategy).gcIntervalMillis(60_000).build();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config)) {
            long old;
            long gone;
            try (Transaction tx = db.begin()) {
                old = tx.addNode(Set.of("N"), Map.of("k", 1L));
                gone = tx.addNode(Set.of("N"), Map.of());
                tx.commit();
            }
            db.collectGarbage(); // old and gone: stored, no chain left
            try (Transaction tx = db.begin()) {
                tx.deleteNode(gone);
                tx.commit();
            }
            db.collectGarbage(); // gone: purged

            Transaction snapshot = db.begin();
            long later;
            long deletedLater;
            try (Transaction tx = db.begin()) {
                later = tx.addNode(Set.of("N"), Map.of());
                deletedLater = tx.addNode(Set.of("N"), Map.of());
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                tx.deleteNode(deletedLater);
                tx.commit();
            }

            // Created after the snapshot: the snapshot does not see it, chain or no chain.
            assertThrows(EntityNotFoundException.class, () -> snapshot.addEdge(old, later, "E", Map.of()));
            assertThrows(EntityNotFoundException.class, () -> snapshot.addEdge(deletedLater, old, "E", Map.of()));
            // Deleted and purged before the snapshot, never created, negative.
            assertThrows(EntityNotFoundException.class, () -> snapshot.addEdge(old, gone, "E", Map.of()));
            assertThrows(EntityNotFoundException.class, () -> snapshot.addEdge(old, 1_000_000L, "E", Map.of()));
            assertThrows(EntityNotFoundException.class, () -> snapshot.addEdge(-1, old, "E", Map.of()));
            // A snapshot taken after those commits, their chains still there: one seen, one deleted.
            try (Transaction fresh = db.begin()) {
                fresh.addEdge(later, old, "E", Map.of());
                assertThrows(EntityNotFoundException.class, () -> fresh.addEdge(later, deletedLater, "E", Map.of()));
            }
            // Its own writes: a node it created is an endpoint, one it deleted is not.
            long mine = snapshot.addNode(Set.of("N"), Map.of());
            long edge = snapshot.addEdge(old, mine, "E", Map.of());
            long doomed = snapshot.addNode(Set.of(), Map.of());
            snapshot.deleteNode(doomed);
            assertThrows(EntityNotFoundException.class, () -> snapshot.addEdge(old, doomed, "E", Map.of()));
            snapshot.commit();

            try (Transaction tx = db.begin()) {
                assertEquals(old, tx.getEdge(edge).orElseThrow().from());
                assertEquals(1, tx.degree(mine, Direction.BOTH));
            }

            // Seen by the snapshot but deleted by a later commit: the node is there for it, so the
            // refusal is the write conflict that first-committer-wins makes, not "not found".
            long lonely;
            try (Transaction tx = db.begin()) {
                lonely = tx.addNode(Set.of("N"), Map.of());
                tx.commit();
            }
            Transaction before = db.begin();
            try (Transaction tx = db.begin()) {
                tx.deleteNode(lonely);
                tx.commit();
            }
            assertThrows(WriteConflictException.class, () -> before.addEdge(lonely, later, "E", Map.of()));
            before.close();
        }
    }
}
