package dev.sablegraph.jcstress;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.storage.PageCache;
import dev.sablegraph.internal.storage.PageFile;
import dev.sablegraph.internal.storage.Pager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shared, long-lived fixtures: jcstress creates state objects by the thousand, so states borrow
 * pages and nodes from one database per test JVM instead of opening files each time.
 */
final class Fixtures {
    private Fixtures() {}

    /**
     * The page size of the page-cache tests' files, the smallest there is: jcstress keeps as many
     * states alive at once as their heap footprint allows, which does not count the direct memory
     * of their caches (8 frames each), and a test JVM's direct memory is as small as its heap.
     */
    static final int PAGE_SIZE = 4096;

    private static final class PagerHolder {
        static final Pager PAGER = open();

        private static Pager open() {
            return Pager.open(tempDir("sable-jcstress-pages").resolve("data.sable"),
                    GraphConfig.builder().pageCacheBytes(32L << 20).build());
        }
    }

    private static final class DatabaseHolder {
        // ASYNC: states commit their setup by the thousand; durability is not what these tests check.
        static final ConcurrentGraphDB DB = open();

        private static ConcurrentGraphDB open() {
            return ConcurrentGraphDB.open(tempDir("sable-jcstress-db"), GraphConfig.builder()
                    .durability(Durability.ASYNC).pageCacheBytes(32L << 20).build());
        }
    }

    /** A temporary directory deleted, with what it holds, when the test JVM exits. */
    static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // best effort: the OS cleans temp directories too
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A page file shared by the states of one page-cache test: each state builds a small cache
     * over it ({@link #newCache}) and takes a page of its own in turn ({@link #nextPage}).
     */
    static final class SharedPages {
        private static final int PAGES = 1 << 14; // 64 MiB; more than the states alive at once
        final PageFile file;
        private final AtomicLong next = new AtomicLong(1);

        private final Path spillDir;
        private final AtomicLong spills = new AtomicLong();

        SharedPages(String prefix) {
            spillDir = tempDir(prefix);
            file = PageFile.open(spillDir.resolve("pages"), PAGE_SIZE);
            file.ensureCapacity(PAGES);
        }

        /** Pages 1 to {@code PAGES - 1}, round robin. */
        long nextPage() {
            return 1 + (next.getAndIncrement() % (PAGES - 1));
        }

        /** A cache of 8 frames over the file; close it, so that its memory is freed at once. */
        PageCache newCache() {
            return new PageCache(file, 8L * PAGE_SIZE);
        }

        /**
         * Makes {@code cache} evict dirty pages to a spill file of its own from now on, as a
         * database's cache does; closing the cache deletes the spill file.
         */
        void spillTo(PageCache cache) {
            cache.useSpillFile(spillDir.resolve("spill-" + spills.incrementAndGet()), java.nio.channels.FileChannel::open);
        }

        /** The page as the file holds it, bypassing any cache. */
        ByteBuffer onDisk(long page) {
            ByteBuffer buffer = ByteBuffer.allocate(PAGE_SIZE);
            file.read(page, buffer);
            return buffer;
        }
    }

    /** One pager for page-level tests; states allocate a page each and free it in their arbiter. */
    static Pager pager() {
        return PagerHolder.PAGER;
    }

    static ConcurrentGraphDB db() {
        return DatabaseHolder.DB;
    }

    /** Commits {@code count} fresh nodes with {@code value = 0} and returns their ids. */
    static long[] freshNodes(int count) {
        long[] ids = new long[count];
        try (Transaction tx = db().begin()) {
            for (int i = 0; i < count; i++) {
                ids[i] = tx.addNode(Set.of("J"), Map.of("value", 0L));
            }
            tx.commit();
        }
        return ids;
    }

    static long value(Transaction tx, long id) {
        return (Long) tx.getNode(id).orElseThrow().properties().get("value");
    }
}
