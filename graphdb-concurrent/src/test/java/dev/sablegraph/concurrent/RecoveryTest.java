package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Durability;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery from crash images taken in-process. With no-steal the data file changes only at
 * checkpoints, so a copy of the directory taken while the database is open (between checkpoints,
 * after forcing the log) is exactly what a crash at that instant leaves behind.
 */
class RecoveryTest {
    @TempDir
    Path dir;

    @Test
    void replayLargerThanThePageCacheCheckpointsAsItGoes() throws IOException {
        Path crashed = dir.resolve("crashed");
        GraphConfig big = GraphConfig.builder().pageCacheBytes(64L << 20).durability(Durability.ASYNC)
                .checkpointLogBytes(1L << 40).gcIntervalMillis(60_000).build();
        int nodes = 30_000;
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir.resolve("live"), big)) {
            for (int batch = 0; batch < nodes / 100; batch++) {
                try (Transaction tx = db.begin()) {
                    for (int i = 0; i < 100; i++) {
                        tx.addNode(Set.of("N"), Map.of("i", (long) (batch * 100 + i), "pad", new byte[200]));
                    }
                    tx.commit();
                }
            }
            db.flushLog();
            assertEquals(0, db.checkpoints(), "no checkpoint yet: the log holds everything");
            ConcurrencyTestSupport.copyCrashImage(dir.resolve("live"), crashed);
        }
        // 1 MiB of cache is 128 pages: far less than the replayed data, so replay must checkpoint.
        GraphConfig tiny = GraphConfig.builder().pageCacheBytes(1L << 20).build();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(crashed, tiny); Transaction tx = db.begin()) {
            List<Node> all = tx.nodesByLabel("N");
            assertEquals(nodes, all.size());
            for (int k = 0; k < nodes; k += 997) {
                assertEquals((long) k, tx.findNodes("N", "i", (long) k).get(0).properties().get("i"));
            }
        }
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(crashed, tiny); Transaction tx = db.begin()) {
            assertEquals(nodes, tx.nodesByLabel("N").size(), "and again after a clean reopen");
        }
    }

    @Test
    void indexEntriesKeptForASnapshotDoNotOutliveACrash() throws IOException {
        Path live = dir.resolve("live");
        Path crashed = dir.resolve("crashed");
        GraphConfig noBackgroundWork = GraphConfig.builder().gcIntervalMillis(60_000).build();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(live, noBackgroundWork)) {
            db.createIndex("P", "k");
            assertTrue(db.awaitIndexesOnline(java.time.Duration.ofMinutes(1)));
            long id;
            try (Transaction tx = db.begin()) {
                id = tx.addNode(Set.of("P"), Map.of("k", 1L));
                tx.commit();
            }
            try (Transaction reader = db.begin()) {
                try (Transaction tx = db.begin()) {
                    tx.setNodeProperty(id, "k", 2L);
                    tx.commit();
                }
                db.collectGarbage();
                assertEquals(1, reader.findNodes("P", "k", 1L).size(), "the reader still finds the old value");
                IntegrityReport held = db.checkIntegrity();
                assertTrue(held.isClean(), held.toString());
                assertEquals(1, held.count("index entries kept for older snapshots"), held.toString());
                db.checkpoint(); // the data file now holds the entry the reader needs
                ConcurrencyTestSupport.copyCrashImage(live, crashed);
            }
        }
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(crashed, noBackgroundWork)) {
            IntegrityReport report = db.checkIntegrity();
            assertTrue(report.isClean(), "no snapshot survives a crash, so neither may its index entry\n" + report);
            assertEquals(0, report.count("index entries kept for older snapshots"), report.toString());
            try (Transaction tx = db.begin()) {
                assertEquals(List.of(), tx.findNodes("P", "k", 1L));
                assertEquals(1, tx.findNodes("P", "k", 2L).size());
            }
        }
    }
}
