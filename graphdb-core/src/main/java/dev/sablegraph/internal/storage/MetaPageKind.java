package dev.sablegraph.internal.storage;

/**
 * Whose a {@link PageType#META} page is: the byte at {@link MetaPage#KIND_OFFSET}, the first byte
 * of the payload. The codes are part of the file format (docs/file-format.md): never renumber one.
 */
public enum MetaPageKind {
    /** The meta page of a {@code RecordStore}: its counters and free-space hints. */
    RECORD_STORE(1, "record store meta page"),
    /** The root page of an {@code IdMap}: its next id and its directories. */
    ID_MAP_ROOT(2, "id map root"),
    /** A directory page of an {@code IdMap}: its leaves. */
    ID_MAP_DIRECTORY(3, "id map directory"),
    /** A leaf page of an {@code IdMap}: the values. */
    ID_MAP_LEAF(4, "id map leaf"),
    /** The meta page of a {@code BTree}: key size, root, height and key count. */
    BTREE(5, "B+tree meta page");

    private static final MetaPageKind[] BY_CODE = new MetaPageKind[6];

    static {
        for (MetaPageKind kind : values()) {
            BY_CODE[kind.code] = kind;
        }
    }

    private final byte code;
    private final String description;

    MetaPageKind(int code, String description) {
        this.code = (byte) code;
        this.description = description;
    }

    public byte code() {
        return code;
    }

    /** What the page is, for messages: "id map leaf". */
    public String description() {
        return description;
    }

    /** The kind for a code, or null when the byte names no kind. */
    public static MetaPageKind of(byte code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** A stored kind byte for messages: its number, after its description when it names a kind. */
    public static String describe(byte code) {
        MetaPageKind kind = of(code);
        String number = "meta kind " + (code & 0xFF);
        return kind != null ? kind.description + " (" + number + ")" : number;
    }
}
