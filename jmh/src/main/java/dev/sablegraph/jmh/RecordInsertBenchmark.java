package dev.sablegraph.jmh;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.record.RecordStore;
import dev.sablegraph.internal.storage.Pager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
 * Inserting a record into a store that already holds {@code existing} records, half of them
 * deleted so that free space is scattered over the file. If finding space scanned the file, the
 * rate would fall with {@code existing}; with the free-space map it should not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(1)
public class RecordInsertBenchmark {
    @Param({"10000", "1000000"})
    public int existing;

    private Path dir;
    private Pager pager;
    private RecordStore store;
    private final byte[] record = new byte[120];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("sable-insert-bench");
        pager = Pager.open(dir.resolve("data.sable"), GraphConfig.builder().pageCacheBytes(64L << 20).build());
        store = RecordStore.open(pager, 0, 1, 1 << 30);
        long[] ptrs = new long[existing];
        for (int i = 0; i < existing; i++) {
            ptrs[i] = store.insert(record);
        }
        for (int i = 0; i < existing; i += 2) {
            store.delete(ptrs[i]);
        }
        pager.flush();
    }

    @Benchmark
    public long insert() {
        return store.insert(record);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        System.out.printf("%n[record store] existing=%d pages=%d pagesWithFreeSpace=%d filePages=%d%n",
                existing, store.pageCount(), store.pagesWithFreeSpace(), pager.pageCount());
        pager.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
