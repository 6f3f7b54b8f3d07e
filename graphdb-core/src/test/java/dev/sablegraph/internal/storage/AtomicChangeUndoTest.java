package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.assertPattern;
import static dev.sablegraph.internal.storage.StorageTestSupport.open;
import static dev.sablegraph.internal.storage.StorageTestSupport.writePattern;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolled-back atomic change puts back each page as it was before the change first wrote it,
 * however often the change wrote it, whether its frame was given to other pages in between, and
 * whatever earlier changes recorded in the same frames.
 */
class AtomicChangeUndoTest {
    private static final int FRAMES = 16;

    @TempDir
    Path dir;

    @Test
    void aPageWrittenAgainAfterItWasEvictedIsRestoredToItsFirstState() {
        try (Pager p = open(dir.resolve("data.sable"), FRAMES)) {
            p.cache().useSpillFile(dir.resolve("spill.pages"), FileChannel::open);
            long[] pages = new long[FRAMES * 3];
            for (int i = 0; i < pages.length; i++) {
                pages[i] = p.allocate(PageType.SLOTTED);
                writePattern(p, pages[i], 1);
            }
            for (int round = 2; round < 6; round++) {
                // A committed change: its records are discarded, and the frames keep its marks.
                RollbackPoint committed = p.cache().beginAtomicChange();
                for (long id : pages) {
                    writePattern(p, id, round);
                }
                committed.discard();

                RollbackPoint failed = p.cache().beginAtomicChange();
                for (int pass = 0; pass < 3; pass++) { // three times the cache: every page is evicted between passes
                    for (long id : pages) {
                        writePattern(p, id, 100 * round + pass);
                    }
                }
                failed.restore();
                for (long id : pages) {
                    assertPattern(p, id, round);
                }
            }
        }
    }

    @Test
    void aPageWrittenInTheSameFrameTwiceKeepsItsFirstState() {
        try (Pager p = open(dir.resolve("data.sable"), FRAMES)) {
            p.cache().useSpillFile(dir.resolve("spill.pages"), FileChannel::open);
            long id = p.allocate(PageType.SLOTTED);
            writePattern(p, id, 7);
            RollbackPoint change = p.cache().beginAtomicChange();
            writePattern(p, id, 8);
            writePattern(p, id, 9);
            change.restore();
            assertPattern(p, id, 7);

            change = p.cache().beginAtomicChange(); // a new change records the page again
            writePattern(p, id, 10);
            change.restore();
            assertPattern(p, id, 7);
        }
    }
}
