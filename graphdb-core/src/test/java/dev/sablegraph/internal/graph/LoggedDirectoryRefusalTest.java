package dev.sablegraph.internal.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.storage.Pager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directories of a database with a write-ahead log written before the data file recorded its kind
 * are known by their log files: UnloggedGraph, which cannot replay a log, refuses any directory that has
 * one, whatever its data file says, and changes nothing in it. A data file of that time without
 * log files beside it is UnloggedGraph's. (Refusals by the mark itself: graphdb-concurrent's
 * DatabaseKindTest.)
 */
class LoggedDirectoryRefusalTest {
    private static final GraphConfig SMALL = GraphConfig.builder().pageCacheBytes(1L << 20).build();

    @TempDir
    Path dir;

    @Test
    void aDirectoryWithALogDirectoryIsRefused() throws IOException {
        refusedWith(Files.createDirectory(dir.resolve("wal")));
    }

    @Test
    void aDirectoryWithACheckpointControlFileIsRefused() throws IOException {
        refusedWith(Files.write(dir.resolve("control"), new byte[] {1}));
    }

    @Test
    void aDirectoryWithAnUnfinishedCheckpointImageIsRefused() throws IOException {
        refusedWith(Files.write(dir.resolve("checkpoint.dwb"), new byte[] {1}));
    }

    @Test
    void aDataFileWrittenBeforeKindsWereRecordedOpensAndIsMarked() {
        try (UnloggedGraph db = UnloggedGraph.open(dir, SMALL)) {
            db.addNode(Set.of("N"), Map.of());
        }
        Path dataFile = dir.resolve(StoreLayout.DATA_FILE);
        assertEquals(DatabaseKind.WITHOUT_LOG.ordinal(), kindIn(dataFile));
        try (Pager pager = Pager.open(dataFile, SMALL)) {
            pager.setRoot(StoreLayout.KIND_SLOT, 0); // as every data file was before
        }
        try (UnloggedGraph db = UnloggedGraph.open(dir, SMALL)) {
            assertEquals(1, db.nodeCount());
        }
        assertEquals(DatabaseKind.WITHOUT_LOG.ordinal(), kindIn(dataFile), "marked when UnloggedGraph wrote it");
    }

    @Test
    void anUnknownKindIsReportedAsCorruption() {
        try (UnloggedGraph db = UnloggedGraph.open(dir, SMALL)) {
            db.addNode(Set.of("N"), Map.of());
        }
        try (Pager pager = Pager.open(dir.resolve(StoreLayout.DATA_FILE), SMALL)) {
            pager.setRoot(StoreLayout.KIND_SLOT, 77);
        }
        CorruptionException e = assertThrows(CorruptionException.class, () -> UnloggedGraph.open(dir, SMALL).close());
        assertTrue(e.getMessage().contains("unknown database kind 77"), e.getMessage());
    }

    private static long kindIn(Path dataFile) {
        try (Pager pager = Pager.open(dataFile, SMALL)) {
            return pager.root(StoreLayout.KIND_SLOT);
        }
    }

    private void refusedWith(Path logFile) throws IOException {
        Path data = Files.createDirectories(dir.resolve("db"));
        try (UnloggedGraph db = UnloggedGraph.open(data, SMALL)) {
            db.addNode(Set.of("N"), Map.of());
        }
        Files.move(logFile, data.resolve(logFile.getFileName()));
        byte[] before = Files.readAllBytes(data.resolve("data.sable"));
        GraphException e = assertThrows(GraphException.class, () -> UnloggedGraph.open(data, SMALL).close(),
                "UnloggedGraph opened a directory with " + logFile.getFileName());
        assertTrue(e.getMessage().contains(data.toString()) && e.getMessage().contains("ConcurrentGraphDB.open"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(data.resolve("data.sable")), "the refused open wrote");
    }
}
