package dev.sablegraph.internal.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.storage.PageCache;
import dev.sablegraph.internal.storage.PageCursor;
import dev.sablegraph.internal.storage.PageLayout;
import dev.sablegraph.internal.storage.PageType;
import dev.sablegraph.internal.storage.Pager;
import dev.sablegraph.testkit.FaultInjectingChannelFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The double-write image: a crash after it was forced is repaired from it, a crash before it was
 * complete leaves the data file alone, a damaged image is reported, never applied, and while the
 * data file may be half written, an image that repairs it stays on disk.
 */
class CheckpointFilesTest {
    /** Pages in the image: 40 pages of 8 KiB are several of recovery's 64 KiB read chunks. */
    private static final int PAGES = 40;
    private static final int PAYLOAD = PageLayout.HEADER_SIZE;

    @TempDir
    Path dir;

    private Path dataFile() {
        return dir.resolve("data.sable");
    }

    /**
     * Leaves a data file whose pages hold version 1 of their payload and a forced image of
     * version 2, as after a crash between forcing the image and writing pages in place. Returns
     * the page ids.
     */
    private List<Long> crashAfterTheImage(CheckpointFiles files, CheckpointInfo info) {
        Pager pager = Pager.open(dataFile(), GraphConfig.defaults());
        List<Long> ids = pagesOnDiskAtVersion1(pager);
        for (long id : ids) {
            stamp(pager, id, 2);
        }
        List<PageCache.CapturedPage> captured = pager.cache().captureDirtyPages(Long.MAX_VALUE);
        assertEquals(PAGES, captured.size());
        files.writeImage(pager.pageSize(), info, pager.headerImage(), captured, pager.cache());
        pager.cache().release(captured);
        pager.closeWithoutFlush();
        return ids;
    }

