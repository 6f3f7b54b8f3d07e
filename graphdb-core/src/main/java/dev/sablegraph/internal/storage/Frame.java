package dev.sablegraph.internal.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.StampedLock;

/**
 * One page-sized slot of cache memory and the state that guards it.
 *
 * <p>Invariants (see docs/lock-order.md and docs/architecture.md):
 * <ul>
 *   <li>{@link #pageId} and the buffer's contents change only under the write lock; an optimistic
 *       reader that validated its stamp saw one page, whole.</li>
 *   <li>{@link #pins} is raised only under the read lock and the evictor checks it under the write
 *       lock, so a frame with a pin is never given to another page. Unpinning needs no lock.</li>
 *   <li>{@link #dirty} goes true under the write lock (a writer) and false under the read lock (the
 *       flusher, which also pins) or the write lock (the evictor); those are mutually exclusive, so
 *       no dirty mark is lost.</li>
 *   <li>{@link #usage} is the CLOCK counter; racy updates only blur recency, never correctness.</li>
 * </ul>
 */
final class Frame {
    static final long NO_PAGE = -1;
    static final int MAX_USAGE = 4;

    final int index;
    /** A slice of the cache's direct memory: touch it only inside the cache's {@link CloseGate}. */
    final ByteBuffer buffer;
    final StampedLock lock = new StampedLock();
    final AtomicInteger pins = new AtomicInteger();
    volatile long pageId = NO_PAGE; // guarded by lock (write lock); volatile for optimistic readers
    volatile boolean dirty; // guarded by lock (set under the write lock, cleared under read or write)
    volatile int usage;
    /** Bumped by every write cursor close, under the write lock: tells a checkpoint whether the
     *  page changed after it captured it. */
    int modCount; // guarded by lock (write lock)
    /**
     * Set while a checkpoint holds this page captured but has not taken its image (see
     * {@link PageCache#captureDirtyPages}). Set with writers kept out; cleared under the read lock;
     * read by writers under the write lock. A captured frame is pinned.
     */
    volatile boolean captured;
    /**
     * The page as it was when captured, copied by the first writer after the capture; null while
     * the buffer itself still holds that state. Only ever non-null while {@link #captured}.
     */
    volatile ByteBuffer preserved;
    /**
     * The atomic change that recorded {@link #undoPage} for undo while this frame held it
     * ({@link PageUndo#markRecorded}); a frame holding another page, or marked by an earlier
     * change, is asked about in the change's record instead.
     */
    long undoChange; // guarded by lock (write lock)
    long undoPage = NO_PAGE; // guarded by lock (write lock)
    /**
     * The record of an atomic change whose log every write to this frame's page adds to
     * ({@link PageUndo#log}), or null when writes are not logged. Set by
     * {@link PageCache#recordForUndo} each time a writer takes the frame, so a stale value is
     * never used: a record that has since been copied is told by its {@link PageUndo.Restore}.
     */
    PageUndo.Before undoLog; // guarded by lock (write lock)

    Frame(int index, ByteBuffer buffer) {
        this.index = index;
        this.buffer = buffer;
    }

    /** Marks the frame recently used; writes only when the counter is below the cap. */
    void touch() {
        int u = usage;
        if (u < MAX_USAGE) {
            usage = u + 1;
        }
    }
}
