package dev.sablegraph.internal.storage;

import dev.sablegraph.core.PageCacheMetrics;
import static dev.sablegraph.internal.storage.StorageTestSupport.PAYLOAD_LONGS;
import static dev.sablegraph.internal.storage.StorageTestSupport.fillUniform;
import static dev.sablegraph.internal.storage.StorageTestSupport.open;
import static dev.sablegraph.internal.storage.StorageTestSupport.payloadOffset;
import static dev.sablegraph.internal.storage.StorageTestSupport.readPayload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers, optimistic readers, a pinner and a flusher on a cache much smaller than the data:
 * validated reads are never torn, no write is lost through eviction, write-back or flush.
 * Bounded by iteration counts; the watchdog turns a deadlock into a failure with thread dumps.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrentPageCacheTest {
    private static final int FRAMES = 16;
    private static final int PAGES = 48;
    private static final int WRITERS = 3;
    private static final int READERS = 2;
    private static final int WRITES_PER_WRITER = 6_000;
    private static final int READS_PER_READER = 10_000;
    private static final int PINS = 3_000;
    private static final int MAX_FLUSHES = 200_000;
    private static final long WATCHDOG_SECONDS = 90;

    @TempDir
    Path dir;

    @RepeatedTest(3)
    void validatedReadsAreNeverTornAndNoWriteIsLost(RepetitionInfo rep) throws Exception {
        long seed = 0x5AB1E000L + rep.getCurrentRepetition();
        Path file = dir.resolve("data.sable");
        Pager p = open(file, FRAMES);
        for (int i = 0; i < PAGES; i++) {
            p.allocate(PageType.SLOTTED); // payload all zeros: every page starts at value 0
        }
        p.flush();

        // increments[id]: completed writes to page id. Each write turns value v into v + 1 under the
        // page's write lock, so the final value must equal the count, and values only ever grow.
        AtomicLongArray increments = new AtomicLongArray(PAGES + 1);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger writersDone = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();

        for (int w = 0; w < WRITERS; w++) {
            SplittableRandom rnd = new SplittableRandom(seed * 31 + w);
            threads.add(worker("writer-" + w, start, failures, () -> {
                try {
                    for (int i = 0; i < WRITES_PER_WRITER; i++) {
                        long id = 1 + rnd.nextInt(PAGES);
                        try (PageCursor c = p.write(id)) {
                            long v = c.getLong(payloadOffset(0));
                            for (int k = 1; k < PAYLOAD_LONGS; k++) {
                                long x = c.getLong(payloadOffset(k));
                                if (x != v) {
                                    failures.add("writer saw page " + id + " torn: long 0 = " + v + ", long " + k + " = " + x);
                                    return;
                                }
                            }
                            fillUniform(c, v + 1);
                        }
                        increments.incrementAndGet((int) id);
                    }
                } finally {
                    writersDone.incrementAndGet();
                }
            }));
        }
        for (int r = 0; r < READERS; r++) {
            SplittableRandom rnd = new SplittableRandom(seed * 37 + 100 + r);
            threads.add(worker("reader-" + r, start, failures, () -> {
                long[] lastSeen = new long[PAGES + 1];
                for (int i = 0; i < READS_PER_READER; i++) {
                    int id = 1 + rnd.nextInt(PAGES);
                    long[] vals;
                    PageType type;
                    try (PageCursor c = p.read(id)) {
                        vals = new long[PAYLOAD_LONGS];
                        do {
                            type = c.pageType();
                            for (int k = 0; k < PAYLOAD_LONGS; k++) {
                                vals[k] = c.getLong(payloadOffset(k));
                            }
                        } while (c.shouldRetry());
                    }
                    if (!checkUniform("reader", id, vals, failures)) {
                        return;
                    }
                    if (type != PageType.SLOTTED) {
                        failures.add("reader saw page " + id + " with type " + type);
                        return;
                    }
                    if (vals[0] < lastSeen[id]) {
                        failures.add("reader saw page " + id + " go back from " + lastSeen[id] + " to " + vals[0]
                                + " (a write was lost by eviction or flush)");
                        return;
                    }
                    lastSeen[id] = vals[0];
                }
            }));
        }
        SplittableRandom pinRnd = new SplittableRandom(seed * 41 + 7);
        threads.add(worker("pinner", start, failures, () -> {
            for (int i = 0; i < PINS; i++) {
                int id = 1 + pinRnd.nextInt(PAGES);
                try (PinnedPage pin = p.cache().pin(id)) {
                    int frame = pin.frameIndex();
                    long[] vals;
                    try (PageCursor c = p.read(id)) {
                        vals = readPayload(c);
                    }
                    if (!checkUniform("pinner", id, vals, failures)) {
                        return;
                    }
                    if (!pin.isResident() || pin.frameIndex() != frame) {
                        failures.add("pinned page " + id + " left its frame " + frame);
                        return;
                    }
                }
            }
        }));
        threads.add(worker("flusher", start, failures, () -> {
            for (int i = 0; i < MAX_FLUSHES && writersDone.get() < WRITERS; i++) {
                if (i % 50 == 49) {
                    p.flush(); // pages, header and force
                } else {
                    p.cache().flush();
                }
                Thread.yield();
            }
        }));

        start.countDown();
        awaitAll(threads);
        if (!failures.isEmpty()) {
            fail(failures.size() + " failure(s), first: " + failures.peek());
        }

        PageCacheMetrics m = p.metrics();
        assertTrue(m.evictions() > 0 && m.misses() > 0 && m.flushes() > 0,
                "the run must have exercised faults, eviction and write-back: " + m);
        assertEquals(0, m.pinnedPages(), "every pin was released: " + m);
        p.cache().flush();
        assertEquals(0, p.metrics().dirtyPages(), "dirty-page counter drifted under concurrency: " + p.metrics());
        long total = 0;
        for (int id = 1; id <= PAGES; id++) {
            total += increments.get(id);
            assertUniformValue(p, id, increments.get(id));
        }
        assertEquals((long) WRITERS * WRITES_PER_WRITER, total);

        p.close();
        try (Pager q = open(file, FRAMES)) {
            assertEquals(PAGES + 1, q.pageCount());
            for (int id = 1; id <= PAGES; id++) {
                assertUniformValue(q, id, increments.get(id));
            }
        }
    }

    /**
     * Threads allocate and free concurrently: no page id is ever handed to two owners at once,
     * an owner's page keeps exactly what the owner wrote, and the accounting adds up after reopen.
     */
    @Test
    void concurrentAllocateAndFreeNeverHandOutAPageTwice() throws Exception {
        int threadsN = 4;
        int opsPerThread = 600;
        Path file = dir.resolve("alloc.sable");
        Pager p = open(file, FRAMES);
        Map<Long, String> inUse = new ConcurrentHashMap<>();
        Map<Long, Long> finalValues = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < threadsN; t++) {
            int me = t;
            SplittableRandom rnd = new SplittableRandom(991 + t);
            threads.add(worker("allocator-" + t, start, failures, () -> {
                List<long[]> mine = new ArrayList<>(); // {pageId, value}
                for (int i = 0; i < opsPerThread; i++) {
                    if (mine.isEmpty() || rnd.nextInt(100) < 60) {
                        long id = p.allocate(PageType.SLOTTED);
                        String prev = inUse.putIfAbsent(id, "allocator-" + me);
                        if (prev != null) {
                            failures.add("page " + id + " allocated to allocator-" + me + " while " + prev + " owns it");
                            return;
                        }
                        long value = ((long) me << 32) | i;
                        try (PageCursor c = p.write(id)) {
                            if (c.pageType() != PageType.SLOTTED) {
                                failures.add("fresh page " + id + " has type " + c.pageType());
                                return;
                            }
                            for (int k = 0; k < PAYLOAD_LONGS; k++) {
                                if (c.getLong(payloadOffset(k)) != 0) {
                                    failures.add("fresh page " + id + " is not zeroed at long " + k);
                                    return;
                                }
                            }
                            fillUniform(c, value);
                        }
                        mine.add(new long[] {id, value});
                    } else {
                        long[] victim = mine.remove(rnd.nextInt(mine.size()));
                        long[] vals = readPayload(p, victim[0]);
                        if (!checkUniform("owner", victim[0], vals, failures)) {
                            return;
                        }
                        if (vals[0] != victim[1]) {
                            failures.add("page " + victim[0] + " of allocator-" + me + " holds " + vals[0]
                                    + " instead of " + victim[1] + ": someone else wrote it");
                            return;
                        }
                        inUse.remove(victim[0]); // give it up before it can be handed out again
                        p.free(victim[0]);
                    }
                }
                for (long[] page : mine) {
                    finalValues.put(page[0], page[1]);
                }
            }));
        }
        start.countDown();
        awaitAll(threads);
        if (!failures.isEmpty()) {
            fail(failures.size() + " failure(s), first: " + failures.peek());
        }
        long pageCount = p.pageCount();
        long free = p.freePageCount();
        assertEquals(pageCount - 1, finalValues.size() + free, "every page is either owned or free");
        p.close();
        try (Pager q = open(file, FRAMES)) {
            assertEquals(pageCount, q.pageCount());
            assertEquals(free, q.freePageCount());
            for (Map.Entry<Long, Long> e : finalValues.entrySet()) {
                assertUniformValue(q, e.getKey(), e.getValue());
            }
            // Draining the free list yields exactly the pages nobody owns, each once.
            java.util.Set<Long> drained = new java.util.HashSet<>();
            for (long i = 0; i < free; i++) {
                long id = q.allocate(PageType.META);
                assertTrue(drained.add(id), "free list handed out " + id + " twice");
                assertTrue(!finalValues.containsKey(id), "free list handed out owned page " + id);
            }
            assertEquals(pageCount, q.allocate(PageType.META), "then the file grows");
        }
    }

    // ---- helpers ----

    private static boolean checkUniform(String who, long id, long[] vals, ConcurrentLinkedQueue<String> failures) {
        for (int k = 1; k < vals.length; k++) {
            if (vals[k] != vals[0]) {
                failures.add(who + " validated a torn read of page " + id + ": long 0 = " + vals[0] + ", long " + k
                        + " = " + vals[k]);
                return false;
            }
        }
        return true;
    }

    private static void assertUniformValue(Pager p, long id, long expected) {
        long[] vals = readPayload(p, id);
        for (int k = 0; k < vals.length; k++) {
            if (vals[k] != expected) {
                assertEquals(expected, vals[k], "page " + id + " long " + k);
            }
        }
    }

    private static Thread worker(String name, CountDownLatch start, ConcurrentLinkedQueue<String> failures,
            Runnable body) {
        Thread t = new Thread(() -> {
            try {
                start.await();
                body.run();
            } catch (Throwable e) {
                failures.add(name + " threw " + e + stackOf(e));
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String stackOf(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement el : e.getStackTrace()) {
            sb.append("\n    at ").append(el);
        }
        return sb.toString();
    }

    /** Joins every thread; a thread still alive at the watchdog deadline fails the test with its stack. */
    private static void awaitAll(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WATCHDOG_SECONDS);
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        StringBuilder stuck = new StringBuilder();
        for (Thread t : threads) {
            if (t.isAlive()) {
                stuck.append("\n").append(t.getName()).append(" (").append(t.getState()).append(")");
                for (StackTraceElement el : t.getStackTrace()) {
                    stuck.append("\n    at ").append(el);
                }
            }
        }
        if (stuck.length() > 0) {
            for (Thread t : threads) {
                t.interrupt();
            }
            fail("deadlock or livelock: threads still running after " + WATCHDOG_SECONDS + " s:" + stuck);
        }
    }
}
