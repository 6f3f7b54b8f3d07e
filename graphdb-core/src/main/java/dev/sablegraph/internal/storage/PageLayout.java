package dev.sablegraph.internal.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The 16-byte header every page starts with, and the checksum rule. Layout (little endian is not
 * used anywhere: all multi-byte fields are big endian, ByteBuffer's default):
 *
 * <pre>
 *  0  u32  CRC32C of the page number (8 bytes) followed by bytes [4, pageSize)
 *  4  u8   page type ({@link PageType})
 *  5  u8   reserved, zero
 *  6  u16  reserved, zero
 *  8  u64  page LSN: the log position of the last change to the page (0 until the WAL exists)
 * 16  ...  payload, owned by the page type
 * </pre>
 */
public final class PageLayout {
    public static final int CHECKSUM_OFFSET = 0;
    public static final int TYPE_OFFSET = 4;
    public static final int LSN_OFFSET = 8;
    public static final int HEADER_SIZE = 16;

    private PageLayout() {}

    /**
     * CRC32C of the page number and everything but the checksum field. Folding in the page number
     * makes a page written at the wrong offset (a misdirected write) fail verification.
     */
    public static int computeChecksum(ByteBuffer page, long pageId) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, pageId));
        crc.update(page.duplicate().clear().position(CHECKSUM_OFFSET + 4));
        return (int) crc.getValue();
    }

    /** Stamps the checksum into the page; call on a buffer no one else modifies. */
    public static void seal(ByteBuffer page, long pageId) {
        page.putInt(CHECKSUM_OFFSET, computeChecksum(page, pageId));
    }

    public static boolean checksumMatches(ByteBuffer page, long pageId) {
        return page.getInt(CHECKSUM_OFFSET) == computeChecksum(page, pageId);
    }
}
