package dev.sablegraph.internal.record;

import dev.sablegraph.internal.storage.PageCursor;
import dev.sablegraph.internal.storage.PageLayout;
import dev.sablegraph.internal.storage.PageType;

/**
 * Layout and in-page operations of a slotted page: the one place that knows where slots and
 * records sit. Records grow down from the end of the page, the slot directory grows up after the
 * header; a slot keeps its number for the record's life, so pointers stay valid across in-page
 * moves (compaction).
 *
 * <pre>
 *  0  common page header (PageLayout), type SLOTTED
 * 16  u64  next page of the same store (0 = last)
 * 24  u16  slot count
 * 26  u16  heap start: records occupy [heapStart, pageSize)
 * 28  u16  garbage: bytes in the heap no live record uses
 * 30  u8   store id
 * 31  u8   flags: bit 0 = no empty slot below the slot count (0 = unknown, as in older pages)
 * 32  slot directory: per slot u16 offset, u16 length; offset 0 = empty slot
 * </pre>
 *
 * Write operations take a write cursor; {@link #readSlot} works on a read cursor inside its
 * retry loop and tolerates garbage.
 */
final class SlottedPage {
    static final int NEXT_OFFSET = PageLayout.HEADER_SIZE;
    static final int SLOT_COUNT_OFFSET = 24;
    static final int HEAP_START_OFFSET = 26;
    static final int GARBAGE_OFFSET = 28;
    static final int STORE_ID_OFFSET = 30;
    static final int FLAGS_OFFSET = 31;
    /**
     * Flag: every slot below the slot count holds a record, so an insert appends a slot without
     * scanning the directory for a hole (a scan per insert made filling a page quadratic). Set by
     * format and by an insert whose scan found no hole; cleared by a delete that leaves a hole.
     * Clear means "scan": pages written before the flag existed have it clear and work as before.
     */
    private static final int NO_EMPTY_SLOT = 1;
    static final int SLOTS_OFFSET = 32;
    static final int SLOT_SIZE = 4;

    private SlottedPage() {}

    static void format(PageCursor c, int storeId, long nextPage) {
        c.zeroPage();
        c.setPageType(PageType.SLOTTED);
        c.putLong(NEXT_OFFSET, nextPage);
        c.putShort(SLOT_COUNT_OFFSET, 0);
        c.putShort(HEAP_START_OFFSET, heapEnd(c));
        c.putShort(GARBAGE_OFFSET, 0);
        c.putByte(STORE_ID_OFFSET, (byte) storeId);
        c.putByte(FLAGS_OFFSET, (byte) NO_EMPTY_SLOT);
    }

    /** Heap end is the page size, stored modulo 2^16 (a 64 KiB page stores 0, read back as 65536). */
    private static int heapEnd(PageCursor c) {
        return c.pageSize();
    }

    private static int heapStart(PageCursor c) {
        int v = c.getUnsignedShort(HEAP_START_OFFSET);
        return v == 0 ? c.pageSize() : v;
    }

    /** Largest record one empty page can take in a fresh slot. */
    static int maxRecordLength(int pageSize) {
        return Math.min(pageSize - SLOTS_OFFSET - SLOT_SIZE, 0xFFFF);
    }

    static int slotCount(PageCursor c) {
        return c.getUnsignedShort(SLOT_COUNT_OFFSET);
    }

    static int storeId(PageCursor c) {
        return c.getByte(STORE_ID_OFFSET) & 0xFF;
    }

    static long nextPage(PageCursor c) {
        return c.getLong(NEXT_OFFSET);
    }

    /** Bytes a new record could use, counting a new slot entry as spent. */
    static int freeBytes(PageCursor c) {
        int contiguous = heapStart(c) - (SLOTS_OFFSET + SLOT_SIZE * slotCount(c));
        int total = contiguous + c.getUnsignedShort(GARBAGE_OFFSET);
        return Math.max(0, total - (hasEmptySlot(c) ? 0 : SLOT_SIZE));
    }

    private static boolean hasEmptySlot(PageCursor c) {
        return findEmptySlot(c) >= 0;
    }

    private static boolean knownFull(PageCursor c) {
        return (c.getByte(FLAGS_OFFSET) & NO_EMPTY_SLOT) != 0;
    }

    private static int findEmptySlot(PageCursor c) {
        if (knownFull(c)) {
            return -1;
        }
        int n = slotCount(c);
        for (int s = 0; s < n; s++) {
            if (c.getUnsignedShort(slotOffset(s)) == 0) {
                return s;
            }
        }
        return -1;
    }

    private static int slotOffset(int slot) {
        return SLOTS_OFFSET + SLOT_SIZE * slot;
    }

    /** True when the slot exists and holds a record. */
    static boolean isLive(PageCursor c, int slot) {
        return slot < slotCount(c) && c.getUnsignedShort(slotOffset(slot)) != 0;
    }

