package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint grows the spill file before its switch only for a cache that writers keep dirty
 * (docs/durability.md, "Checkpoints", step 0): a lightly written database's checkpoints leave the
 * file as small as its spills made it.
 */
class SpillReserveTest {
    @TempDir
    Path dir;

    @Test
    void aLightlyWrittenCacheGrowsNoSpillFileAtItsCheckpoints() throws Exception {
        GraphConfig config = GraphConfig.builder().pageCacheBytes(64L << 20).build();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config)) {
            for (int round = 0; round < 3; round++) {
                try (Transaction tx = db.begin()) {
                    for (int i = 0; i < 100; i++) {
                        tx.addNode(Set.of("N"), Map.of("i", (long) i));
                    }
                    tx.commit();
                }
                db.checkpoint();
            }
            Path spill = dir.resolve("spill.pages");
            long size = Files.exists(spill) ? Files.size(spill) : 0;
            assertTrue(size < (1 << 20), "a spill file of " + size + " bytes for a few dirty pages");
        }
    }
}
