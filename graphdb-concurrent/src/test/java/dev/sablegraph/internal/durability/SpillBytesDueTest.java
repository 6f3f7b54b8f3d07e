package dev.sablegraph.internal.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sablegraph.core.GraphConfig;
import org.junit.jupiter.api.Test;

/** The spill volume that makes a checkpoint due: the log volume, or the page cache's size when that is larger. */
class SpillBytesDueTest {
    @Test
    void aCacheLargerThanTheLogVolumeSetsIt() {
        GraphConfig bigCache = GraphConfig.builder().pageCacheBytes(1L << 30).build(); // log volume 256 MiB by default
        assertEquals(1L << 30, Checkpointer.spillBytesDue(bigCache));
    }

    @Test
    void aLogVolumeLargerThanTheCacheSetsIt() {
        GraphConfig smallCache = GraphConfig.builder().pageCacheBytes(24L << 20).build();
        assertEquals(256L << 20, Checkpointer.spillBytesDue(smallCache));
        GraphConfig bigLog = GraphConfig.builder().pageCacheBytes(1L << 30).checkpointLogBytes(2L << 30).build();
        assertEquals(2L << 30, Checkpointer.spillBytesDue(bigLog));
    }
}
