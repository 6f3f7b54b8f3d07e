package dev.sablegraph.internal.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.storage.Pager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every record, of any size and compressibility, reads back identical after a reopen. */
class RecordStoreRoundTripProperties {

    @Provide
    Arbitrary<List<byte[]>> records() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(20_000);
        Arbitrary<byte[]> repetitive = Arbitraries.integers().between(0, 100_000)
                .map(n -> {
                    byte[] b = new byte[n];
                    for (int i = 0; i < n; i++) {
                        b[i] = (byte) (i % 7);
                    }
                    return b;
                });
        return Arbitraries.oneOf(random, repetitive).list().ofMaxSize(30);
    }

    @Property(tries = 60)
    void recordsRoundTrip(@ForAll("records") List<byte[]> records) throws Exception {
        Path dir = Files.createTempDirectory("rs");
        try {
            List<Long> ptrs = new ArrayList<>();
            try (Pager pager = Pager.open(dir.resolve("d"), GraphConfig.builder().pageCacheBytes(1 << 20).build())) {
                RecordStore store = RecordStore.open(pager, 0, 1, 64);
                for (byte[] r : records) {
                    ptrs.add(store.insert(r));
                }
                for (int i = 0; i < records.size(); i++) {
                    assertArrayEquals(records.get(i), store.read(ptrs.get(i)));
                }
            }
            try (Pager pager = Pager.open(dir.resolve("d"), GraphConfig.builder().pageCacheBytes(1 << 20).build())) {
                RecordStore store = RecordStore.open(pager, 0, 1, 64);
                for (int i = 0; i < records.size(); i++) {
                    assertArrayEquals(records.get(i), store.read(ptrs.get(i)));
                }
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
