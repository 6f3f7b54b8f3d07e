package dev.sablegraph.internal.storage;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * File page number to frame index, lock-free for lookups: a growable directory of fixed-size
 * chunks, each an {@link AtomicIntegerArray} holding {@code frame + 1} (0 = not cached). Chunks are
 * created on first use and never removed; the directory is replaced copy-on-write under a monitor.
 */
final class PageTable {
    private static final int CHUNK_BITS = 12;
    private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;

    /** Replaced (copy on write) only under this object's monitor; read lock-free. */
    private volatile AtomicIntegerArray[] chunks = new AtomicIntegerArray[16]; // guarded by this

    /** The frame holding {@code pageId}, or -1. The answer may be stale at once: callers validate. */
    int get(long pageId) {
        AtomicIntegerArray[] dir = chunks;
        long c = pageId >>> CHUNK_BITS;
        if (c >= dir.length) {
            return -1;
        }
        AtomicIntegerArray chunk = dir[(int) c];
        return chunk == null ? -1 : chunk.get((int) (pageId & CHUNK_MASK)) - 1;
    }

    void put(long pageId, int frame) {
        chunkFor(pageId).set((int) (pageId & CHUNK_MASK), frame + 1);
    }

    /** Removes the mapping only if it still names {@code frame}. */
    void remove(long pageId, int frame) {
        chunkFor(pageId).compareAndSet((int) (pageId & CHUNK_MASK), frame + 1, 0);
    }

    private AtomicIntegerArray chunkFor(long pageId) {
        long c = pageId >>> CHUNK_BITS;
        AtomicIntegerArray[] dir = chunks;
        if (c < dir.length && dir[(int) c] != null) {
            return dir[(int) c];
        }
        synchronized (this) {
            dir = chunks;
            if (c >= Integer.MAX_VALUE) {
                throw new IllegalArgumentException("page number out of range: " + pageId);
            }
            if (c >= dir.length) {
                dir = Arrays.copyOf(dir, (int) Math.max(c + 1, dir.length * 2L));
            } else if (dir[(int) c] != null) {
                return dir[(int) c];
            } else {
                dir = dir.clone();
            }
            dir[(int) c] = new AtomicIntegerArray(CHUNK_SIZE);
            chunks = dir;
            return dir[(int) c];
        }
    }
}
