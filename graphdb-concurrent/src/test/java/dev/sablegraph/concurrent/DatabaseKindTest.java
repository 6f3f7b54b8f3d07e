package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.internal.graph.UnloggedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory written by {@link ConcurrentGraphDB} holds a write-ahead log that {@link UnloggedGraph}
 * cannot replay: UnloggedGraph must refuse it, however it finds it (crashed, closed, or its data file
 * alone), and must not change a byte of it. ConcurrentGraphDB may take over an UnloggedGraph directory;
 * from then on UnloggedGraph refuses it too.
 */
class DatabaseKindTest {
    /** No background checkpoint may run while a test copies an open database's files. */
    private static final GraphConfig QUIET = GraphConfig.builder().gcIntervalMillis(60_000)
            .walSegmentBytes(1L << 20).build();

    @TempDir
    Path dir;

    @Test
    void graphDbRefusesACrashedTransactionalDirectoryAndLeavesItRecoverable() throws IOException {
        Path live = dir.resolve("live");
        Path crashed = dir.resolve("crashed");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(live, QUIET)) {
            for (int i = 0; i < 100; i++) {
                try (Transaction tx = db.begin()) {
                    tx.addNode(Set.of("N"), Map.of("i", (long) i));
                    tx.commit();
                }
            }
            // what a crash now leaves: the commits are in the log only
            ConcurrencyTestSupport.copyCrashImage(live, crashed);
        }
        Map<Path, byte[]> before = contents(crashed);

        GraphException refused = assertThrows(GraphException.class, () -> UnloggedGraph.open(crashed, QUIET).close(),
                "UnloggedGraph opened a directory whose commits are in a write-ahead log it cannot replay");
        assertTrue(refused.getMessage().contains(crashed.toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("ConcurrentGraphDB.open"), refused.getMessage());
        assertUnchanged(before, crashed);

        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(crashed, QUIET)) {
            try (Transaction tx = db.begin()) {
                assertEquals(100, tx.nodesByLabel("N").size());
            }
            IntegrityReport report = db.checkIntegrity();
            assertTrue(report.isClean(), report.toString());
        }
    }

    @Test
    void graphDbRefusesTheDataFileOfATransactionalDatabaseWithoutItsLog() throws IOException {
        Path live = dir.resolve("live");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(live, QUIET); Transaction tx = db.begin()) {
            tx.addNode(Set.of("N"), Map.of());
            tx.commit();
        }
        Path dataOnly = Files.createDirectories(dir.resolve("data-only"));
        Files.copy(live.resolve("data.sable"), dataOnly.resolve("data.sable"));
        Map<Path, byte[]> before = contents(dataOnly);

        GraphException refused = assertThrows(GraphException.class, () -> UnloggedGraph.open(dataOnly, QUIET).close(),
                "the data file itself must say that it belongs to a database with a log");
        assertTrue(refused.getMessage().contains("ConcurrentGraphDB.open"), refused.getMessage());
        assertUnchanged(before, dataOnly);
    }

    @Test
    void concurrentGraphDbTakesOverAGraphDbDirectoryWhichGraphDbThenRefuses() throws IOException {
        Path db = dir.resolve("db");
        try (UnloggedGraph plain = UnloggedGraph.open(db, QUIET)) {
            for (int i = 0; i < 10; i++) {
                plain.addNode(Set.of("N"), Map.of("i", (long) i));
            }
        }
        try (UnloggedGraph plain = UnloggedGraph.open(db, QUIET)) {
            assertEquals(10, plain.nodeCount(), "UnloggedGraph reopens its own directory");
        }
        try (ConcurrentGraphDB concurrent = ConcurrentGraphDB.open(db, QUIET)) {
            // The mark is durable as soon as open returns, before any commit is logged.
            Path dataOnly = Files.createDirectories(dir.resolve("data-only"));
            Files.copy(db.resolve("data.sable"), dataOnly.resolve("data.sable"));
            assertThrows(GraphException.class, () -> UnloggedGraph.open(dataOnly, QUIET).close(),
                    "the take-over is recorded in the data file at open");
            try (Transaction tx = concurrent.begin()) {
                assertEquals(10, tx.nodesByLabel("N").size());
                tx.addNode(Set.of("N"), Map.of("i", 10L));
                tx.commit();
            }
        }
        assertThrows(GraphException.class, () -> UnloggedGraph.open(db, QUIET).close());
        try (ConcurrentGraphDB concurrent = ConcurrentGraphDB.open(db, QUIET); Transaction tx = concurrent.begin()) {
            assertEquals(11, tx.nodesByLabel("N").size());
            assertTrue(concurrent.checkIntegrity().isClean());
        }
    }

    /** Every file under {@code root} but the lock file, with its bytes. */
    private static Map<Path, byte[]> contents(Path root) throws IOException {
        Map<Path, byte[]> files = new java.util.TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().equals("LOCK")) {
                    files.put(root.relativize(p), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    private static void assertUnchanged(Map<Path, byte[]> before, Path root) throws IOException {
        Map<Path, byte[]> after = contents(root);
        assertEquals(before.keySet(), after.keySet(), "files of " + root);
        for (Map.Entry<Path, byte[]> e : before.entrySet()) {
            assertTrue(Arrays.equals(e.getValue(), after.get(e.getKey())), e.getKey() + " was changed by the refused open");
        }
    }
}
