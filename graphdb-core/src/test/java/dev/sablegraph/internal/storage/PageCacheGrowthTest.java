package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache makes its frames as pages are touched, a chunk at a time, and never more than its
 * bound: an empty cache holds no frame memory, growth comes before eviction, and at the bound it
 * evicts as before. Also from many threads at once.
 */
class PageCacheGrowthTest {
    private static final int VALUE_OFFSET = PageLayout.HEADER_SIZE;
    private static final int FRAMES_PER_CHUNK = PageCache.CHUNK_BYTES / PAGE_SIZE;
    /** Two and a half chunks: the last chunk is cut short by the bound. */
    private static final int FRAMES = FRAMES_PER_CHUNK * 5 / 2;

    @TempDir
    Path dir;

    private PageFile file;

    @BeforeEach
    void openFile() {
        file = PageFile.open(dir.resolve("pages"), PAGE_SIZE);
        file.ensureCapacity(4 * FRAMES + 1); // before any baseline: growth writes through a thread-cached direct buffer
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

    /** A page new to the file: created in the cache (zeroed, dirty), then written. */
    private static void create(PageCache cache, long page, long value) {
        cache.create(page);
        write(cache, page, value);
    }

    private static void write(PageCache cache, long page, long value) {
        try (PageCursor c = cache.write(page)) {
            c.putLong(VALUE_OFFSET, value);
        }
    }

    private static long read(PageCache cache, long page) {
        try (PageCursor c = cache.read(page)) {
            long v;
            do {
                v = c.getLong(VALUE_OFFSET);
            } while (c.shouldRetry());
            return v;
        }
    }

    @Test
    void framesAreMadeAChunkAtATimeAsPagesAreTouchedUpToTheBound() {
        long before = directMemoryUsed();
        try (PageCache cache = new PageCache(file, (long) FRAMES * PAGE_SIZE)) {
            assertEquals(FRAMES, cache.capacityPages());
            assertEquals(0, cache.allocatedFrames(), "nothing allocated at construction");
            assertNull(cache.frame(0));
            assertTrue(directMemoryUsed() - before < PageCache.CHUNK_BYTES, "no frame memory at construction");

            for (int page = 1; page <= FRAMES; page++) {
                create(cache, page, page);
                int chunks = (page + FRAMES_PER_CHUNK - 1) / FRAMES_PER_CHUNK;
                assertEquals(Math.min(FRAMES, chunks * FRAMES_PER_CHUNK), cache.allocatedFrames(),
                        "frames after touching " + page + " pages");
            }
            assertEquals(0, cache.metrics().evictions(), "growth comes before eviction");
            // The frames are 2.5 chunks; two chunks of slack for direct buffers the JVM frees
            // meanwhile elsewhere in this fork (a cleaner after a GC, an exiting thread's buffers).
            assertTrue(directMemoryUsed() - before >= 2L * PageCache.CHUNK_BYTES, "the frames are direct memory");

            // At the bound: eviction, never another frame.
            for (int page = FRAMES + 1; page <= 4 * FRAMES; page++) {
                create(cache, page, page);
                assertEquals(FRAMES, cache.allocatedFrames());
            }
            assertTrue(cache.metrics().evictions() >= 3L * FRAMES, "evictions: " + cache.metrics());
            for (int page = 1; page <= 4 * FRAMES; page++) {
                assertEquals(page, read(cache, page), "page " + page + " after eviction and reload");
            }
            assertNotNull(cache.frame(FRAMES - 1));
            assertEquals(FRAMES, cache.allocatedFrames());
        }
    }

    @Test
    void withASpillFileAFullCacheOfDirtyPagesSpillsAtItsBoundAndLeavesTheDataFileAlone() throws Exception {
        Path spillPath = file.path().resolveSibling("spill.pages");
        try (PageCache cache = new PageCache(file, (long) FRAMES * PAGE_SIZE)) {
            cache.useSpillFile(spillPath, java.nio.channels.FileChannel::open);
            for (int page = 1; page <= 3 * FRAMES; page++) {
                create(cache, page, page);
                assertTrue(cache.allocatedFrames() <= FRAMES);
            }
            assertEquals(2L * FRAMES, cache.spilledPages(), "every dirty page beyond the frames is in the spill file");
            for (int page = 1; page <= 3 * FRAMES; page++) {
                assertEquals(page, read(cache, page), "page " + page + " read back through the spill file");
                assertEquals(0, StorageTestSupport.readRawPage(file.path(), page).getLong(VALUE_OFFSET),
                        "page " + page + " reached the data file before any flush or checkpoint");
            }
            assertEquals(FRAMES, cache.allocatedFrames());
            cache.closeWithoutFlush();
            assertFalse(java.nio.file.Files.exists(spillPath), "closing the cache deletes its spill file");
        }
    }

    /**
     * Threads that miss at once, all needing frames while the cache grows: none gets a frame twice,
     * every page reads back what its writer wrote, and the bound holds.
     */
    @Test
    void threadsGrowingTheCacheTogetherStayWithinTheBound() throws Exception {
        int threads = 8;
        int pagesEach = FRAMES / 2; // together twice the bound: growth, then eviction
        try (PageCache cache = new PageCache(file, (long) FRAMES * PAGE_SIZE)) {
            CyclicBarrier start = new CyclicBarrier(threads);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                        SplittableRandom rnd = new SplittableRandom(index);
                        for (int i = 0; i < pagesEach; i++) {
                            long page = 1 + (long) index * pagesEach + i;
                            create(cache, page, page * 31);
                            long check = 1 + (long) index * pagesEach + rnd.nextInt(i + 1);
                            long got = read(cache, check);
                            if (got != check * 31) {
                                throw new AssertionError("page " + check + " read " + got);
                            }
                            if (cache.allocatedFrames() > FRAMES) {
                                throw new AssertionError(cache.allocatedFrames() + " frames, bound " + FRAMES);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                workers.add(w);
                w.start();
            }
            for (Thread w : workers) {
                w.join();
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            assertEquals(FRAMES, cache.allocatedFrames());
            for (long page = 1; page <= (long) threads * pagesEach; page++) {
                assertEquals(page * 31, read(cache, page));
            }
            for (int i = 0; i < FRAMES; i++) {
                assertEquals(i, cache.frame(i).index, "frame " + i + " sits at its own index");
            }
        }
    }
}
