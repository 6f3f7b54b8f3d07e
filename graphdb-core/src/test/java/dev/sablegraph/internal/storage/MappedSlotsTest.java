package dev.sablegraph.internal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The spill file's chunk arithmetic: chunks double from one slot, then all hold the same, and tile the slots. */
class MappedSlotsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {4096, 8192, 65536})
    void chunksTileTheSlotsDoublingUpToTheirLargestSize(int pageSize) throws Exception {
        try (FileChannel ch = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE); MappedSlots slots = new MappedSlots(ch, pageSize)) {
            int largest = (int) (MappedSlots.CHUNK_BYTES / pageSize);
            assertEquals(0, slots.chunkStart(0));
            assertEquals(1, slots.chunkSlots(0));
            int k = 0;
            for (long slot = 0; slot < 5L * largest; slot++) {
                if (slot == slots.chunkStart(k) + slots.chunkSlots(k)) {
                    k++;
                    assertEquals(slot, slots.chunkStart(k), "chunk " + k + " starts where the one before ends");
                    int expected = Math.min(largest, slots.chunkSlots(k - 1) * 2);
                    assertEquals(expected, slots.chunkSlots(k), "chunk " + k + " doubles up to the largest size");
                }
                assertEquals(k, slots.chunkOf(slot), "the chunk of slot " + slot);
            }
            assertTrue(k > Integer.numberOfTrailingZeros(largest) + 3, "several full-size chunks were crossed");
        }
    }
}
