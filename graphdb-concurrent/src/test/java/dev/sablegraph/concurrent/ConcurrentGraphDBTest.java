package dev.sablegraph.concurrent;

import dev.sablegraph.core.CheckpointMetrics;
import dev.sablegraph.core.MvccMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.DatabaseLockedException;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConcurrentGraphDBTest {
    @TempDir
    Path dir;

    private ConcurrentGraphDB open(LockStrategy strategy) {
        return open(strategy, Durability.SYNC);
    }

    private ConcurrentGraphDB open(LockStrategy strategy, Durability durability) {
        // A long collector interval: tests call collectGarbage() themselves when they mean to.
        return ConcurrentGraphDB.open(dir, GraphConfig.builder().lockStrategy(strategy).durability(durability)
                .pageCacheBytes(16L << 20).gcIntervalMillis(60_000).build());
    }

    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void committedDataIsVisibleToLaterTransactionsAndSurvivesReopen(LockStrategy strategy) {
        long a;
        long b;
        long e;
        try (ConcurrentGraphDB db = open(strategy)) {
            try (Transaction tx = db.begin()) {
                a = tx.addNode(Set.of("Person"), Map.of("name", "Alice"));
                b = tx.addNode(Set.of("Person"), Map.of("name", "Bob"));
                e = tx.addEdge(a, b, "KNOWS", Map.of("since", 2019));
                assertEquals("Alice", tx.getNode(a).orElseThrow().properties().get("name"), "own writes are visible");
                assertEquals(1, tx.edges(a, Direction.OUTGOING, "KNOWS").size());
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                assertEquals(Set.of("Person"), tx.getNode(b).orElseThrow().labels());
                assertEquals(List.of(a, b), tx.nodesByLabel("Person").stream().map(Node::id).toList());
                assertEquals(List.of(b), tx.findNodes("Person", "name", "Bob").stream().map(Node::id).toList());
                assertEquals(2019L, tx.getEdge(e).orElseThrow().properties().get("since"));
            }
        }
        try (ConcurrentGraphDB db = open(strategy); Transaction tx = db.begin()) {
            assertEquals("Bob", tx.getNode(b).orElseThrow().properties().get("name"));
            assertEquals(List.of(e), tx.edges(b, Direction.INCOMING, null).stream().map(Edge::id).toList());
        }
    }

    @Test
    void uncommittedAndRolledBackWritesAreNeverVisible() {
        try (ConcurrentGraphDB db = open(LockStrategy.OPTIMISTIC)) {
            Transaction writer = db.begin();
            long id = writer.addNode(Set.of("L"), Map.of("k", 1));
            try (Transaction reader = db.begin()) {
                assertEquals(Optional.empty(), reader.getNode(id));
                assertEquals(List.of(), reader.nodesByLabel("L"));
            }
            writer.rollback();
            try (Transaction reader = db.begin()) {
                assertEquals(Optional.empty(), reader.getNode(id));
                assertEquals(List.of(), reader.findNodes("L", "k", 1));
            }
        }
    }

    @Test
    void snapshotKeepsOldValuesIndexHitsAndEdgesAfterOthersCommitAndCollect() {
        try (ConcurrentGraphDB db = open(LockStrategy.OPTIMISTIC)) {
            long a;
            long b;
            long e;
            try (Transaction tx = db.begin()) {
                a = tx.addNode(Set.of("P"), Map.of("v", "old"));
                b = tx.addNode(Set.of("P"), Map.of());
                e = tx.addEdge(a, b, "T", Map.of());
                tx.commit();
            }
            Transaction old = db.begin();
            try (Transaction tx = db.begin()) {
                tx.setNodeProperty(a, "v", "new");
                tx.deleteEdge(e);
                tx.removeLabel(b, "P");
                tx.commit();
            }
            db.collectGarbage(); // must keep what `old` can see
            assertEquals("old", old.getNode(a).orElseThrow().properties().get("v"));
            assertEquals(List.of(a), old.findNodes("P", "v", "old").stream().map(Node::id).toList());
            assertEquals(List.of(), old.findNodes("P", "v", "new"));
            assertEquals(List.of(e), old.edges(a, Direction.OUTGOING, null).stream().map(Edge::id).toList());
            assertEquals(List.of(a, b), old.nodesByLabel("P").stream().map(Node::id).toList());
            try (Transaction now = db.begin()) {
                assertEquals(List.of(a), now.findNodes("P", "v", "new").stream().map(Node::id).toList());
                assertEquals(List.of(), now.findNodes("P", "v", "old"));
                assertEquals(List.of(), now.edges(a, Direction.OUTGOING, null));
                assertEquals(List.of(a), now.nodesByLabel("P").stream().map(Node::id).toList());
            }
            MvccMetrics held = db.metrics();
            assertTrue(held.reclamationLag() > 0 && held.versions() > 0, "a long reader holds versions back: " + held);
            old.close();
            db.collectGarbage();
            MvccMetrics after = db.metrics();
            assertEquals(0, after.versionChains(), after.toString());
            assertEquals(1, after.purgedEntities(), "the deleted edge is physically gone: " + after);
            try (Transaction now = db.begin()) {
                assertEquals(Optional.empty(), now.getEdge(e));
            }
        }
    }

    /**
     * Collecting a chain leaves the node's cache entry in place (the store state it holds did not
     * change) tagged with the dropped chain's timestamp: it must never be served for a state that
     * came later, to snapshots before or after the next collection. The tags and installation's
     * invalidation each keep it so; without both, this fails.
     */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void aCacheEntryOutlivingItsChainIsNeverServedStale(LockStrategy strategy) {
        try (ConcurrentGraphDB db = open(strategy)) {
            long id = db.inTransaction(tx -> tx.addNode(Set.of("N"), Map.of("v", 0L)));
            for (long v = 1; v <= 3; v++) {
                long value = v;
                db.runInTransaction(tx -> tx.setNodeProperty(id, "v", value));
                assertEquals((Object) value, valueOf(db, id));
                db.collectGarbage(); // drops the chain, keeps the entry just filled
                assertEquals(0, db.metrics().versionChains(), db.metrics().toString());
                assertEquals((Object) value, valueOf(db, id));
                try (Transaction before = db.begin()) {
                    db.runInTransaction(tx -> tx.setNodeProperty(id, "v", -value));
                    assertEquals((Object) value, before.getNode(id).orElseThrow().properties().get("v"), "snapshot before");
                }
                assertEquals((Object) (-value), valueOf(db, id));
                db.collectGarbage();
                assertEquals((Object) (-value), valueOf(db, id));
            }
        }
    }

    private static Object valueOf(ConcurrentGraphDB db, long id) {
        return db.readTransaction(tx -> tx.getNode(id).orElseThrow().properties().get("v"));
    }

    /**
     * Collection skips the index clean-up of a chain whose replacements kept every index entry
     * (updates of properties no index covers). An index created while such a chain lives must still
     * lose the entries of the states collection drops: the replacements after its creation are
     * tested against it. (Making every replacement count as keeping its entries fails this.)
     */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void entriesOfAnIndexCreatedWhileAChainLivesAreReclaimed(LockStrategy strategy) {
        try (ConcurrentGraphDB db = open(strategy)) {
            long id = db.inTransaction(tx -> tx.addNode(Set.of("Person"), Map.of("name", "Ada", "age", 0L)));
            try (Transaction reader = db.begin()) {
                reader.getNode(id); // holds every state from here on
                db.runInTransaction(tx -> tx.setNodeProperty(id, "age", 1L)); // no index covers it yet
                db.createIndex("Person", "age");
                assertTrue(db.awaitIndexesOnline(java.time.Duration.ofMinutes(1)));
                db.runInTransaction(tx -> tx.setNodeProperty(id, "age", 2L));
                db.runInTransaction(tx -> tx.setNodeProperty(id, "age", 3L));
                db.runInTransaction(tx -> tx.setNodeProperty(id, "name", "Grace")); // keeps age 3's entry
            }
            db.collectGarbage();
            assertEquals(0, db.metrics().versionChains(), db.metrics().toString());
            assertEquals(1, db.propertyIndexSize(), "only the current state's age entry is left");
            try (Transaction tx = db.begin()) {
                assertEquals(List.of(id), tx.findNodes("Person", "age", 3L).stream().map(Node::id).toList());
                for (long old = 0; old < 3; old++) {
                    assertEquals(List.of(), tx.findNodes("Person", "age", old), "age " + old);
                }
            }
            assertTrue(db.checkIntegrity().isClean(), () -> db.checkIntegrity().toString());
        }
    }

    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void manyUpdatesOfOneNodeKeepTheChainAndTheFileBounded(LockStrategy strategy) throws IOException {
        // About version bounds, not fsync cost: ASYNC keeps 100,000 commits fast.
        try (ConcurrentGraphDB db = open(strategy, Durability.ASYNC)) {
            db.createIndex("Hot", "n");
            assertTrue(db.awaitIndexesOnline(java.time.Duration.ofMinutes(1)));
            long id;
            try (Transaction tx = db.begin()) {
                id = tx.addNode(Set.of("Hot"), Map.of("n", 0L));
                tx.commit();
            }
            long sizeAfterWarmup = 0;
            for (int i = 1; i <= 100_000; i++) {
                try (Transaction tx = db.begin()) {
                    tx.setNodeProperty(id, "n", (long) i);
                    tx.commit();
                }
                if (i % 1000 == 0) {
                    db.collectGarbage();
                    assertTrue(db.versionChainLength(id) <= 1, "chain after collection: " + db.versionChainLength(id));
                }
                if (i == 10_000) {
                    db.flush();
                    sizeAfterWarmup = Files.size(dir.resolve("data.sable"));
                }
            }
            db.collectGarbage();
            db.flush();
            assertEquals(sizeAfterWarmup, Files.size(dir.resolve("data.sable")), "the file does not grow");
            assertEquals(1, db.propertyIndexSize(), "stale index entries were reclaimed");
            try (Transaction tx = db.begin()) {
                assertEquals(100_000L, tx.getNode(id).orElseThrow().properties().get("n"));
                assertEquals(List.of(id), tx.findNodes("Hot", "n", 100_000L).stream().map(Node::id).toList());
            }
        }
    }

    @Test
    void deletedNodesArePurgedAfterCollectionAndIdsAreNotReused() {
        try (ConcurrentGraphDB db = open(LockStrategy.READ_WRITE)) {
            long a;
            long b;
            try (Transaction tx = db.begin()) {
                a = tx.addNode(Set.of("X"), Map.of("k", "v"));
                b = tx.addNode(Set.of("X"), Map.of());
                tx.addEdge(a, b, "T", Map.of());
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                assertThrows(GraphException.class, () -> tx.deleteNode(a), "refused while it has edges");
                for (Edge e : tx.edges(a, Direction.BOTH, null)) {
                    tx.deleteEdge(e.id());
                }
                tx.deleteNode(a);
                assertEquals(Optional.empty(), tx.getNode(a));
                tx.commit();
            }
            db.collectGarbage();
            assertEquals(2, db.metrics().purgedEntities());
            try (Transaction tx = db.begin()) {
                assertEquals(List.of(b), tx.nodesByLabel("X").stream().map(Node::id).toList());
                long c = tx.addNode(Set.of(), Map.of());
                assertTrue(c > b, "ids are never reused");
                assertThrows(EntityNotFoundException.class, () -> tx.setNodeProperty(a, "k", 1));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void deletesAndIndexChangesCommittedJustBeforeCloseStayAfterReopen(LockStrategy strategy) {
        long a;
        long b;
        long e;
        try (ConcurrentGraphDB db = open(strategy)) {
            db.createIndex("L", "k");
            assertTrue(db.awaitIndexesOnline(java.time.Duration.ofMinutes(1)));
            try (Transaction tx = db.begin()) {
                a = tx.addNode(Set.of("L"), Map.of("k", "old"));
                b = tx.addNode(Set.of("L"), Map.of());
                e = tx.addEdge(a, b, "T", Map.of());
                tx.commit();
            }
            Transaction reader = db.begin(); // holds every version back until close
            try (Transaction tx = db.begin()) {
                tx.deleteEdge(e);
                tx.deleteNode(b);
                tx.setNodeProperty(a, "k", "new");
                tx.commit();
            }
            assertTrue(reader.getNode(b).isPresent());
        }
        try (ConcurrentGraphDB db = open(strategy); Transaction tx = db.begin()) {
            assertEquals(Optional.empty(), tx.getNode(b), "a deleted node must not come back");
            assertEquals(Optional.empty(), tx.getEdge(e), "a deleted edge must not come back");
            assertEquals(List.of(), tx.edges(a, Direction.BOTH, null));
            assertEquals(List.of(a), tx.nodesByLabel("L").stream().map(Node::id).toList());
            assertEquals(List.of(), tx.findNodes("L", "k", "old"));
            assertEquals(1, db.propertyIndexSize(), "no stale index entries survive a close");
        }
    }

    @Test
    void lifecycleRulesOfTheContract() {
        ConcurrentGraphDB db = open(LockStrategy.OPTIMISTIC);
        Transaction tx = db.begin();
        long id = tx.addNode(Set.of(), Map.of());
        assertThrows(IllegalArgumentException.class, () -> tx.addNode(Set.of(""), Map.of()));
        assertThrows(EntityNotFoundException.class, () -> tx.setNodeProperty(999, "k", 1));
        assertTrue(tx.getNode(id).isPresent(), "usable after IllegalArgumentException / EntityNotFoundException");
        tx.commit();
        assertThrows(IllegalStateException.class, () -> tx.getNode(id));
        assertThrows(IllegalStateException.class, tx::commit);
        assertThrows(IllegalStateException.class, tx::rollback);
        tx.close();
        tx.close();
        assertThrows(DatabaseLockedException.class, () -> ConcurrentGraphDB.open(dir));
        Transaction open = db.begin();
        db.close();
        db.close();
        assertThrows(IllegalStateException.class, db::begin);
        assertThrows(IllegalStateException.class, () -> open.getNode(id));
        open.close();
        try (ConcurrentGraphDB again = ConcurrentGraphDB.open(dir); Transaction t = again.begin()) {
            assertTrue(t.getNode(id).isPresent());
            assertFalse(t.getNode(id + 1).isPresent());
        }
    }

    @Test
    void checkpointMetricsCountCheckpointsAndThePagesTheyWrote() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, GraphConfig.builder().gcIntervalMillis(60_000).build())) {
            assertEquals(0, db.checkpointMetrics().checkpoints());
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < 100; i++) {
                    tx.addNode(Set.of("N"), Map.of("i", (long) i));
                }
                tx.commit();
            }
            db.checkpoint();
            CheckpointMetrics first = db.checkpointMetrics();
            assertEquals(1, first.checkpoints());
            assertTrue(first.pagesWritten() > 0, first.toString());
            assertTrue(first.totalSwitchMicros() >= first.maxSwitchMicros(), first.toString());
            db.checkpoint(); // nothing changed: nothing to write
            CheckpointMetrics second = db.checkpointMetrics();
            assertEquals(2, second.checkpoints());
            assertEquals(first.pagesWritten(), second.pagesWritten(), second.toString());
        }
    }

    @Test
    void aHeapTooSmallForCheckpointCopiesIsRefusedAtOpenNamingBothSizes() {
        ConcurrentGraphDB.requireHeapForCheckpoints(128L << 20, 64L << 20); // exactly half: fine
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConcurrentGraphDB.requireHeapForCheckpoints(1L << 30, 256L << 20));
        assertTrue(e.getMessage().contains("1024 MiB") && e.getMessage().contains("512 MiB")
                && e.getMessage().contains("256 MiB"), e.getMessage());
    }
}
