package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.assertPattern;
import static dev.sablegraph.internal.storage.StorageTestSupport.open;
import static dev.sablegraph.internal.storage.StorageTestSupport.writePattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fault finds a victim while other threads keep every frame's CLOCK counter high, as readers
 * hitting every cached page do while the faulting thread runs slowly (a loaded machine): the
 * counters order victims, they must never make a cache of unpinned, unlocked frames look full.
 */
class VictimUnderHotUsageTest {
    private static final int FRAMES = 16;
    private static final int PAGES = 64;

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aFaultFindsAVictimWhileEveryFrameIsKeptRecentlyUsed() throws Exception {
        try (Pager p = open(dir.resolve("data.sable"), FRAMES)) {
            long[] pages = new long[PAGES];
            for (int i = 0; i < PAGES; i++) {
                pages[i] = p.allocate(PageType.SLOTTED);
                writePattern(p, pages[i], i);
            }
            PageCache cache = p.cache();
            AtomicBoolean stop = new AtomicBoolean();
            Thread toucher = new Thread(() -> {
                while (!stop.get()) {
                    for (int i = 0; i < FRAMES; i++) {
                        Frame f = cache.frame(i);
                        if (f != null) {
                            f.usage = Frame.MAX_USAGE;
                        }
                    }
                }
            }, "toucher");
            toucher.setDaemon(true);
            toucher.start();
            try {
                for (int round = 0; round < 500; round++) {
                    for (int i = 0; i < PAGES; i++) {
                        assertPattern(p, pages[i], i); // each read of an evicted page faults and needs a victim
                    }
                }
            } finally {
                stop.set(true);
                toucher.join();
            }
            assertEquals(0, p.metrics().pinnedPages());
        }
    }
}
