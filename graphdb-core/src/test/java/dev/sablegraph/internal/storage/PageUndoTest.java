package dev.sablegraph.internal.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * What an atomic change keeps of a dirty page: the bytes its writes replace, until they would pass
 * a quarter of a page, then a copy of its first state; and the memory it leaves for the next
 * change: enough for steady commits, bounded.
 */
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
        undo.log(first, 0, PAGE);
        ByteBuffer image = undo.pages().get(0).image();
        undo.clear();

        Frame second = dirtyFrame(2, (byte) 9);
        undo.beforeWrite(second);
        undo.log(second, 0, PAGE);
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

    @Test
    void smallWritesToADirtyPageAreLoggedNotCopiedAndPutBackExactly() {
        PageUndo undo = new PageUndo(PAGE, 8);
        Frame f = dirtyFrame(3, (byte) 5);
        byte[] first = bytes(f.buffer);
        undo.beforeWrite(f);
        write(undo, f, 100, 8, (byte) 1);
        write(undo, f, 104, 8, (byte) 2); // overlaps the first write
        write(undo, f, 0, 4, (byte) 3); // the checksum a spill rewrites
        PageUndo.Before b = undo.pages().get(0);
        assertEquals(PageUndo.Restore.LOGGED, b.how());
        assertSame(b, f.undoLog);
        assertEquals(0, undo.spareCopies() + undo.pages().stream().filter(p -> p.image() != null).count());

        undo.putBack(b, f.buffer);
        assertArrayEquals(first, bytes(f.buffer));
    }

    @Test
    void aPageWhoseLogWouldPassAQuarterOfAPageIsCopiedAsItWasFirst() {
        PageUndo undo = new PageUndo(PAGE, 8);
        Frame f = dirtyFrame(3, (byte) 5);
        byte[] first = bytes(f.buffer);
        undo.beforeWrite(f);
        for (int i = 0; i < 20 && f.undoLog != null; i++) {
            write(undo, f, 16 + 8 * i, 8, (byte) (i + 10));
        }
        PageUndo.Before b = undo.pages().get(0);
        assertEquals(PageUndo.Restore.COPY, b.how(), "a quarter of 512 bytes holds fewer than 20 logged longs");
        assertNull(f.undoLog, "writes after the copy are not logged");
        assertArrayEquals(first, bytes(b.image()));
    }

    @Test
    void aFrameStillPointingAtARecordThatWasCopiedStopsLogging() {
        PageUndo undo = new PageUndo(PAGE, 8);
        Frame f = dirtyFrame(3, (byte) 5);
        undo.beforeWrite(f);
        PageUndo.Before b = f.undoLog;
        Frame other = dirtyFrame(3, (byte) 5); // the same page, loaded again into another frame
        other.undoLog = b;
        undo.log(other, 0, PAGE); // copies
        assertEquals(PageUndo.Restore.COPY, b.how());
        undo.log(f, 20, 8);
        assertNull(f.undoLog);
    }

    @Test
    void theLogsMemoryIsKeptForSteadyChangesAndLetGoAfterAHugeOne() {
        PageUndo undo = new PageUndo(PAGE, 1_000);
        assertEquals(0, undo.logCapacity(), "no chunk before the first range");
        for (int i = 0; i < 20_000; i++) { // 20,000 pages logged: far more than one chunk
            Frame f = dirtyFrame(i, (byte) 1);
            undo.beforeWrite(f);
            write(undo, f, 40, 60, (byte) 2);
        }
        undo.clear();
        long afterHuge = undo.logCapacity();
        assertTrue(afterHuge > RangeLog.MIN_CHUNK && afterHuge <= 1_000L * PAGE + RangeLog.MIN_CHUNK,
                "kept within 1,000 pages' worth: " + afterHuge);
        for (int i = 0; i < 300; i++) {
            undo.clear();
        }
        assertTrue(undo.logCapacity() <= RangeLog.MIN_CHUNK, "let go after many empty changes: " + undo.logCapacity());
    }

    /** What a write cursor does: the undo keeps the range, then the write happens. */
    private static void write(PageUndo undo, Frame f, int offset, int length, byte value) {
        if (f.undoLog != null) {
            undo.log(f, offset, length);
        }
        for (int i = 0; i < length; i++) {
            f.buffer.put(offset + i, value);
        }
    }

    private static byte[] bytes(ByteBuffer page) {
        byte[] b = new byte[PAGE];
        page.get(0, b);
        return b;
    }

    /** {@code count} dirty pages, each overwritten whole, so each is copied. */
    private static void copyDirtyPages(PageUndo undo, int count) {
        Frame f = dirtyFrame(0, (byte) 0);
        for (int i = 0; i < count; i++) {
            f.pageId = i;
            undo.beforeWrite(f);
            undo.log(f, 0, PAGE);
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
