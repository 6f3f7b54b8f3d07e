package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.testkit.FaultInjectingChannelFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spill file's generations, slots and checksums, without a page cache around it. */
class SpillFileTest {
    private static final int VALUE_OFFSET = PageLayout.HEADER_SIZE;

    @TempDir
    Path dir;

    private Path path;
    private SpillFile spill;

    @BeforeEach
    void create() {
        path = dir.resolve("spill.pages");
        spill = SpillFile.create(path, PAGE_SIZE, FileChannel::open);
    }

    @AfterEach
    void close() {
        spill.close();
    }

    private static ByteBuffer page(long value) {
        ByteBuffer b = ByteBuffer.allocate(PAGE_SIZE);
        b.putLong(VALUE_OFFSET, value);
        return b;
    }

    /** Loads the page under the read lock, as a fault does; returns its value, or -1 if not spilled. */
    private long load(long pageId) {
        ByteBuffer b = ByteBuffer.allocate(PAGE_SIZE);
        spill.lock.readLock().lock();
        try {
            return spill.load(pageId, b) ? b.getLong(VALUE_OFFSET) : -1;
        } finally {
            spill.lock.readLock().unlock();
        }
    }

    private void spill(long pageId, long value) {
        spill.lock.readLock().lock();
        try {
            spill.spill(pageId, page(value));
        } finally {
            spill.lock.readLock().unlock();
        }
    }

    @Test
    void aReservationGrowsTheFileSoThatTheNextSpillsDoNot() throws Exception {
        spill(1, 10);
        long before = Files.size(path);
        int pages = 3_000; // several chunks past the first one's size
        spill.lock.readLock().lock();
        try {
            spill.reserve(pages);
        } finally {
            spill.lock.readLock().unlock();
        }
        long reserved = Files.size(path);
        assertTrue(reserved >= (long) (pages + 1) * PAGE_SIZE && reserved > before, "grown to " + reserved);
        for (int i = 0; i < pages; i++) {
            spill(100 + i, i);
        }
        assertEquals(reserved, Files.size(path), "the reserved spills did not grow the file");
        assertEquals(2_999, load(100 + 2_999));

        spill.lock.readLock().lock();
        try {
            spill.reserve(0); // nothing to make room for
        } finally {
            spill.lock.readLock().unlock();
        }
        assertEquals(reserved, Files.size(path));
    }

    private <T> T underWriteLock(java.util.function.Supplier<T> action) {
        spill.lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            spill.lock.writeLock().unlock();
        }
    }

    @Test
    void aPageLoadedFromTheCurrentGenerationLeavesItAndItsSlotIsReused() {
        spill(7, 70);
        spill(8, 80);
        assertEquals(2, spill.spilledPages());
        assertEquals(70, load(7));
        assertEquals(-1, load(7), "loaded once: its frame is now the only copy");
        assertEquals(1, spill.spilledPages());
        spill(9, 90);
        assertEquals(2, spill.spilledPages(), "the freed slot was taken again, the file did not grow");
        assertEquals(80, load(8));
        assertEquals(90, load(9));
    }

    @Test
    void aFrozenGenerationStaysWholeForItsCheckpointWhileNewerStatesGoToTheCurrentOne() {
        spill(1, 10);
        spill(2, 20);
        Set<Long> frozen = underWriteLock(spill::freeze);
        assertEquals(List.of(1L, 2L), frozen.stream().sorted().toList());

        assertEquals(10, load(1), "a frozen page reads back...");
        assertEquals(10, load(1), "...and stays for the checkpoint");
        spill(1, 11); // changed and evicted again after the freeze
        assertEquals(11, load(1), "the current generation wins");

        ByteBuffer image = ByteBuffer.allocate(PAGE_SIZE);
        spill.readFrozen(1, image);
        assertEquals(10, image.getLong(VALUE_OFFSET), "the checkpoint still reads the state it froze");

        underWriteLock(() -> {
            spill.dropFrozen();
            return null;
        });
        assertEquals(-1, load(2), "written in place by the checkpoint: the data file has it now");
        assertEquals(0, spill.spilledPages());
    }

    @Test
    void aFailedCheckpointGivesItsFrozenPagesBackUnlessANewerStateExists() {
        spill(1, 10);
        spill(2, 20);
        spill(3, 30);
        underWriteLock(spill::freeze);
        spill(2, 21); // a newer state spilled after the freeze
        underWriteLock(() -> {
            spill.thawFrozen(pageId -> pageId == 3); // page 3 is cached (dirty) now
            return null;
        });
        assertEquals(10, load(1), "back in the current generation");
        assertEquals(21, load(2), "the newer state, not the frozen one");
        assertEquals(-1, load(3), "the cached state is newer: the frozen copy was dropped");
        assertEquals(0, spill.spilledPages(), "no slot leaked");
    }

    @Test
    void anEmptiedFileGivesItsSpaceBackAndIsDeletedAtClose() throws Exception {
        for (long p = 1; p <= 5; p++) {
            spill(p, p);
        }
        assertTrue(Files.size(path) >= 5L * PAGE_SIZE);
        emptyThroughACheckpoint();
        assertEquals(0, Files.size(path));
        spill.close();
        assertFalse(Files.exists(path));
    }

    private void emptyThroughACheckpoint() {
        underWriteLock(spill::freeze);
        underWriteLock(() -> {
            spill.dropFrozen();
            return null;
        });
    }

    @Test
    void pagesInSeveralChunksOfTheMappingReadBackAfterTheFileWasEmptiedAndGrewAgain() throws Exception {
        int perChunk = (int) (MappedSlots.CHUNK_BYTES / PAGE_SIZE);
        int pages = 2 * perChunk + 3; // three chunks, the last one barely used
        for (int round = 0; round < 2; round++) {
            for (long p = 1; p <= pages; p++) {
                spill(p, p * 10 + round);
            }
            assertEquals(pages, spill.spilledPages());
            assertTrue(Files.size(path) >= (long) pages * PAGE_SIZE, "the file covers every slot");
            for (long p = pages; p >= 1; p -= 997) {
                assertEquals(p * 10 + round, load(p), "page " + p + " in round " + round);
            }
            emptyThroughACheckpoint();
            assertEquals(0, Files.size(path), "emptied: the space went back");
            assertEquals(-1, load(1));
        }
    }

    @Test
    void aSpillThatCannotGrowTheFileFailsCleanlyAndTheNextOneGrowsIt() {
        spill.close();
        FaultInjectingChannelFactory faults = new FaultInjectingChannelFactory();
        spill = SpillFile.create(path, PAGE_SIZE, faults::open);
        faults.failWrite(1); // the write that grows the file over its first chunk
        GraphException e = assertThrows(GraphException.class, () -> spill(3, 30));
        assertTrue(e.getMessage().contains("spill file"), e.getMessage());
        assertEquals(0, spill.spilledPages(), "the slot went back");
        assertEquals(-1, load(3), "nothing of the failed spill is found");
        spill(3, 31);
        assertEquals(31, load(3));
    }

    @Test
    void aDamagedSlotIsReportedNotReadAsData() throws Exception {
        spill(4, 40);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), VALUE_OFFSET);
        }
        CorruptionException e = assertThrows(CorruptionException.class, () -> load(4));
        assertTrue(e.getMessage().contains("spill"), e.getMessage());
    }

    @Test
    void generationChangesNeedTheWriteLock() {
        assertThrows(IllegalStateException.class, spill::freeze);
        assertThrows(IllegalStateException.class, () -> spill.forget(1));
    }
}
