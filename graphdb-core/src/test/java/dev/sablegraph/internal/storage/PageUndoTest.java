package dev.sablegraph.internal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The copy buffers an atomic change leaves for the next one: enough for steady commits, bounded. */
class PageUndoTest {
    private static final int PAGE = 512;

    @Test
    void keepsAsManyCopiesAsRecentChangesMadeWithinItsBound() {
        PageUndo undo = new PageUndo(PAGE, 1_000);
        copyDirtyPages(undo, 600);
        undo.clear();
        assertEquals(600, undo.spareCopies(), "a steady change of 600 copies must find them all again");

        copyDirtyPages(undo, 5_000);
        undo.clear();
        assertEquals(1_000, undo.spareCopies(), "never more than the bound");

        for (int i = 0; i < 3; i++) {
            copyDirtyPages(undo, 10);
            undo.clear();
        }
        assertTrue(undo.spareCopies() > 900, "small changes between big ones (the collector's) keep the pool: "
                + undo.spareCopies());

        for (int i = 0; i < 200; i++) {
            copyDirtyPages(undo, 10);
            undo.clear();
        }
        assertEquals(PageUndo.MIN_SPARE_COPIES, undo.spareCopies(), "a huge change's copies are let go after many small ones");
    }

    @Test
    void emptyChangesBetweenCommitsDoNotEmptyThePool() {
        PageUndo undo = new PageUndo(PAGE, 2_000);
        for (int commit = 0; commit < 20; commit++) {
            copyDirtyPages(undo, 1_200);
            undo.clear();
            undo.clear(); // a change that wrote nothing
        }
        assertTrue(undo.spareCopies() >= 1_150, "spares after a steady run of 1,200-copy commits: " + undo.spareCopies());
    }

    @Test
    void aReusedBufferHoldsTheNewPageNotTheOldOne() {
        PageUndo undo = new PageUndo(PAGE, 8);
        Frame first = dirtyFrame(1, (byte) 7);
        undo.beforeWrite(first);
        ByteBuffer image = undo.pages().get(0).image();
        undo.clear();

        Frame second = dirtyFrame(2, (byte) 9);
        undo.beforeWrite(second);
        PageUndo.Before before = undo.pages().get(0);
        assertSame(image, before.image(), "the buffer is reused");
        assertEquals(2, before.pageId());
        for (int i = 0; i < PAGE; i++) {
            assertEquals(9, before.image().get(i), "byte " + i);
        }
    }

    @Test
    void cleanAndCreatedPagesCopyNothing() {
        PageUndo undo = new PageUndo(PAGE, 8);
        Frame clean = dirtyFrame(1, (byte) 1);
        clean.dirty = false;
        undo.beforeWrite(clean);
        undo.created(2);
        assertEquals(PageUndo.Restore.REREAD, undo.pages().get(0).how());
        assertEquals(PageUndo.Restore.UNMAP, undo.pages().get(1).how());
        undo.clear();
        assertEquals(0, undo.spareCopies());
    }

    private static void copyDirtyPages(PageUndo undo, int count) {
        Frame f = dirtyFrame(0, (byte) 0);
        for (int i = 0; i < count; i++) {
            f.pageId = i;
            undo.beforeWrite(f);
        }
        assertEquals(count, undo.pages().size());
    }

    private static Frame dirtyFrame(long pageId, byte fill) {
        ByteBuffer buffer = ByteBuffer.allocate(PAGE);
        for (int i = 0; i < PAGE; i++) {
            buffer.put(i, fill);
        }
        Frame f = new Frame(0, buffer);
        f.pageId = pageId;
        f.dirty = true;
        return f;
    }
}
