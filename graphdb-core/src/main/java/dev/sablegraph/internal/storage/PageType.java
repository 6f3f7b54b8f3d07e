package dev.sablegraph.internal.storage;

/** The kinds of pages in a data file; the byte at {@link PageLayout#TYPE_OFFSET}. */
public enum PageType {
    /** Allocated but never formatted by its owner; should not survive a flush. */
    UNFORMATTED(0),
    FILE_HEADER(1),
    /** On the free list; the payload holds the next free page. */
    FREE(2),
    /** Slotted page of variable-length records. */
    SLOTTED(3),
    /** One link of a chain holding a record too large for a slotted page. */
    OVERFLOW(4),
    /** Metadata kept by a higher layer (store roots, free-space maps, token dictionaries). */
    META(5),
    /** A leaf of a B+tree index: sorted keys and sibling links. */
    BTREE_LEAF(6),
    /** An inner node of a B+tree index: separator keys and child pages. */
    BTREE_INTERNAL(7);

    private static final PageType[] BY_CODE = values();
    private final byte code;

    PageType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The type for a code, or null when the byte names no type. */
    public static PageType of(byte code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
