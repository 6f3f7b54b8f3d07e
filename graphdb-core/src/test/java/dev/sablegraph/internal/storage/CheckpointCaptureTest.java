package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.PAGE_SIZE;
import static dev.sablegraph.internal.storage.StorageTestSupport.assertPattern;
import static dev.sablegraph.internal.storage.StorageTestSupport.open;
import static dev.sablegraph.internal.storage.StorageTestSupport.patternLong;
import static dev.sablegraph.internal.storage.StorageTestSupport.payloadOffset;
import static dev.sablegraph.internal.storage.StorageTestSupport.writePattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint captures the dirty pages without copying them; the image it takes later is the
 * page as captured, copied by a writer that changed the page first (copy-on-write).
 */
class CheckpointCaptureTest {
    private static final int FRAMES = 16;

    @TempDir
    Path dir;

    private Pager pagerWithDirtyPages(int pages) {
        Pager p = open(dir.resolve("data.sable"), FRAMES);
        p.cache().useSpillFile(dir.resolve("spill.pages"), java.nio.channels.FileChannel::open);
        for (int i = 0; i < pages; i++) {
            long id = p.allocate(PageType.SLOTTED);
            writePattern(p, id, id);
        }
        return p;
    }

    private static long payloadOf(ByteBuffer image, int i) {
        return image.getLong(payloadOffset(i));
    }

    @Test
    void anImageTakenAfterAWriteHoldsThePageAsCaptured() {
        try (Pager p = pagerWithDirtyPages(3)) {
            List<PageCache.CapturedPage> captured = p.cache().captureDirtyPages(Long.MAX_VALUE);
            PageCache.CapturedPage first = captured.stream().filter(c -> c.pageId() == 1).findFirst().orElseThrow();
            writePattern(p, 1, 1000); // changes page 1 after the capture

            ByteBuffer image = ByteBuffer.allocate(PAGE_SIZE);
            p.cache().takeImage(first, image);

            assertEquals(patternLong(1, 0), payloadOf(image, 0), "the image is the captured state");
            assertEquals(patternLong(1, 7), payloadOf(image, 7));
            assertPattern(p, 1, 1000); // the cache keeps the new state
            assertEquals(1, p.cache().preservedCopies(), "one copy, by the writer");

            p.cache().markClean(List.of(first));
            assertEquals(true, p.cache().dirtyPageCount() >= 1, "a page changed after its capture stays dirty");
            p.cache().release(captured);
        }
    }

    @Test
    void pagesNotWrittenAfterTheCaptureAreNeverCopied() {
        try (Pager p = pagerWithDirtyPages(4)) {
            long dirtyBefore = p.cache().dirtyPageCount();
            List<PageCache.CapturedPage> captured = p.cache().captureDirtyPages(Long.MAX_VALUE);
            assertEquals(dirtyBefore, captured.size());
            ByteBuffer image = ByteBuffer.allocate(PAGE_SIZE);
            for (PageCache.CapturedPage c : captured) {
                p.cache().takeImage(c, image);
                if (c.pageId() > 0) {
                    assertEquals(patternLong(c.pageId(), 0), payloadOf(image, 0), "page " + c.pageId());
                }
            }
            writePattern(p, 2, 2000); // after its image was taken: no copy
            assertEquals(0, p.cache().preservedCopies());

            p.cache().markClean(captured);
            assertEquals(1, p.cache().dirtyPageCount(), "only the page written after its image stays dirty");
        }
    }

    @Test
    void capturedPagesArePinnedUntilTheirImageIsTakenOrReleased() {
        try (Pager p = pagerWithDirtyPages(3)) {
            List<PageCache.CapturedPage> captured = p.cache().captureDirtyPages(Long.MAX_VALUE);
            assertEquals(captured.size(), p.metrics().pinnedPages());
            p.cache().takeImage(captured.get(0), ByteBuffer.allocate(PAGE_SIZE));
            assertEquals(captured.size() - 1, p.metrics().pinnedPages());

            p.cache().release(captured);
            p.cache().release(captured); // idempotent

            assertEquals(0, p.metrics().pinnedPages());
            writePattern(p, 1, 3000);
            assertEquals(0, p.cache().preservedCopies(), "released pages are not copied any more");
            assertThrows(IllegalStateException.class,
                    () -> p.cache().takeImage(captured.get(1), ByteBuffer.allocate(PAGE_SIZE)));
        }
    }

    @Test
    void theCaptureFindsExactlyTheDirtyPagesAfterEvictionsAndFlushes() {
        try (Pager p = open(dir.resolve("data.sable"), FRAMES)) {
            // Steal allowed: writing 5 times the cache evicts dirty pages (written back, marked clean).
            for (int i = 0; i < FRAMES * 5; i++) {
                long id = p.allocate(PageType.SLOTTED);
                writePattern(p, id, id);
            }
            p.flush();
            for (long id = 1; id <= FRAMES * 5; id += 7) {
                writePattern(p, id, id + 1);
            }
            long dirty = p.cache().dirtyPageCount();
            List<PageCache.CapturedPage> captured = p.cache().captureDirtyPages(Long.MAX_VALUE);
            assertEquals(dirty, captured.size());
            assertEquals(dirty, captured.stream().mapToLong(PageCache.CapturedPage::pageId).distinct().count());
            p.cache().release(captured);
        }
    }

    @Test
    void aSecondCaptureOfTheSamePagesIsRefused() {
        try (Pager p = pagerWithDirtyPages(2)) {
            List<PageCache.CapturedPage> captured = p.cache().captureDirtyPages(Long.MAX_VALUE);
            // The first page's image is taken (its capture ends, the page stays dirty): a second
            // capture takes it again, then meets a page still captured and fails.
            p.cache().takeImage(captured.get(0), ByteBuffer.allocate(PAGE_SIZE));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.cache().captureDirtyPages(Long.MAX_VALUE));
            assertEquals(true, e.getMessage().contains("already captured"), e.getMessage());
            assertEquals(captured.size() - 1, p.metrics().pinnedPages(), "the failed capture left nothing pinned");
            writePattern(p, captured.get(0).pageId(), 4000);
            assertEquals(0, p.cache().preservedCopies(), "nor marked for copy-on-write");
            p.cache().release(captured);
            assertEquals(0, p.metrics().pinnedPages());
        }
    }
}