    /** Allocates {@link #PAGES} pages, stamps them with version 1 and writes them to the data file. */
    private static List<Long> pagesOnDiskAtVersion1(Pager pager) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < PAGES; i++) {
            long id = pager.allocate(PageType.SLOTTED);
            ids.add(id);
            stamp(pager, id, 1);
        }
        pager.flush();
        pager.force();
        return ids;
    }

    private static void stamp(Pager pager, long id, int version) {
        try (PageCursor c = pager.write(id)) {
            c.putLong(PAYLOAD, id * 1000 + version);
            c.putLong(c.pageSize() - 8, -version);
        }
    }

    private void assertPagesAt(List<Long> ids, int version) {
        try (Pager pager = Pager.open(dataFile(), GraphConfig.defaults())) {
            for (long id : ids) {
                try (PageCursor c = pager.read(id)) {
                    assertEquals(id * 1000 + version, c.getLong(PAYLOAD), "payload of page " + id);
                    assertEquals(-version, c.getLong(c.pageSize() - 8), "tail of page " + id);
                }
            }
        }
    }

    @Test
    void tornInPlaceWritesAreRepairedFromACompleteImage() throws IOException {
        CheckpointFiles files = new CheckpointFiles(dir);
        CheckpointInfo info = new CheckpointInfo(4242, new long[] {7}, new long[0], new long[] {3, 5});
        List<Long> ids = crashAfterTheImage(files, info);
        int pageSize = GraphConfig.defaults().pageSize();
        // Tear one page in place: its first half written, the rest old (the checksum no longer matches).
        long torn = ids.get(PAGES / 2);
        try (FileChannel ch = FileChannel.open(dataFile(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[pageSize / 2]), torn * pageSize);
        }

        CheckpointInfo recovered = files.recover(dataFile());

        assertEquals(4242, recovered.lsn());
        assertArrayEquals(new long[] {7}, recovered.pendingNodeDeletes());
        assertArrayEquals(new long[] {3, 5}, recovered.staleIndexNodes());
        assertEquals(4242, files.readControl().lsn(), "the control file names the repaired checkpoint");
        assertFalse(Files.exists(dir.resolve(CheckpointFiles.DWB)), "the image is dropped once applied");
        assertPagesAt(ids, 2);
    }

    @Test
    void anIncompleteImageIsDiscardedAndTheDataFileLeftAlone() throws IOException {
        CheckpointFiles files = new CheckpointFiles(dir);
        List<Long> ids = crashAfterTheImage(files, CheckpointInfo.at(99));
        Path dwb = dir.resolve(CheckpointFiles.DWB);
        byte[] image = Files.readAllBytes(dwb);
        byte[] before = Files.readAllBytes(dataFile());
        int size = image.length;
        for (int cut : new int[] {size - 1, size - 4, size / 2, 20, 0}) {
            Files.write(dwb, Arrays.copyOf(image, cut)); // the crash came while the image was written

            CheckpointInfo recovered = files.recover(dataFile());

            assertEquals(CheckpointInfo.EMPTY.lsn(), recovered.lsn(), "cut at " + cut);
            assertFalse(Files.exists(dwb), "cut at " + cut);
            assertArrayEquals(before, Files.readAllBytes(dataFile()), "cut at " + cut);
        }
        assertPagesAt(ids, 1);
    }

    /**
     * Checkpoint 1 fails part-way through its in-place writes (one page torn); checkpoint 2, which
     * nothing stops, crashes while writing its own image. Checkpoint 1's image was the only thing
     * that could repair the data file: recovery must still find it and bring every page to
     * checkpoint 1's state, not leave a mix of old, new and torn pages.
     */
    @Test
    void anImageThatMayStillBeNeededIsNotOverwrittenByTheNextCheckpoint() throws IOException {
        FaultInjectingChannelFactory channels = new FaultInjectingChannelFactory()
                .faultsOnly(p -> p.endsWith(CheckpointFiles.DWB));
        CheckpointFiles files = new CheckpointFiles(dir, channels);
        Pager pager = Pager.open(dataFile(), GraphConfig.defaults());
        List<Long> ids = pagesOnDiskAtVersion1(pager);
        ids.forEach(id -> stamp(pager, id, 2));

        List<PageCache.CapturedPage> first = pager.cache().captureDirtyPages(Long.MAX_VALUE);
        GraphException failed = assertThrows(GraphException.class, () -> files.write(new InPlaceWrites(pager, PAGES / 2, () -> {}),
                pager.pageSize(), pager.cache(), CheckpointInfo.at(100), pager.headerImage(), first));
        assertTrue(failed.getMessage().contains("injected"), failed.getMessage());
        pager.cache().release(first);

        ids.forEach(id -> stamp(pager, id, 3)); // commits go on after the failed checkpoint
        // The first write to the image file retires the earlier image once it is completed; the
        // second, the new image's first (it is buffered: its only one here), is torn, then nothing: the crash.
        channels.failWrite(2);
        List<PageCache.CapturedPage> second = pager.cache().captureDirtyPages(Long.MAX_VALUE);
        assertThrows(GraphException.class, () -> files.write(pager, CheckpointInfo.at(200), pager.headerImage(), second));
        pager.cache().release(second);
        pager.closeWithoutFlush();

        CheckpointInfo recovered = new CheckpointFiles(dir).recover(dataFile());

        assertEquals(100, recovered.lsn(), "recovery starts from checkpoint 1, whose image repaired the data file");
        assertPagesAt(ids, 2);
    }

    /** If the earlier checkpoint cannot be completed either, the next one fails and leaves its image as it was. */
    @Test
    void aCheckpointThatCannotCompleteTheEarlierOneLeavesItsImageAlone() throws IOException {
        CheckpointFiles files = new CheckpointFiles(dir);
        Pager pager = Pager.open(dataFile(), GraphConfig.defaults());
        List<Long> ids = pagesOnDiskAtVersion1(pager);
        ids.forEach(id -> stamp(pager, id, 2));
        List<PageCache.CapturedPage> first = pager.cache().captureDirtyPages(Long.MAX_VALUE);
        assertThrows(GraphException.class, () -> files.write(new InPlaceWrites(pager, PAGES / 2, () -> {}),
                pager.pageSize(), pager.cache(), CheckpointInfo.at(100), pager.headerImage(), first));
        pager.cache().release(first);
        Path dwb = dir.resolve(CheckpointFiles.DWB);
        byte[] image = Files.readAllBytes(dwb);

        ids.forEach(id -> stamp(pager, id, 3));
        List<PageCache.CapturedPage> second = pager.cache().captureDirtyPages(Long.MAX_VALUE);
        GraphException e = assertThrows(GraphException.class, () -> files.write(new InPlaceWrites(pager, 0, () -> {}),
                pager.pageSize(), pager.cache(), CheckpointInfo.at(200), pager.headerImage(), second));
        pager.cache().release(second);
        pager.closeWithoutFlush();

        assertTrue(e.getMessage().contains("earlier checkpoint"), e.getMessage());
        assertArrayEquals(image, Files.readAllBytes(dwb), "the image that repairs the data file is untouched");
        assertEquals(100, new CheckpointFiles(dir).recover(dataFile()).lsn());
        assertPagesAt(ids, 2);
    }

    /**
     * Pages that compress and pages that do not (random bytes) both come back exactly from an
     * image, which stores the first kind compressed.
     */
    @Test
    void compressedAndIncompressiblePagesAreRepairedExactly() throws IOException {
        CheckpointFiles files = new CheckpointFiles(dir);
        Pager pager = Pager.open(dataFile(), GraphConfig.defaults());
        List<Long> ids = pagesOnDiskAtVersion1(pager);
        Random random = new Random(7);
        for (int i = 0; i < ids.size(); i += 2) {
            try (PageCursor c = pager.write(ids.get(i))) {
                byte[] noise = new byte[c.pageSize() - 2 * PAYLOAD];
                random.nextBytes(noise);
                c.putBytes(PAYLOAD + 8, noise, 0, noise.length);
            }
        }
        ids.forEach(id -> stamp(pager, id, 2));
        Map<Long, byte[]> expected = new HashMap<>();
        for (long id : ids) {
            try (PageCursor c = pager.read(id)) {
                expected.put(id, contents(c));
            }
        }
        List<PageCache.CapturedPage> captured = pager.cache().captureDirtyPages(Long.MAX_VALUE);
        files.writeImage(pager.pageSize(), CheckpointInfo.at(9), pager.headerImage(), captured, pager.cache());
        pager.cache().release(captured);
        pager.closeWithoutFlush();
        long imageBytes = Files.size(dir.resolve(CheckpointFiles.DWB));

        assertEquals(9, files.recover(dataFile()).lsn());

        int pageSize = GraphConfig.defaults().pageSize();
        assertTrue(imageBytes < (PAGES / 2 + 2) * (long) pageSize,
                "half the pages compress to almost nothing: " + imageBytes + " bytes for " + PAGES + " pages");
        try (Pager reopened = Pager.open(dataFile(), GraphConfig.defaults())) {
            for (long id : ids) {
                try (PageCursor c = reopened.read(id)) {
                    assertArrayEquals(expected.get(id), contents(c), "page " + id);
                }
            }
        }
    }

    /** An image in the format before compression (version 2: every page as it is) is still applied. */
    @Test
    void anUncompressedImageOfVersion2IsStillApplied() throws IOException {
        List<Long> ids;
        int pageSize = GraphConfig.defaults().pageSize();
        try (Pager pager = Pager.open(dataFile(), GraphConfig.defaults())) {
            ids = pagesOnDiskAtVersion1(pager);
        }
        ByteBuffer body = imageHeader("SABLEDWB", pageSize, PAGES);
        ByteBuffer image = ByteBuffer.allocate(body.remaining() + PAGES * (8 + pageSize)).put(body);
        try (FileChannel data = FileChannel.open(dataFile(), StandardOpenOption.READ)) {
            for (long id : ids) {
                ByteBuffer page = ByteBuffer.allocate(pageSize);
                data.read(page, id * pageSize);
                page.putLong(PAYLOAD, id * 1000 + 2).putLong(pageSize - 8, -2);
                PageLayout.seal(page, id);
                image.putLong(id).put(page.clear());
            }
        }
        writeWithChecksum(image.flip());

        assertEquals(1, new CheckpointFiles(dir).recover(dataFile()).lsn());

        assertPagesAt(ids, 2);
    }

    /** A compressed page damaged behind a valid checksum is reported, never written in place as data. */
    @Test
    void aDamagedCompressedPageIsReportedNotApplied() throws IOException {
        CheckpointFiles files = new CheckpointFiles(dir);
        List<Long> ids = crashAfterTheImage(files, CheckpointInfo.at(5));
        Path dwb = dir.resolve(CheckpointFiles.DWB);
        ByteBuffer image = ByteBuffer.wrap(Files.readAllBytes(dwb));
        int entry = 16 + 8 + 12 + 4; // the header page's entry: magic, version, page size, info, count
        entry += 12 + image.getInt(entry + 8); // the first data page's entry
        int stored = image.getInt(entry + 8);
        assertTrue(stored < GraphConfig.defaults().pageSize(), "the page was stored compressed: " + stored);
        for (int i = 0; i < stored; i++) {
            image.put(entry + 12 + i, (byte) ~image.get(entry + 12 + i));
        }
        writeWithChecksum(image.limit(image.capacity() - 4));

        CorruptionException e = assertThrows(CorruptionException.class, () -> files.recover(dataFile()));

        assertTrue(e.getMessage().contains("image entry 1 (page " + ids.get(0) + ")"), e.getMessage());
        assertTrue(Files.exists(dwb), "a damaged image is kept for inspection");
        try (Pager pager = Pager.open(dataFile(), GraphConfig.defaults())) {
            try (PageCursor c = pager.read(ids.get(0))) {
                assertEquals(ids.get(0) * 1000 + 1, c.getLong(PAYLOAD), "the damaged page was not written in place");
            }
        }
    }

    /**
     * A completed checkpoint retires its image (zeros where the magic was) and keeps the file; the
     * next checkpoint writes its own over it, without writing the retired one's pages in place
     * again, and cuts the file to its own length; recovery deletes a retired image.
     */
    @Test
    void aCompletedCheckpointRetiresItsImageAndTheNextWritesOverIt() throws IOException {
        CheckpointFiles files = new CheckpointFiles(dir);
        Path dwb = dir.resolve(CheckpointFiles.DWB);
        Pager pager = Pager.open(dataFile(), GraphConfig.defaults());
        List<Long> ids = pagesOnDiskAtVersion1(pager);
        ids.forEach(id -> stamp(pager, id, 2));
        checkpoint(files, pager, new InPlaceWrites(pager, -1, () -> {}), 10);
        byte[] retired = Files.readAllBytes(dwb);
        assertArrayEquals(new byte[8], Arrays.copyOf(retired, 8), "the magic is zeroed");

        stamp(pager, ids.get(3), 3);
        InPlaceWrites second = new InPlaceWrites(pager, -1, () -> {});
        checkpoint(files, pager, second, 20);
        pager.closeWithoutFlush();

        assertEquals(2, second.written(), "the header and the one page changed, not the retired image's pages again");
        assertTrue(Files.size(dwb) < retired.length / 4, "the file is cut to the second image: " + Files.size(dwb));
        assertEquals(20, files.recover(dataFile()).lsn());
        assertFalse(Files.exists(dwb), "recovery deletes a retired image");
    }

    /** An image written over a longer retired one, then a crash: the shorter image is complete and repairs. */
    @Test
    void aShorterImageWrittenOverALongerRetiredOneRepairs() throws IOException {
        CheckpointFiles files = new CheckpointFiles(dir);
        Pager pager = Pager.open(dataFile(), GraphConfig.defaults());
        List<Long> ids = pagesOnDiskAtVersion1(pager);
        ids.forEach(id -> stamp(pager, id, 2));
        checkpoint(files, pager, new InPlaceWrites(pager, -1, () -> {}), 100);
        ids.forEach(id -> stamp(pager, id, 3));
        List<PageCache.CapturedPage> captured = pager.cache().captureDirtyPages(Long.MAX_VALUE);
        files.writeImage(pager.pageSize(), CheckpointInfo.at(200), pager.headerImage(), captured, pager.cache());
        pager.cache().release(captured);
        pager.closeWithoutFlush(); // the crash: the image is forced, nothing of it in place
        try (FileChannel ch = FileChannel.open(dataFile(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[100]), ids.get(0) * GraphConfig.defaults().pageSize()); // and a torn page
        }

        assertEquals(200, files.recover(dataFile()).lsn());

        assertPagesAt(ids, 3);
    }

    @Test
    void closingDeletesOnlyARetiredImage() {
        CheckpointFiles files = new CheckpointFiles(dir);
        Path dwb = dir.resolve(CheckpointFiles.DWB);
        crashAfterTheImage(files, CheckpointInfo.at(5));
        files.dropRetiredImage();
        assertTrue(Files.exists(dwb), "an image that repairs the data file is kept");

        files.recover(dataFile());
        Pager pager = Pager.open(dataFile(), GraphConfig.defaults());
        stamp(pager, pager.allocate(PageType.SLOTTED), 1);
        checkpoint(files, pager, new InPlaceWrites(pager, -1, () -> {}), 6);
        pager.closeWithoutFlush();
        assertTrue(Files.exists(dwb), "a retired image is kept while the database is open");
        files.dropRetiredImage();
        assertFalse(Files.exists(dwb), "and deleted at close");
    }

    /** A database keeps its retired image while it is open, and leaves none behind when closed. */
    @Test
    void aClosedDatabaseLeavesNoImage() {
        Path db = dir.resolve("db");
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db)) {
            try (Transaction tx = graph.begin()) {
                tx.addNode(Set.of("N"), Map.of("i", 1L));
                tx.commit();
            }
            graph.checkpoint();
            assertTrue(Files.exists(db.resolve(CheckpointFiles.DWB)), "retired, kept for the next checkpoint");
        }
        assertFalse(Files.exists(db.resolve(CheckpointFiles.DWB)));
    }

    /** A whole checkpoint of the pager's dirty pages at {@code lsn}, its in-place writes going to {@code target}. */
    private static void checkpoint(CheckpointFiles files, Pager pager, InPlaceWrites target, long lsn) {
        List<PageCache.CapturedPage> pages = pager.cache().captureDirtyPages(Long.MAX_VALUE);
        try {
            files.write(target, pager.pageSize(), pager.cache(), CheckpointInfo.at(lsn), pager.headerImage(), pages);
            pager.cache().markClean(pages);
        } finally {
            pager.cache().release(pages);
        }
    }

    /** A page's bytes after its header. */
    private static byte[] contents(PageCursor c) {
        byte[] bytes = new byte[c.pageSize() - PAYLOAD];
        c.getBytes(PAYLOAD, bytes, 0, bytes.length);
        return bytes;
    }

    /** Writes {@code body} and its CRC32C as the image file. */
    private void writeWithChecksum(ByteBuffer body) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        ByteBuffer file = ByteBuffer.allocate(body.remaining() + 4).put(body).putInt((int) crc.getValue());
        Files.write(dir.resolve(CheckpointFiles.DWB), file.array());
    }

    /** The pager's data file as the in-place writes' target, which a test can watch and tear. */
    private final class InPlaceWrites implements CheckpointFiles.DataFile {
        private final CheckpointFiles.DataFile pages;
        private final int tearAt;
        private final Runnable beforeFirstWrite;
        private int written;

        /**
         * Tears the {@code tearAt}-th page written (0 = the first; -1 = none): half of it lands,
         * then the write throws. Runs {@code beforeFirstWrite} before the first page is written.
         */
        InPlaceWrites(Pager pager, int tearAt, Runnable beforeFirstWrite) {
            this.pages = CheckpointFiles.DataFile.of(pager);
            this.tearAt = tearAt;
            this.beforeFirstWrite = beforeFirstWrite;
        }

        @Override
        public void write(long pageId, ByteBuffer page) throws IOException {
            if (written == 0) {
                beforeFirstWrite.run();
            }
            if (written++ == tearAt) {
                try (FileChannel ch = FileChannel.open(dataFile(), StandardOpenOption.WRITE)) {
                    ch.write(page.duplicate().limit(page.capacity() / 2), pageId * page.capacity());
                }
                throw new IOException("injected in-place write failure at page " + pageId);
            }
            pages.write(pageId, page);
        }

        @Override
        public void force() throws IOException {
            pages.force();
        }

        int written() {
            return written;
        }
    }

    /**
     * The image's directory entry is made durable before the first page is written in place: a
     * crash after that must find the image, or the torn pages it repairs are left torn.
     */
    @Test
    void theDirectoryIsForcedAfterTheImageIsCreatedAndBeforeAnyInPlaceWrite() {
        FaultInjectingChannelFactory channels = new FaultInjectingChannelFactory();
        CheckpointFiles files = new CheckpointFiles(dir, channels);
        List<List<FaultInjectingChannelFactory.Event>> atFirstWrite = new ArrayList<>();
        try (Pager pager = Pager.open(dataFile(), GraphConfig.defaults())) {
            stamp(pager, pager.allocate(PageType.SLOTTED), 1);
            InPlaceWrites watched = new InPlaceWrites(pager, -1, () -> atFirstWrite.add(channels.events()));
            List<PageCache.CapturedPage> pages = pager.cache().captureDirtyPages(Long.MAX_VALUE);
            try {
                files.write(watched, pager.pageSize(), pager.cache(), CheckpointInfo.at(7), pager.headerImage(), pages);
                pager.cache().markClean(pages);
            } finally {
                pager.cache().release(pages);
            }
        }

        List<FaultInjectingChannelFactory.Event> events = atFirstWrite.get(0);
        Path image = dir.resolve(CheckpointFiles.DWB).toAbsolutePath().normalize();
        Path directory = dir.toAbsolutePath().normalize();
        List<Path> touched = events.stream().map(FaultInjectingChannelFactory.Event::path).toList();
        int imageCreated = touched.indexOf(image);
        assertTrue(imageCreated >= 0, "the image was written before the pages in place: " + events);
        assertTrue(events.subList(imageCreated, events.size()).stream()
                        .anyMatch(e -> e.kind() == FaultInjectingChannelFactory.Kind.FORCE && e.path().equals(directory)),
                "the directory is forced after the image was created, before in-place writes: " + events);
    }

    @Test
    void anImageWithAValidChecksumButWrongMagicIsReportedNotApplied() throws IOException {
        ByteBuffer body = imageHeader("SABLEXXX", 8192, 0);
        assertRejected(body, "not a checkpoint image");
    }

    @Test
    void anImageWhoseLengthDisagreesWithItsPageCountIsReported() throws IOException {
        ByteBuffer body = imageHeader("SABLEDWB", 8192, 3); // claims 3 pages, holds none
        assertRejected(body, "cannot hold 3 pages");
    }

    @Test
    void anImageWithAnInvalidPageSizeIsReported() throws IOException {
        assertRejected(imageHeader("SABLEDWB", 5000, 0), "invalid page size 5000");
    }

    private static ByteBuffer imageHeader(String magic, int pageSize, int count) {
        ByteBuffer b = ByteBuffer.allocate(16 + 8 + 12 + 4);
        b.put(magic.getBytes(StandardCharsets.US_ASCII)).putInt(2).putInt(pageSize);
        b.putLong(1).putInt(0).putInt(0).putInt(0); // info: lsn 1, three empty id lists
        b.putInt(count);
        return b.flip();
    }

    private void assertRejected(ByteBuffer body, String expected) throws IOException {
        writeWithChecksum(body);
        Path dwb = dir.resolve(CheckpointFiles.DWB);
        Files.write(dataFile(), new byte[] {1, 2, 3});

        CorruptionException e = assertThrows(CorruptionException.class, () -> new CheckpointFiles(dir).recover(dataFile()));

        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(CheckpointFiles.DWB), "names the file: " + e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dataFile()), "nothing was written");
        assertTrue(Files.exists(dwb), "a damaged image is kept for inspection");
    }
}
