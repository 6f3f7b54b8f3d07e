package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.PAGE_SIZE;
import static dev.sablegraph.internal.storage.StorageTestSupport.assertPattern;
import static dev.sablegraph.internal.storage.StorageTestSupport.flipByte;
import static dev.sablegraph.internal.storage.StorageTestSupport.open;
import static dev.sablegraph.internal.storage.StorageTestSupport.readRawPage;
import static dev.sablegraph.internal.storage.StorageTestSupport.truncate;
import static dev.sablegraph.internal.storage.StorageTestSupport.writePattern;
import static dev.sablegraph.internal.storage.StorageTestSupport.writeRawSealedPage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.IncompatibleFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Damage on disk is reported as {@link CorruptionException} naming file and page, never returned as data. */
class CorruptionTest {
    private static final int PAGES = 10;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("data.sable");
    }

    private static long seedOf(long pageId) {
        return pageId * 31 + 5;
    }

    /** A closed database with pages 1..PAGES holding patterns; header page count is PAGES + 1. */
    private Path writeDatabase() {
        try (Pager p = open(file(), 16)) {
            for (int i = 0; i < PAGES; i++) {
                long id = p.allocate(PageType.SLOTTED);
                writePattern(p, id, seedOf(id));
            }
            p.setRoot(0, 4);
        }
        return file();
    }

    private static void assertNames(CorruptionException e, Path file, long page) {
        assertEquals(page, e.page(), "page of " + e.getMessage());
        assertEquals(file.toString(), e.file(), "file of " + e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains("page " + page), "message names the page: " + e.getMessage());
    }

    @ParameterizedTest(name = "byte at offset {0} of page 5")
    @ValueSource(ints = {1, PageLayout.TYPE_OFFSET, PageLayout.LSN_OFFSET + 3, 100, 2048, PAGE_SIZE - 1})
    void flippedByteInDataPageIsCorruptionNamingFileAndPage(int offset) throws IOException {
        Path f = writeDatabase();
        flipByte(f, 5L * PAGE_SIZE + offset, 0x40);

        try (Pager p = open(f, 16)) {
            assertEquals(PAGES + 1, p.pageCount(), "the header is intact, so open succeeds");
            CorruptionException e = assertThrows(CorruptionException.class, () -> p.read(5).close());
            assertNames(e, f, 5);

            // The damaged bytes are never cached: every access path fails again.
            assertNames(assertThrows(CorruptionException.class, () -> p.read(5).close()), f, 5);
            assertNames(assertThrows(CorruptionException.class, () -> p.write(5).close()), f, 5);
            assertNames(assertThrows(CorruptionException.class, () -> p.cache().pin(5).close()), f, 5);
            assertEquals(0, p.metrics().pinnedPages());

            // Neighbouring pages are unaffected.
            for (long id = 1; id <= PAGES; id++) {
                if (id != 5) {
                    assertPattern(p, id, seedOf(id));
                }
            }
        }
        // Closing did not "repair" the page by writing the cache's idea of it back.
        try (Pager p = open(f, 16)) {
            assertNames(assertThrows(CorruptionException.class, () -> p.read(5).close()), f, 5);
        }
    }

    @Test
    void corruptPageFaultedUnderEvictionPressureIsStillReported() throws IOException {
        Path f = writeDatabase();
        flipByte(f, 7L * PAGE_SIZE + 999, 0x01);
        try (Pager p = open(f, 16)) {
            // Fill the cache with other pages first so the failing fault has to evict.
            for (int round = 0; round < 3; round++) {
                for (long id = 1; id <= PAGES; id++) {
                    if (id != 7) {
                        assertPattern(p, id, seedOf(id));
                    }
                }
                assertNames(assertThrows(CorruptionException.class, () -> p.read(7).close()), f, 7);
            }
        }
    }

    @ParameterizedTest(name = "byte at offset {0} of the header page")
    @ValueSource(ints = {0, PageLayout.TYPE_OFFSET, FileHeader.PAGE_COUNT_OFFSET + 7, FileHeader.FREE_HEAD_OFFSET + 7,
            FileHeader.ROOTS_OFFSET + 3, 1000, PAGE_SIZE - 1})
    void damagedHeaderPageIsCorruptionOfPageZeroOnOpen(int offset) throws IOException {
        Path f = writeDatabase();
        flipByte(f, offset, 0x10);
        CorruptionException e = assertThrows(CorruptionException.class, () -> open(f, 16).close());
        assertNames(e, f, 0);
    }

    @Test
    void damagedMagicIsNamedAsAForeignFile() throws IOException {
        Path f = writeDatabase();
        flipByte(f, FileHeader.MAGIC_OFFSET + 2, 0x20);
        CorruptionException e = assertThrows(CorruptionException.class, () -> open(f, 16).close());
        assertNames(e, f, 0);
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void unsupportedVersionIsRefusedAndBadPageSizeIsCorruption() throws IOException {
        Path f = writeDatabase();
        flipByte(f, FileHeader.VERSION_OFFSET + 3, 0x01); // version 4 -> 5
        IncompatibleFormatException refused = assertThrows(IncompatibleFormatException.class,
                () -> open(f, 16).close());
        assertEquals(f.toString(), refused.file());
        assertTrue(refused.getMessage().contains("format 5"), refused.getMessage());
        CorruptionException e;

        Path g = dir.resolve("g.sable");
        try (Pager p = open(g, 16)) {
            p.allocate(PageType.SLOTTED);
        }
        flipByte(g, FileHeader.PAGE_SIZE_OFFSET + 2, 0x01); // 4096 -> 4097: not a power of two
        e = assertThrows(CorruptionException.class, () -> open(g, 16).close());
        assertNames(e, g, 0);
    }

    @ParameterizedTest(name = "truncated to {0} bytes")
    @ValueSource(longs = {1, 63, 64, 2000, PAGE_SIZE, 5L * PAGE_SIZE, (PAGES + 1L) * PAGE_SIZE - 1})
    void truncatedFileIsCorruption(long size) throws IOException {
        Path f = writeDatabase();
        truncate(f, size);
        CorruptionException e = assertThrows(CorruptionException.class, () -> open(f, 16).close());
        assertEquals(f.toString(), e.file());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertEquals(0, e.page(), "a file too short for its header's page count is named at page 0: " + e.getMessage());
    }

    @Test
    void foreignFilesAreCorruptionNotSilentlyOverwritten() throws IOException {
        Path text = dir.resolve("notes.txt");
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 3 * PAGE_SIZE) {
            sb.append("this is not a graph database, just some text\n");
        }
        Files.writeString(text, sb, StandardCharsets.UTF_8);
        byte[] before = Files.readAllBytes(text);
        CorruptionException e = assertThrows(CorruptionException.class, () -> open(text, 16).close());
        assertNames(e, text, 0);
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        assertEquals(java.util.Arrays.hashCode(before), java.util.Arrays.hashCode(Files.readAllBytes(text)),
                "a refused file is left as it was");

        Path random = dir.resolve("random.bin");
        byte[] noise = new byte[2 * PAGE_SIZE];
        new Random(42).nextBytes(noise);
        Files.write(random, noise);
        assertNames(assertThrows(CorruptionException.class, () -> open(random, 16).close()), random, 0);

        Path zeros = dir.resolve("zeros.bin");
        Files.write(zeros, new byte[PAGE_SIZE]);
        assertNames(assertThrows(CorruptionException.class, () -> open(zeros, 16).close()), zeros, 0);

        Path tiny = dir.resolve("tiny.bin");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertNames(assertThrows(CorruptionException.class, () -> open(tiny, 16).close()), tiny, 0);
    }

    @Test
    void freeListPageWithValidChecksumButWrongTypeIsCorruptionOnAllocate() throws IOException {
        Path f = file();
        try (Pager p = open(f, 16)) {
            for (int i = 0; i < 6; i++) {
                p.allocate(PageType.SLOTTED);
            }
            p.free(4);
        }
        // Forge page 4: still sealed (checksum fine) but no longer marked FREE.
        ByteBuffer page = readRawPage(f, 4);
        assertEquals(PageType.FREE.code(), page.get(PageLayout.TYPE_OFFSET));
        page.put(PageLayout.TYPE_OFFSET, PageType.SLOTTED.code());
        writeRawSealedPage(f, 4, page);
        try (Pager p = open(f, 16)) {
            assertEquals(1, p.freePageCount());
            CorruptionException e = assertThrows(CorruptionException.class, () -> p.allocate(PageType.META));
            assertNames(e, f, 4);
            assertEquals(1, p.freePageCount(), "a failed allocation does not consume the free list");
            assertEquals(7, p.pageCount());
        }
    }

    @Test
    void freeListLinkOutOfRangeIsCorruptionOnAllocate() throws IOException {
        Path f = file();
        try (Pager p = open(f, 16)) {
            for (int i = 0; i < 6; i++) {
                p.allocate(PageType.SLOTTED);
            }
            p.free(2);
        }
        ByteBuffer page = readRawPage(f, 2);
        page.putLong(Pager.FREE_NEXT_OFFSET, 1_000_000L);
        writeRawSealedPage(f, 2, page);
        try (Pager p = open(f, 16)) {
            CorruptionException e = assertThrows(CorruptionException.class, () -> p.allocate(PageType.META));
            assertNames(e, f, 2);
        }
    }
}
