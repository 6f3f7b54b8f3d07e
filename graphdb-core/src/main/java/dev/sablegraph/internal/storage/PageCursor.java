package dev.sablegraph.internal.storage;

import dev.sablegraph.core.CorruptionException;

/**
 * Access to one cached page, in one of two modes.
 *
 * <p><b>Read</b> cursors take no lock: they read optimistically and the caller repeats its reads
 * until {@link #shouldRetry()} answers false, which proves that no writer or evictor touched the
 * frame meanwhile. Until then the bytes may be garbage, so getters never throw on a bad offset:
 * they return 0 and remember it; if a validated read went out of bounds, the page itself is
 * damaged and {@code shouldRetry} throws {@link CorruptionException}. Code inside the loop must
 * tolerate garbage (clamp lengths, never trust a value before validation).
 *
 * <pre>{@code
 * try (PageCursor c = pager.read(page)) {
 *     do { n = c.getInt(OFFSET); } while (c.shouldRetry());
 * }
 * }</pre>
 *
 * <p><b>Write</b> cursors hold the frame's exclusive lock from open to close; reads need no retry.
 * Closing marks the page dirty. Hold one write cursor at a time per thread unless the
 * documented lock order says otherwise (docs/lock-order.md).
 *
 * <p>Close every cursor: an open cursor keeps its cache's memory from being freed when the cache
 * closes (see {@link PageCache}).
 */
public final class PageCursor implements AutoCloseable {
    private final PageCache cache;
    private final long pageId;
    private final boolean writable;
    private final int pageSize;
    /** The cache's {@link PageCache#enter} ticket: frame memory stays valid until {@link #close}. */
    private final int ticket;
    private Frame frame;
    private long stamp;
    private boolean outOfBounds;
    private boolean closed;

    PageCursor(PageCache cache, long pageId, boolean writable) {
        this.cache = cache;
        this.pageId = pageId;
        this.writable = writable;
        this.pageSize = cache.pageSize();
        this.ticket = cache.enter();
        try {
            frame = writable ? cache.locateForWrite(pageId, this) : cache.locateForRead(pageId, this);
        } catch (RuntimeException | Error e) {
            cache.exit(ticket);
            throw e;
        }
    }

    /** Called by {@link PageCache#locate} with the stamp of the hold it took. */
    void held(long stamp) {
        this.stamp = stamp;
    }

    public long pageId() {
        return pageId;
    }

    public int pageSize() {
        return pageSize;
    }

    public boolean isWritable() {
        return writable;
    }

    /**
     * Read mode: true when the reads since the last call may have seen a torn page and must be
     * repeated (the cursor has re-located the page). Write mode: always false.
     *
     * @throws CorruptionException when a validated read went outside the page
     */
    public boolean shouldRetry() {
        if (!writable && !frame.lock.validate(stamp)) {
            outOfBounds = false;
            frame = cache.locateForRead(pageId, this);
            return true;
        }
        if (outOfBounds) {
            outOfBounds = false;
            throw new CorruptionException(cache.file().path(), pageId, "a stored offset or length points outside the page");
        }
        return false;
    }

    private boolean inBounds(int offset, int length) {
        if (offset >= 0 && length >= 0 && offset <= pageSize - length) {
            return true;
        }
        if (writable) {
            throw new CorruptionException(cache.file().path(), pageId,
                    "access at offset " + offset + " length " + length + " is outside the page");
        }
        outOfBounds = true;
        return false;
    }

    public byte getByte(int offset) {
        return inBounds(offset, 1) ? frame.buffer.get(offset) : 0;
    }

    public int getUnsignedShort(int offset) {
        return inBounds(offset, 2) ? Short.toUnsignedInt(frame.buffer.getShort(offset)) : 0;
    }

    public int getInt(int offset) {
        return inBounds(offset, 4) ? frame.buffer.getInt(offset) : 0;
    }

    public long getLong(int offset) {
        return inBounds(offset, 8) ? frame.buffer.getLong(offset) : 0;
    }

    public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
        if (inBounds(offset, length) && dstOffset >= 0 && dstOffset <= dst.length - length) {
            frame.buffer.get(offset, dst, dstOffset, length);
        } else if (!writable) {
            outOfBounds = true;
        } else {
            throw new IndexOutOfBoundsException("destination range " + dstOffset + "+" + length);
        }
    }

    public void putByte(int offset, byte value) {
        requireWritable();
        if (inBounds(offset, 1)) {
            keepForUndo(offset, 1);
            frame.buffer.put(offset, value);
        }
    }

    public void putShort(int offset, int value) {
        requireWritable();
        if (inBounds(offset, 2)) {
            keepForUndo(offset, 2);
            frame.buffer.putShort(offset, (short) value);
        }
    }

    public void putInt(int offset, int value) {
        requireWritable();
        if (inBounds(offset, 4)) {
            keepForUndo(offset, 4);
            frame.buffer.putInt(offset, value);
        }
    }

    public void putLong(int offset, long value) {
        requireWritable();
        if (inBounds(offset, 8)) {
            keepForUndo(offset, 8);
            frame.buffer.putLong(offset, value);
        }
    }

    public void putBytes(int offset, byte[] src, int srcOffset, int length) {
        requireWritable();
        if (inBounds(offset, length)) {
            keepForUndo(offset, length);
            frame.buffer.put(offset, src, srcOffset, length);
        }
    }

    /** Moves {@code length} bytes within the page; the ranges may overlap. */
    public void copyWithin(int from, int to, int length) {
        requireWritable();
        if (inBounds(from, length) && inBounds(to, length)) {
            byte[] tmp = new byte[length];
            frame.buffer.get(from, tmp, 0, length);
            keepForUndo(to, length);
            frame.buffer.put(to, tmp, 0, length);
        }
    }

    /** Zeroes the page payload and header, leaving only what the caller writes next. */
    public void zeroPage() {
        requireWritable();
        keepForUndo(0, pageSize);
        for (int i = 0; i < pageSize; i += 8) {
            frame.buffer.putLong(i, 0L);
        }
    }

    public PageType pageType() {
        return PageType.of(getByte(PageLayout.TYPE_OFFSET));
    }

    public void setPageType(PageType type) {
        putByte(PageLayout.TYPE_OFFSET, type.code());
    }

    /** Before a write: an atomic change that logs this page's writes keeps the bytes it replaces. */
    private void keepForUndo(int offset, int length) {
        if (frame.undoLog != null) {
            cache.logBeforeWrite(frame, offset, length);
        }
    }

    private void requireWritable() {
        if (!writable) {
            throw new IllegalStateException("read cursor on page " + pageId + " cannot write");
        }
    }

    /** Releases the page; a write cursor marks it dirty first. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (writable) {
                cache.markDirtyAndUnlock(frame, stamp);
            }
        } finally {
            cache.exit(ticket);
        }
    }
}
