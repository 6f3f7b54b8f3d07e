package dev.sablegraph.internal.storage;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.IncompatibleFormatException;
import dev.sablegraph.internal.util.SableVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Page 0 of a data file. After the common page header ({@link PageLayout}):
 *
 * <pre>
 * 16  8 bytes  magic "SABLEGDB"
 * 24  u32      format version
 * 28  u32      page size in bytes
 * 32  u64      page count: pages in use, header included (the high-water mark)
 * 40  u64      head of the free-page list (0 = empty)
 * 48  u64      pages on the free list
 * 56  u32      number of root slots that follow ({@link #ROOT_SLOTS})
 * 60  u32      reserved, zero
 * 64  u64[32]  root slots: page numbers or values owned by higher layers
 * </pre>
 */
public final class FileHeader {
    /**
     * The format this build writes. 4 may hold edge records of record format 1 (varints); 3 may
     * hold node records of record format 2 (varints), property values of types 7 and 8 (varint
     * Long and String) and packed adjacency blocks; 2 may hold list property values and node
     * records of record format 1; 1 (Sable 0.1) holds none of these. Bump it whenever a file of
     * the new format could be misread by a build that reads only the old one.
     */
    public static final int FORMAT_VERSION = 4;
    /** The oldest format this build reads; an older readable one is upgraded when written. */
    public static final int OLDEST_READABLE_VERSION = 1;
    public static final int ROOT_SLOTS = 32;
    static final byte[] MAGIC = "SABLEGDB".getBytes(StandardCharsets.US_ASCII);
    static final int MAGIC_OFFSET = 16;
    static final int VERSION_OFFSET = 24;
    static final int PAGE_SIZE_OFFSET = 28;
    static final int PAGE_COUNT_OFFSET = 32;
    static final int FREE_HEAD_OFFSET = 40;
    static final int FREE_COUNT_OFFSET = 48;
    static final int ROOT_COUNT_OFFSET = 56;
    static final int ROOTS_OFFSET = 64;

    /** Volatile so bounds checks may read it without the allocator lock; written under it. */
    volatile long pageCount; // guarded by Pager.allocator
    long freeHead; // guarded by Pager.allocator
    long freeCount; // guarded by Pager.allocator
    final long[] roots = new long[ROOT_SLOTS]; // guarded by Pager.allocator
    /** The format the file held when read; {@link #writeTo} always writes {@link #FORMAT_VERSION}. */
    final int versionRead;

    private FileHeader(int versionRead) {
        this.versionRead = versionRead;
    }

    static FileHeader fresh() {
        FileHeader h = new FileHeader(FORMAT_VERSION);
        h.pageCount = 1;
        return h;
    }

    void writeTo(ByteBuffer page, int pageSize) {
        for (int i = 0; i < pageSize; i += 8) {
            page.putLong(i, 0L);
        }
        page.put(PageLayout.TYPE_OFFSET, PageType.FILE_HEADER.code());
        page.put(MAGIC_OFFSET, MAGIC);
        page.putInt(VERSION_OFFSET, FORMAT_VERSION); // what the pages now hold may need it
        page.putInt(PAGE_SIZE_OFFSET, pageSize);
        page.putLong(PAGE_COUNT_OFFSET, pageCount);
        page.putLong(FREE_HEAD_OFFSET, freeHead);
        page.putLong(FREE_COUNT_OFFSET, freeCount);
        page.putInt(ROOT_COUNT_OFFSET, ROOT_SLOTS);
        for (int i = 0; i < ROOT_SLOTS; i++) {
            page.putLong(ROOTS_OFFSET + 8 * i, roots[i]);
        }
    }

    /**
     * Reads the page size from the first bytes of a file, checking the magic and version first so
     * that a foreign file is named as such rather than as a checksum error.
     */
    static int peekPageSize(Path path, ByteBuffer first64) {
        byte[] magic = new byte[MAGIC.length];
        first64.get(MAGIC_OFFSET, magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new CorruptionException(path, 0, "not a Sable data file (bad magic)");
        }
        checkVersion(path, first64.getInt(VERSION_OFFSET));
        int pageSize = first64.getInt(PAGE_SIZE_OFFSET);
        if (pageSize < 4096 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw new CorruptionException(path, 0, "invalid page size " + pageSize);
        }
        return pageSize;
    }

    private static void checkVersion(Path path, int version) {
        if (version < OLDEST_READABLE_VERSION || version > FORMAT_VERSION) {
            throw new IncompatibleFormatException(path, "data file", version, OLDEST_READABLE_VERSION, FORMAT_VERSION,
                    SableVersion.get());
        }
    }

    /** Decodes a checksum-verified header page. */
    static FileHeader readFrom(Path path, ByteBuffer page, long fileCapacityPages) {
        if (page.get(PageLayout.TYPE_OFFSET) != PageType.FILE_HEADER.code()) {
            throw new CorruptionException(path, 0, "page 0 is not a file header");
        }
        int version = page.getInt(VERSION_OFFSET);
        checkVersion(path, version);
        FileHeader h = new FileHeader(version);
        h.pageCount = page.getLong(PAGE_COUNT_OFFSET);
        h.freeHead = page.getLong(FREE_HEAD_OFFSET);
        h.freeCount = page.getLong(FREE_COUNT_OFFSET);
        if (h.pageCount < 1 || h.pageCount > fileCapacityPages) {
            throw new CorruptionException(path, 0, "page count " + h.pageCount + " does not fit a file of "
                    + fileCapacityPages + " pages");
        }
        if (h.freeHead < 0 || h.freeHead >= h.pageCount || h.freeCount < 0 || h.freeCount >= h.pageCount
                || (h.freeHead == 0) != (h.freeCount == 0)) {
            throw new CorruptionException(path, 0, "free list head " + h.freeHead + " / count " + h.freeCount
                    + " inconsistent with page count " + h.pageCount);
        }
        if (page.getInt(ROOT_COUNT_OFFSET) != ROOT_SLOTS) {
            throw new CorruptionException(path, 0, "root slot count " + page.getInt(ROOT_COUNT_OFFSET));
        }
        for (int i = 0; i < ROOT_SLOTS; i++) {
            h.roots[i] = page.getLong(ROOTS_OFFSET + 8 * i);
        }
        return h;
    }
}
