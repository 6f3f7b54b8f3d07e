package dev.sablegraph.internal.record;

/**
 * A record's address packed in a long: page number in the high 48 bits, slot in the low 16.
 * 0 is never a valid pointer (page 0 is the file header), so it serves as "none".
 */
public final class RecordPointer {
    public static final long NONE = 0;
    private static final int SLOT_BITS = 16;
    private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    /** The largest page number and slot a pointer holds. */
    public static final long MAX_PAGE = (1L << (64 - SLOT_BITS - 1)) - 1;
    public static final int MAX_SLOT = (int) SLOT_MASK;

    private RecordPointer() {}

    public static long of(long page, int slot) {
        if (page <= 0 || page > MAX_PAGE || slot < 0 || slot > MAX_SLOT) {
            throw new IllegalArgumentException("no record pointer for page " + page + " slot " + slot);
        }
        return (page << SLOT_BITS) | slot;
    }

    public static long page(long pointer) {
        return pointer >>> SLOT_BITS;
    }

    public static int slot(long pointer) {
        return (int) (pointer & SLOT_MASK);
    }

    public static String toString(long pointer) {
        return page(pointer) + ":" + slot(pointer);
    }
}
