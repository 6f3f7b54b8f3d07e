package dev.sablegraph.jmh;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.internal.storage.PageCursor;
import dev.sablegraph.internal.storage.PageType;
import dev.sablegraph.internal.storage.Pager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Page reads through the page cache: random pages of a file that fits the cache ({@code cached}),
 * and of a file ten times the cache ({@code tenTimesCache}), at whatever thread count JMH's
 * {@code -t} gives. Each operation opens a read cursor, reads eight longs and validates.
 * The hit ratio of the measured run is printed at tear-down.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PageCacheBenchmark {
    private static final long CACHE_BYTES = 4L << 20;

    @Param({"cached", "tenTimesCache"})
    public String scenario;

    private Path dir;
    private Pager pager;
    private long firstPage;
    private int pages;
    private PageCacheMetrics before;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("sable-pagecache-bench");
        pager = Pager.open(dir.resolve("data.sable"), GraphConfig.builder().pageCacheBytes(CACHE_BYTES).build());
        int framePages = (int) (CACHE_BYTES / pager.pageSize());
        pages = scenario.equals("cached") ? framePages / 2 : framePages * 10;
        for (int i = 0; i < pages; i++) {
            long p = pager.allocate(PageType.META);
            if (i == 0) {
                firstPage = p;
            }
            try (PageCursor c = pager.write(p)) {
                for (int off = 16; off < 16 + 64; off += 8) {
                    c.putLong(off, p);
                }
            }
        }
        pager.flush();
    }

    @Setup(Level.Iteration)
    public void markCounters() {
        before = pager.metrics();
    }

    @Benchmark
    public long readPage() {
        long page = firstPage + ThreadLocalRandom.current().nextInt(pages);
        long sum;
        try (PageCursor c = pager.read(page)) {
            do {
                sum = 0;
                for (int off = 16; off < 16 + 64; off += 8) {
                    sum += c.getLong(off);
                }
            } while (c.shouldRetry());
        }
        if (sum != 8 * page) {
            throw new IllegalStateException("page " + page + " read back wrong");
        }
        return sum;
    }

    @TearDown(Level.Iteration)
    public void reportHitRatio() {
        PageCacheMetrics now = pager.metrics();
        long hits = now.hits() - before.hits();
        long misses = now.misses() - before.misses();
        System.out.printf("%n[page cache] scenario=%s pages=%d frames=%d hits=%d misses=%d hitRatio=%.3f%n",
                scenario, pages, now.frames(), hits, misses, hits + misses == 0 ? 0.0 : (double) hits / (hits + misses));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pager.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
