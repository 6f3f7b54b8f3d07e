package dev.sablegraph.internal.record;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.internal.storage.PageCursor;
import dev.sablegraph.internal.storage.PageLayout;
import dev.sablegraph.internal.storage.PageType;
import dev.sablegraph.internal.storage.Pager;

/**
 * Bytes too large for a slotted page, kept in a chain of OVERFLOW pages:
 *
 * <pre>
 *  0  common page header, type OVERFLOW
 * 16  u64  next page of the chain (0 = last)
 * 24  u32  bytes of data in this page
 * 28  data
 * </pre>
 */
final class OverflowChain {
    static final int NEXT_OFFSET = PageLayout.HEADER_SIZE;
    static final int LENGTH_OFFSET = 24;
    static final int DATA_OFFSET = 28;

    private OverflowChain() {}

    static int capacity(int pageSize) {
        return pageSize - DATA_OFFSET;
    }

    /** Writes {@code data} into a new chain and returns its first page. Holds no cursor while allocating. */
    static long write(Pager pager, byte[] data) {
        int cap = capacity(pager.pageSize());
        int pages = Math.max(1, (data.length + cap - 1) / cap);
        long[] ids = new long[pages];
        for (int i = 0; i < pages; i++) {
            ids[i] = pager.allocate(PageType.OVERFLOW);
        }
        for (int i = 0; i < pages; i++) {
            int from = i * cap;
            int n = Math.min(cap, data.length - from);
            try (PageCursor c = pager.write(ids[i])) {
                c.putLong(NEXT_OFFSET, i + 1 < pages ? ids[i + 1] : 0);
                c.putInt(LENGTH_OFFSET, n);
                c.putBytes(DATA_OFFSET, data, from, n);
            }
        }
        return ids[0];
    }

    /** Reads {@code length} bytes from the chain starting at {@code first}. */
    static byte[] read(Pager pager, long first, int length) {
        byte[] out = new byte[length];
        int cap = capacity(pager.pageSize());
        int filled = 0;
        long page = first;
        while (filled < length) {
            checkLink(pager, page, first);
            long next;
            int n;
            PageType type;
            try (PageCursor c = pager.read(page)) {
                do {
                    type = c.pageType();
                    next = c.getLong(NEXT_OFFSET);
                    n = c.getInt(LENGTH_OFFSET);
                    if (n > 0 && n <= cap && n <= length - filled) {
                        c.getBytes(DATA_OFFSET, out, filled, n);
                    }
                } while (c.shouldRetry());
            }
            if (type != PageType.OVERFLOW || n <= 0 || n > cap || n > length - filled) {
                throw new CorruptionException(pager.path(), page, "overflow page is damaged (type " + type
                        + ", length " + n + ", " + (length - filled) + " bytes still expected)");
            }
            filled += n;
            page = next;
        }
        return out;
    }

    /** Frees every page of the chain. */
    static void free(Pager pager, long first) {
        long page = first;
        while (page != 0) {
            checkLink(pager, page, first);
            long next;
            try (PageCursor c = pager.read(page)) {
                do {
                    next = c.getLong(NEXT_OFFSET);
                } while (c.shouldRetry());
            }
            pager.free(page);
            page = next;
        }
    }

    private static void checkLink(Pager pager, long page, long first) {
        if (page <= 0 || page >= pager.pageCount()) {
            throw new CorruptionException(pager.path(), page, "overflow chain starting at page " + first
                    + " links to a page outside the file");
        }
    }
}
