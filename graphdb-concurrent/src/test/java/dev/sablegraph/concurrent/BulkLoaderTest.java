package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import dev.sablegraph.internal.graph.UnloggedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BulkLoader}: what it builds opens as a database with nothing to recover and a clean
 * integrity check, holding exactly what was added; refused input adds nothing; an abandoned load
 * leaves nothing behind; it never writes into an existing directory.
 */
class BulkLoaderTest {
    private static final GraphConfig SMALL = GraphConfig.builder().pageCacheBytes(8L << 20).build();

    @TempDir
    Path dir;

    @Test
    void whatItBuildsOpensCleanAndHoldsWhatWasAdded() {
        Path db = dir.resolve("db");
        try (BulkLoader loader = BulkLoader.create(db, SMALL)) {
            assertEquals(0, loader.addNode(Set.of("Person"), Map.of("name", "Ada", "born", 1815)));
            assertEquals(1, loader.addNode(Set.of("Person", "Author"), Map.of("name", "Alan", "bytes", new byte[] {1, 2})));
            assertEquals(2, loader.addNode(Set.of(), Map.of()));
            assertEquals(0, loader.addEdge(0, 1, "KNOWS", Map.of("since", 1.5)));
            assertEquals(1, loader.addEdge(1, 1, "SELF", Map.of()));
            assertEquals(3, loader.nodeCount());
            assertEquals(2, loader.edgeCount());
            loader.finish();
        }
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db)) {
            IntegrityReport report = graph.checkIntegrity();
            assertTrue(report.isClean(), report::toString);
            try (Transaction tx = graph.begin()) {
                Node ada = tx.getNode(0).orElseThrow();
                assertEquals(Set.of("Person"), ada.labels());
                assertEquals(Map.of("name", "Ada", "born", 1815L), ada.properties());
                Node alan = tx.getNode(1).orElseThrow();
                assertEquals(Set.of("Person", "Author"), alan.labels());
                assertArrayEquals(new byte[] {1, 2}, (byte[]) alan.properties().get("bytes"));
                assertEquals(Set.of(), tx.getNode(2).orElseThrow().labels());
                Edge knows = tx.getEdge(0).orElseThrow();
                assertEquals(new Edge(0, 0, 1, "KNOWS", Map.of("since", 1.5)), knows);
                assertEquals(List.of(knows), tx.edges(1, Direction.INCOMING, "KNOWS"));
                assertEquals(1, tx.edges(1, Direction.BOTH, "SELF").size());
                assertEquals(List.of(tx.getNode(1).orElseThrow()), tx.findNodes("Author", "name", "Alan"));
                assertEquals(2, tx.nodesByLabel("Person").size());
                // the database takes new transactions on top
                long n = tx.addNode(Set.of("Person"), Map.of());
                tx.addEdge(n, 0, "KNOWS", Map.of());
                tx.commit();
            }
            assertTrue(graph.checkIntegrity().isClean());
        }
    }

    @Test
    void theResultBelongsToConcurrentGraphDB() {
        Path db = dir.resolve("db");
        try (BulkLoader loader = BulkLoader.create(db, SMALL)) {
            loader.addNode(Set.of("A"), Map.of());
            loader.finish();
        }
        // taken over at finish: an opener without a log would see an older state, so it is refused
        assertThrows(GraphException.class, () -> UnloggedGraph.open(db).close());
    }

    @Test
    void manyNodesAndEdgesThroughASmallPageCache() {
        Path db = dir.resolve("db");
        int n = 20_000;
        try (BulkLoader loader = BulkLoader.create(db, GraphConfig.builder().pageCacheBytes(1L << 20).build())) {
            for (int i = 0; i < n; i++) {
                loader.addNode(Set.of(i % 2 == 0 ? "Even" : "Odd"), Map.of("i", i, "s", "node-" + i));
            }
            for (int i = 0; i < n; i++) {
                loader.addEdge(i, (i * 7L + 3) % n, "NEXT", Map.of("w", i));
                loader.addEdge(i, 0, "HUB", Map.of());
            }
            loader.finish();
        }
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db)) {
            assertTrue(graph.checkIntegrity().isClean());
            try (Transaction tx = graph.begin()) {
                assertEquals(n / 2, tx.nodesByLabel("Even").size());
                assertEquals(n, tx.edges(0, Direction.INCOMING, "HUB").size());
                assertEquals(Map.of("i", 4321L, "s", "node-4321"), tx.getNode(4321).orElseThrow().properties());
            }
        }
    }

    @Test
    void edgesSortedInManySmallChunksAroundAHubAndNodesAddedBetweenEdges() {
        Path db = dir.resolve("db");
        java.util.Random random = new java.util.Random(7);
        List<long[]> expected = new java.util.ArrayList<>();
        try (BulkLoader loader = BulkLoader.create(db, SMALL, 4096)) {
            for (int i = 0; i < 3000; i++) {
                loader.addNode(Set.of("N", i % 2 == 0 ? "Even" : "Odd"), Map.of("k", (long) (i % 7), "s", "v" + i));
            }
            for (int i = 0; i < 30_000; i++) {
                if (i % 1000 == 999) {
                    loader.addNode(Set.of("Late"), Map.of()); // beyond the ranges the first edge fixed
                }
                long from = random.nextInt(4) == 0 ? 0 : random.nextInt((int) loader.nodeCount());
                long to = random.nextInt(3) == 0 ? 1 : random.nextInt((int) loader.nodeCount());
                String type = random.nextBoolean() ? "A" : "B";
                long id = loader.addEdge(from, to, type, Map.of("i", i));
                expected.add(new long[] {id, from, to});
            }
            loader.finish();
        }
        assertFalse(Files.exists(db.resolve("bulk-load-edges")), "no spill files are left");
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db)) {
            IntegrityReport report = graph.checkIntegrity();
            assertTrue(report.isClean(), report::toString);
            try (Transaction tx = graph.begin()) {
                for (long[] e : expected) {
                    Edge edge = tx.getEdge(e[0]).orElseThrow();
                    assertEquals(e[1], edge.from());
                    assertEquals(e[2], edge.to());
                    assertEquals((long) e[0], edge.properties().get("i"));
                }
                long hubOut = expected.stream().filter(e -> e[1] == 0).count();
                assertEquals(hubOut, tx.edges(0, Direction.OUTGOING, null).size());
                long intoOne = expected.stream().filter(e -> e[2] == 1).count();
                assertEquals(intoOne, tx.edges(1, Direction.INCOMING, null).size());
                assertEquals(30, tx.nodesByLabel("Late").size());
                // property index entries went in sorted, in many runs of a small buffer
                assertEquals(3000 / 7 + 1, tx.findNodes("N", "k", 0L).size());
                assertEquals(List.of(2999L), tx.findNodes("Odd", "s", "v2999").stream().map(n -> n.id()).toList());
            }
        }
    }

    @Test
    void refusedInputAddsNothingAndTheLoaderStaysUsable() {
        Path db = dir.resolve("db");
        try (BulkLoader loader = BulkLoader.create(db, SMALL)) {
            loader.addNode(Set.of("A"), Map.of());
            Map<String, Object> bad = new HashMap<>();
            bad.put("k", new Object());
            assertThrows(IllegalArgumentException.class, () -> loader.addNode(Set.of("A"), bad));
            assertThrows(IllegalArgumentException.class, () -> loader.addNode(Set.of(""), Map.of()));
            assertThrows(IllegalArgumentException.class, () -> loader.addNode(null, Map.of()));
            assertThrows(IllegalArgumentException.class, () -> loader.addEdge(0, 0, "", Map.of()));
            assertThrows(EntityNotFoundException.class, () -> loader.addEdge(0, 1, "T", Map.of()));
            assertThrows(EntityNotFoundException.class, () -> loader.addEdge(-1, 0, "T", Map.of()));
            assertEquals(1, loader.nodeCount());
            assertEquals(0, loader.edgeCount());
            assertEquals(1, loader.addNode(Set.of("A"), Map.of()));
            assertEquals(0, loader.addEdge(0, 1, "T", Map.of()));
            loader.finish();
            assertThrows(IllegalStateException.class, () -> loader.addNode(Set.of(), Map.of()));
        }
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db)) {
            assertTrue(graph.checkIntegrity().isClean());
        }
    }

    @Test
    void anAbandonedLoadLeavesNothing() throws IOException {
        Path db = dir.resolve("db");
        try (BulkLoader loader = BulkLoader.create(db, SMALL)) {
            loader.addNode(Set.of("A"), Map.of("k", "v"));
        }
        assertFalse(Files.exists(db));

        Path empty = Files.createDirectory(dir.resolve("empty"));
        try (BulkLoader loader = BulkLoader.create(empty, SMALL)) {
            loader.addNode(Set.of("A"), Map.of());
        }
        assertTrue(Files.isDirectory(empty), "a directory the loader did not create stays");
        try (var entries = Files.list(empty)) {
            assertEquals(0, entries.count());
        }
    }

    @Test
    void anExistingDatabaseOrFileIsRefusedUntouched() throws IOException {
        Path db = dir.resolve("db");
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db); Transaction tx = graph.begin()) {
            tx.addNode(Set.of("Keep"), Map.of());
            tx.commit();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BulkLoader.create(db, SMALL));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db); Transaction tx = graph.begin()) {
            assertEquals(1, tx.nodesByLabel("Keep").size());
        }
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThrows(IllegalArgumentException.class, () -> BulkLoader.create(file, SMALL));
        assertEquals("x", Files.readString(file));
    }
}
