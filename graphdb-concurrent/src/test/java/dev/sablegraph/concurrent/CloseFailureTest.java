package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever close() meets (here: the purge of many deletions at close in the smallest page cache),
 * it releases the directory, so the same process can open it again at once, and the log keeps
 * every commit that returned.
 */
class CloseFailureTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void theDirectoryCanBeReopenedInTheSameProcessWhateverCloseMet() {
        GraphConfig tiny = GraphConfig.builder().pageCacheBytes(16 * 8192).build();
        List<Long> kept = new ArrayList<>();
        ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, tiny);
        try {
            List<Long> doomed = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                try (Transaction tx = db.begin()) {
                    long id = tx.addNode(Set.of("Item", "T" + (i % 5)), Map.of("i", (long) i, "name", "item-" + i));
                    tx.commit();
                    (i % 4 == 0 ? kept : doomed).add(id);
                }
            }
            Transaction holdsTheHorizon = db.begin(); // deletions stay pending until close purges them
            holdsTheHorizon.getNode(kept.get(0));
            for (long id : doomed) {
                try (Transaction tx = db.begin()) {
                    tx.deleteNode(id);
                    tx.commit();
                }
            }
        } finally {
            try {
                db.close();
            } catch (RuntimeException closeFailed) {
                // the point of the test is what comes after
            }
        }
        try (ConcurrentGraphDB again = ConcurrentGraphDB.open(dir, tiny); Transaction tx = again.begin()) {
            assertEquals(kept.size(), tx.nodesByLabel("Item").size());
            for (long id : kept) {
                assertTrue(tx.getNode(id).isPresent());
            }
            assertTrue(again.checkIntegrity().isClean(), again.checkIntegrity().toString());
        }
    }
}