    /**
     * Copies the record in {@code slot} out of the page, or returns null for an empty or missing
     * slot. On a read cursor this runs inside the retry loop: lengths are bounded by the page, so
     * garbage costs at most one page-sized allocation and never an exception.
     */
    static byte[] readSlot(PageCursor c, int slot) {
        if (slot >= slotCount(c)) {
            return null;
        }
        int off = c.getUnsignedShort(slotOffset(slot));
        int len = c.getUnsignedShort(slotOffset(slot) + 2);
        if (off == 0) {
            return null;
        }
        byte[] out = new byte[Math.min(len, c.pageSize())];
        c.getBytes(off, out, 0, out.length);
        return out;
    }

    /** Stores {@code record} in an empty or new slot; returns the slot, or -1 when it does not fit. */
    static int insert(PageCursor c, byte[] record) {
        int slot = findEmptySlot(c);
        int count = slotCount(c);
        int need = record.length + (slot < 0 ? SLOT_SIZE : 0);
        if (!makeRoom(c, need)) {
            return -1;
        }
        if (slot < 0) {
            slot = count;
            c.putShort(SLOT_COUNT_OFFSET, count + 1);
            c.putByte(FLAGS_OFFSET, (byte) (c.getByte(FLAGS_OFFSET) | NO_EMPTY_SLOT));
        }
        place(c, slot, record);
        return slot;
    }

    /**
     * Replaces the record in {@code slot} with {@code record}, keeping the slot number. Returns false,
     * changing nothing, when the page cannot hold the new record.
     */
    static boolean update(PageCursor c, int slot, byte[] record) {
        int so = slotOffset(slot);
        int oldOff = c.getUnsignedShort(so);
        int oldLen = c.getUnsignedShort(so + 2);
        if (record.length <= oldLen) {
            c.putBytes(oldOff, record, 0, record.length);
            c.putShort(so + 2, record.length);
            addGarbage(c, oldLen - record.length);
            return true;
        }
        int contiguous = heapStart(c) - (SLOTS_OFFSET + SLOT_SIZE * slotCount(c));
        if (contiguous + c.getUnsignedShort(GARBAGE_OFFSET) + oldLen < record.length) {
            return false;
        }
        c.putShort(so, 0);
        c.putShort(so + 2, 0);
        addGarbage(c, oldLen);
        makeRoom(c, record.length);
        place(c, slot, record);
        return true;
    }

    /** Empties {@code slot}; trailing empty slots are dropped from the directory. */
    static void delete(PageCursor c, int slot) {
        int so = slotOffset(slot);
        addGarbage(c, c.getUnsignedShort(so + 2));
        c.putShort(so, 0);
        c.putShort(so + 2, 0);
        int count = slotCount(c);
        while (count > 0 && c.getUnsignedShort(slotOffset(count - 1)) == 0) {
            count--;
        }
        c.putShort(SLOT_COUNT_OFFSET, count);
        if (slot < count) {
            c.putByte(FLAGS_OFFSET, (byte) (c.getByte(FLAGS_OFFSET) & ~NO_EMPTY_SLOT));
        }
        if (count == 0) {
            c.putShort(HEAP_START_OFFSET, heapEnd(c) & 0xFFFF);
            c.putShort(GARBAGE_OFFSET, 0);
        }
    }

    private static void place(PageCursor c, int slot, byte[] record) {
        int start = heapStart(c) - record.length;
        c.putBytes(start, record, 0, record.length);
        c.putShort(HEAP_START_OFFSET, start & 0xFFFF);
        c.putShort(slotOffset(slot), start);
        c.putShort(slotOffset(slot) + 2, record.length);
    }

    private static void addGarbage(PageCursor c, int bytes) {
        c.putShort(GARBAGE_OFFSET, c.getUnsignedShort(GARBAGE_OFFSET) + bytes);
    }

    /**
     * Ensures {@code need} contiguous bytes between the slot directory and the heap, compacting the
     * heap if garbage makes that possible.
     */
    private static boolean makeRoom(PageCursor c, int need) {
        int dirEnd = SLOTS_OFFSET + SLOT_SIZE * slotCount(c);
        int contiguous = heapStart(c) - dirEnd;
        if (contiguous >= need) {
            return true;
        }
        if (contiguous + c.getUnsignedShort(GARBAGE_OFFSET) < need) {
            return false;
        }
        compact(c);
        return heapStart(c) - dirEnd >= need;
    }

    /**
     * Rewrites live records contiguously at the end of the page; slot numbers do not change. The
     * heap is copied out once, rebuilt in memory, slot 0 nearest the page's end, and written back
     * with one copy (a page copy per record was a tenth of a large load's commit time: growing
     * records compact pages often).
     */
    static void compact(PageCursor c) {
        int count = slotCount(c);
        int from = heapStart(c);
        int end = heapEnd(c);
        byte[] heap = new byte[end - from];
        c.getBytes(from, heap, 0, heap.length);
        byte[] packed = new byte[heap.length];
        int top = end;
        for (int s = 0; s < count; s++) {
            int so = slotOffset(s);
            int off = c.getUnsignedShort(so);
            if (off != 0) {
                int len = c.getUnsignedShort(so + 2);
                top -= len;
                System.arraycopy(heap, off - from, packed, top - from, len);
                c.putShort(so, top);
            }
        }
        c.putBytes(top, packed, top - from, end - top);
        c.putShort(HEAP_START_OFFSET, top & 0xFFFF);
        c.putShort(GARBAGE_OFFSET, 0);
    }
}
