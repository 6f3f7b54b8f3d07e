package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.graph.UnloggedGraph;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page cache gives its direct memory back when it closes, not when the garbage collector gets to
 * it: the JVM's direct buffer pool is back to where it was right after close, while the closed
 * cache is still reachable (so no collection could have freed it). Memory is never freed under a
 * cursor still open, and everything that comes after close is an {@link IllegalStateException}.
 */
class PageCacheMemoryTest {
    private static final int VALUE_OFFSET = PageLayout.HEADER_SIZE;
    private static final int CACHE_BYTES = 1 << 20;

    @TempDir
    Path dir;

    private PageFile file;

    @BeforeEach
    void openFile() {
        file = PageFile.open(dir.resolve("pages"), PAGE_SIZE);
        file.ensureCapacity(64); // before any baseline: growth writes through a thread-cached direct buffer
    }

    @AfterEach
    void closeFile() {
        file.close();
    }

    private static long directMemoryUsed() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        throw new AssertionError("no direct buffer pool");
    }

    /** The JVM's direct memory limit: {@code -XX:MaxDirectMemorySize}, by default the maximum heap. */
    private static long directMemoryLimit() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        long flag = Long.parseLong(vm.getVMOption("MaxDirectMemorySize").getValue());
        return flag > 0 ? flag : Runtime.getRuntime().maxMemory();
    }

    private static void writeValue(PageCache cache, long page, long value) {
        try (PageCursor c = cache.write(page)) {
            c.putLong(VALUE_OFFSET, value);
        }
    }

    private static long readValue(PageCursor c) {
        long value;
        do {
            value = c.getLong(VALUE_OFFSET);
        } while (c.shouldRetry());
        return value;
    }

    @Test
    void closingACacheGivesItsDirectMemoryBackAtOnce() {
        long before = directMemoryUsed();
        PageCache cache = new PageCache(file, CACHE_BYTES);
        cache.create(1); // the first chunk of frames, here the whole cache
        assertTrue(directMemoryUsed() >= before + CACHE_BYTES, "the frames are direct memory");
        writeValue(cache, 1, 7);
        cache.close();
        assertEquals(before, directMemoryUsed(), "direct memory in use after close (the cache is still reachable)");
        Reference.reachabilityFence(cache);
    }

    @Test
    void cachesOpenedAndClosedPastTheDirectMemoryLimitNeverRunOutOfIt() {
        int cacheBytes = 64 << 20;
        long caches = directMemoryLimit() / cacheBytes + 2;
        long before = directMemoryUsed();
        for (long i = 0; i < caches; i++) {
            PageCache cache = new PageCache(file, cacheBytes);
            cache.create(1);
            cache.closeWithoutFlush();
            assertEquals(before, directMemoryUsed(), "direct memory in use after closing cache #" + i);
            Reference.reachabilityFence(cache);
        }
    }

    @Test
    void aDatabaseOpenedAndClosedManyTimesGivesItsDirectMemoryBack() {
        GraphConfig config = GraphConfig.builder().pageCacheBytes(16 << 20).build();
        Path db = dir.resolve("db");
        try (UnloggedGraph g = UnloggedGraph.open(db, config)) {
            g.addNode(Set.of("L"), Map.of("k", 1L)); // first open: files created, per-thread I/O buffers warmed up
        }
        long before = directMemoryUsed();
        for (int i = 0; i < 20; i++) {
            UnloggedGraph g = UnloggedGraph.open(db, config);
            g.addNode(Set.of("L"), Map.of("k", (long) i));
            g.close();
            assertEquals(before, directMemoryUsed(), "direct memory in use after closing the database, round " + i);
            Reference.reachabilityFence(g);
        }
    }

    @Test
    void aCursorOpenAtCloseKeepsTheMemoryUntilItIsClosed() {
        long before = directMemoryUsed();
        PageCache cache = new PageCache(file, CACHE_BYTES);
        cache.create(1);
        writeValue(cache, 1, 42);
        PageCursor open = cache.read(1);

        cache.close();
        assertTrue(directMemoryUsed() >= before + CACHE_BYTES, "freed under an open cursor");
        assertEquals(42, readValue(open), "a cursor opened before close reads intact memory");
        assertThrows(IllegalStateException.class, () -> cache.read(1), "a cursor opened after close");

        open.close();
        assertEquals(before, directMemoryUsed(), "the last cursor out frees the memory");
        Reference.reachabilityFence(cache);
    }

    @Test
    void everythingThatNeedsFrameMemoryAfterCloseIsAnIllegalStateException() {
        PageCache cache = new PageCache(file, CACHE_BYTES);
        cache.create(1);
        cache.create(2);
        cache.flush();
        writeValue(cache, 2, 5);
        List<PageCache.CapturedPage> captured = cache.captureDirtyPages(Long.MAX_VALUE);
        PinnedPage pinned = cache.pin(1);
        cache.close(); // a pin and a capture do not keep the memory: neither reads it

        assertThrows(IllegalStateException.class, () -> cache.read(1));
        assertThrows(IllegalStateException.class, () -> cache.write(1));
        assertThrows(IllegalStateException.class, () -> cache.pin(1));
        assertThrows(IllegalStateException.class, () -> cache.create(3));
        assertThrows(IllegalStateException.class, cache::flush);
        assertThrows(IllegalStateException.class,
                () -> cache.takeImage(captured.get(0), ByteBuffer.allocate(PAGE_SIZE)));
        pinned.close();
        cache.release(captured); // touches no memory: still allowed, so a failed checkpoint can clean up
        cache.close(); // idempotent
        cache.closeWithoutFlush();
    }
}
