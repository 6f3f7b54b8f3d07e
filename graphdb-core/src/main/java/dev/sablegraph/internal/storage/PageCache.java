package dev.sablegraph.internal.storage;

import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.util.LockOrder;
import dev.sablegraph.internal.util.RankedLock;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded cache of the pages of one {@link PageFile}: up to {@code capacityBytes / pageSize}
 * frames of direct memory, a lock-free {@link PageTable}, optimistic reads, CLOCK eviction.
 *
 * <p>Concurrency in brief (the whole argument is in docs/architecture.md):
 * <ul>
 *   <li>Cached reads take no lock and write no shared state except a capped usage counter; they
 *       validate a {@link java.util.concurrent.locks.StampedLock} stamp afterwards.</li>
 *   <li>A miss is loaded once: the first faulting thread registers a latch for the page, later
 *       ones wait on it, so only threads wanting the same page wait for its read.</li>
 *   <li>The evictor takes a victim's write lock with {@code tryWriteLock}, so it never waits and
 *       never takes a pinned or locked frame. Writing back a dirty victim happens under that frame's
 *       lock: only threads that want this cold page wait for it.</li>
 *   <li>{@link #flush()} copies each dirty page under its read lock (writers wait for the copy, not
 *       for the I/O), pins the frame while the copy is written so that it cannot be evicted and
 *       re-read stale, and is serialised by {@link #flushLock} so two flushes never reorder the
 *       writes of one page.</li>
 * </ul>
 *
 * <p><b>Growth.</b> Frames are made as the cache fills, not at construction: when a miss finds no
 * free frame and the cache is below its bound, {@link #growFrames} allocates the next chunk of
 * 1 MiB of direct memory and makes its frames, which go to the free list; only a cache at its bound
 * evicts. So an empty database costs neither the memory nor the time to zero the whole cache, and
 * memory still never exceeds the bound. Frames are made in index order and never unmade until
 * close, so the frames that exist are always {@code [0, allocatedFrames)}; the volatile write of
 * {@link #allocatedFrames} publishes them. A frame reached through the page table, the free list or
 * a dirty bit was published before it got there; the clock sweep reads {@link #allocatedFrames}
 * first and looks at no frame beyond it. Nothing else about a frame changes: the optimistic-read
 * protocol below is the same for every frame, however old.
 *
 * <p><b>Memory and close.</b> The frames are slices of direct buffers ({@link DirectMemory}),
 * freed when the cache closes rather than when the garbage collector finds them. Freed memory must never be read: an optimistic reader holds no lock, so no lock can keep it
 * out, and reading unmapped memory would crash the JVM, not throw. So every operation that touches
 * frame memory passes the {@link CloseGate}: a cursor from open to close, {@link #create},
 * {@link #pin}, {@link #flush} and {@link #takeImage} for their duration. {@code close} shuts the
 * gate and the memory is freed by whoever is last out: close itself when no cursor is open, else
 * the thread that closes the last cursor opened before. Such a cursor keeps reading intact memory;
 * it gets {@link IllegalStateException} only when it has to look the page up again (a failed
 * validation), like everything that arrives after close. A cursor that is never closed keeps the
 * memory until the garbage collector frees it, as before. Pins and captures need no memory, so a
 * pin or capture left at close does not hold it.
 */
public final class PageCache implements AutoCloseable {
    /** Direct memory allocated at a time as the cache grows: zeroing it is one miss's extra work. */
    static final int CHUNK_BYTES = 1 << 20;

    private final PageFile file;
    private final int pageSize;
    /** One slot per frame the cache may have; {@code [0, allocatedFrames)} hold frames, the rest null. */
    private final Frame[] frames;
    /** Frames made so far; written under {@link #growLock}, and its volatile write publishes them. */
    private volatile int allocatedFrames;
    /** Serialises {@link #growFrames}: each chunk is allocated once and its frames indexed in order. */
    private final Object growLock = new Object();
    /**
     * Set when direct memory ran out while growing: the cache stays at the frames it has (an
     * allocation that fails makes the JDK collect and wait, so it is not tried on every miss).
     */
    private volatile OutOfMemoryError growthFailed;
    private final PageTable table = new PageTable();
    private final ConcurrentLinkedQueue<Frame> freeFrames = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<Long, CountDownLatch> faulting = new ConcurrentHashMap<>();
    private final AtomicInteger clockHand = new AtomicInteger();
    private final RankedLock flushLock = new RankedLock(LockOrder.FLUSH);
    private final ByteBuffer flushBuffer; // guarded by flushLock
    /** Holds the frames' memory and {@link #flushBuffer}; freed through {@link #gate}. */
    private final DirectMemory memory = new DirectMemory();
    /** Every use of frame memory is inside it; closing it frees {@link #memory} when the last one is out. */
    private final CloseGate gate = new CloseGate(this::freeMemoryAndSpill);

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder flushes = new LongAdder();
    private final LongAdder preservedCopies = new LongAdder();
    private final AtomicLong dirtyPages = new AtomicLong();
    /**
     * One bit per frame, set while the frame is dirty (see {@link #setDirty}): a checkpoint's
     * capture reads these words instead of every frame, which in a cache of half a million frames
     * would be as many cache misses while commits wait.
     */
    private final AtomicLongArray dirtyBits;
    /**
     * Where evicted dirty pages go when the data file may change only at checkpoints (the
     * write-ahead log's logical redo relies on that; docs/durability.md, "Steal to the spill
     * file"), or null when they are written to the data file itself (a store without a log). Set
     * once, before the cache is shared.
     */
    private volatile SpillFile spill;
    /**
     * The pages written since {@link #beginAtomicChange}, as they were before, or null when no
     * atomic change runs. Set and cleared by the one thread allowed to write pages at that time
     * (the caller keeps every other writer out: see {@link #beginAtomicChange}).
     */
    private volatile PageUndo undo;
    /** The one record atomic changes use in turn (one runs at a time), reused for its spare copies. */
    private final PageUndo undoRecord;

    public PageCache(PageFile file, long capacityBytes) {
        this.file = file;
        this.pageSize = file.pageSize();
        long count = capacityBytes / pageSize;
        if (count < 8 || count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("page cache of " + capacityBytes + " bytes holds " + count
                    + " pages of " + pageSize + " bytes; it needs 8 to " + Integer.MAX_VALUE);
        }
        this.undoRecord = new PageUndo(pageSize, (int) (count / 2)); // heap for copies: at most half the cache
        this.frames = new Frame[(int) count];
        this.dirtyBits = new AtomicLongArray((int) ((count + 63) / 64));
        this.flushBuffer = memory.allocate(pageSize);
    }

    public int pageSize() {
        return pageSize;
    }

    public PageFile file() {
        return file;
    }

    /** Pages modified in memory and not yet written: a cheap read, unlike {@link #metrics()}. */
    public long dirtyPageCount() {
        return dirtyPages.get();
    }

    /** The most frames this cache will have: its bound, or what it reached when direct memory ran out. */
    public int capacityPages() {
        return growthFailed == null ? frames.length : allocatedFrames;
    }

    /** Frames made so far (the cache grows to {@link #capacityPages()} as pages are touched). */
    public int allocatedFrames() {
        return allocatedFrames;
    }

    /** An optimistic read cursor on a page that exists in the file or in the cache. */
    public PageCursor read(long pageId) {
        return new PageCursor(this, pageId, false);
    }

    /** An exclusive write cursor; the page is marked dirty when the cursor closes. */
    public PageCursor write(long pageId) {
        return new PageCursor(this, pageId, true);
    }

    /**
     * Puts a page that has never been written to the file into the cache, zeroed and dirty, without
     * reading it. The caller guarantees the page is not cached (a fresh page beyond the old end).
     */
    public void create(long pageId) {
        int ticket = enter();
        SpillFile s = lockSpillForMove();
        try {
            Frame f = takeVictim();
            for (int i = 0; i < pageSize; i += 8) {
                f.buffer.putLong(i, 0L);
            }
            f.pageId = pageId;
            f.usage = 1;
            f.undoLog = null;
            PageUndo u = undo;
            if (u != null && !u.contains(pageId)) {
                u.created(pageId);
            }
            setDirty(f);
            table.put(pageId, f.index);
            f.lock.tryUnlockWrite();
        } finally {
            unlockSpillForMove(s);
            exit(ticket);
        }
    }

    /**
     * Takes the spill file's read lock (if there is one) for a move of pages between frames and the
     * spill file: a fault or an eviction. Returns the file to hand to {@link #unlockSpillForMove}.
     */
    private SpillFile lockSpillForMove() {
        SpillFile s = spill;
        if (s != null) {
            s.lock.readLock().lock();
        }
        return s;
    }

    private static void unlockSpillForMove(SpillFile s) {
        if (s != null) {
            s.lock.readLock().unlock();
        }
    }

    /** Pins a page: until {@link PinnedPage#close()} its frame is neither evicted nor reused. */
    public PinnedPage pin(long pageId) {
        int ticket = enter(); // a fault reads into frame memory; the pin itself needs none
        try {
            return pinEntered(pageId);
        } finally {
            exit(ticket);
        }
    }

    private PinnedPage pinEntered(long pageId) {
        return new PinnedPage(this, locate(pageId, Hold.PIN, null), pageId);
    }

    /** How {@link #locate} holds the frame it finds. */
    enum Hold {
        /** An optimistic read stamp, to be validated after the reads. */
        OPTIMISTIC_READ,
        /** The frame's write lock, kept until the cursor closes. */
        WRITE_LOCK,
        /** One pin, raised under the read lock, which is released before returning. */
        PIN
    }

    /**
     * {@link #locate} for a read cursor. The callers name the hold through these entry points
     * rather than pass it: each is small enough to be inlined everywhere, and with the hold a
     * constant there the JIT keeps only the branch that hold takes, so the read path compiles as
     * small as a loop written for reads alone (and stays inlinable into its own callers).
     */
    Frame locateForRead(long pageId, PageCursor cursor) {
        return locate(pageId, Hold.OPTIMISTIC_READ, cursor);
    }

    /** {@link #locate} for a write cursor; see {@link #locateForRead} for why an entry point. */
    Frame locateForWrite(long pageId, PageCursor cursor) {
        return locate(pageId, Hold.WRITE_LOCK, cursor);
    }

    /**
     * The page-locating loop, the one way to a page's frame: looks the page up, faults it in when
     * it is not cached, holds the frame as {@code hold} asks, and starts over when the frame no
     * longer holds the page by then (an evictor gave it to another page between look-up and hold).
     * Counts a hit unless this call had to fault the page in.
     *
     * <p>The stamp of an optimistic read or a write lock goes to {@code cursor}
     * ({@link PageCursor#held}); a pin has none and passes null. A holder rather than a returned
     * pair, and each hold in a small method of its own: this is the hottest path of the engine, it
     * must not allocate, and the read path must stay small enough for the JIT to inline it whole
     * into its callers (see {@link #locateForRead}).
     */
    Frame locate(long pageId, Hold hold, PageCursor cursor) {
        boolean faulted = false;
        for (;;) {
            checkOpen();
            int idx = table.get(pageId);
            if (idx < 0) {
                fault(pageId);
                faulted = true;
                continue;
            }
            Frame f = frames[idx];
            long s = hold == Hold.OPTIMISTIC_READ ? optimisticStamp(f, pageId)
                    : hold == Hold.WRITE_LOCK ? writeLocked(f, pageId)
                    : pinned(f, pageId);
            if (s == NOT_HELD) {
                continue;
            }
            f.touch();
            if (!faulted) {
                hits.increment();
            }
            if (cursor != null) {
                cursor.held(s);
            }
            return f;
        }
    }

    /** What a hold method returns when it did not get the page: never a stamp StampedLock hands out. */
    private static final long NOT_HELD = 0;

    /** An optimistic stamp on {@code f} while it holds the page, or {@link #NOT_HELD}. */
    private static long optimisticStamp(Frame f, long pageId) {
        long s = f.lock.tryOptimisticRead();
        if (s == 0) {
            // A writer or evictor holds the frame: wait for it rather than spin.
            f.lock.unlockRead(f.lock.readLock());
            return NOT_HELD;
        }
        return f.pageId == pageId ? s : NOT_HELD; // else evicted between the table lookup and the stamp
    }

    /**
     * The write lock of {@code f} if it holds the page, or {@link #NOT_HELD} with the lock let go.
     * Before any change, keeps the page's before-images a checkpoint capture and an atomic change
     * need ({@link #preserveIfCaptured}, {@link #recordForUndo}).
     */
    private long writeLocked(Frame f, long pageId) {
        long s = f.lock.writeLock();
        if (f.pageId != pageId) {
            f.lock.unlockWrite(s);
            return NOT_HELD;
        }
        preserveIfCaptured(f);
        recordForUndo(f);
        return s;
    }

    /**
     * Raises a pin on {@code f} if it holds the page, under the read lock (the evictor checks pins
     * under the write lock), which it lets go again; returns the (spent, non-zero) read stamp, or
     * {@link #NOT_HELD}.
     */
    private static long pinned(Frame f, long pageId) {
        long s = f.lock.readLock();
        try {
            if (f.pageId != pageId) {
                return NOT_HELD;
            }
            f.pins.incrementAndGet();
            return s;
        } finally {
            f.lock.unlockRead(s);
        }
    }

    /** Writes every dirty page to the file (not forced). Readers are never blocked by it. */
    public void flush() {
        int ticket = enter();
        try {
            flushLock.lock();
            try {
                for (int i = 0, n = allocatedFrames; i < n; i++) {
                    Frame f = frames[i];
                    if (f.dirty) {
                        flushFrame(f);
                    }
                }
            } finally {
                flushLock.unlock();
            }
        } finally {
            exit(ticket);
        }
    }

    private void flushFrame(Frame f) {
        long pageId;
        long s = f.lock.readLock();
        try {
            if (!f.dirty || f.pageId == Frame.NO_PAGE) {
                return;
            }
            pageId = f.pageId;
            flushBuffer.clear();
            flushBuffer.put(0, f.buffer, 0, pageSize);
            setClean(f);
            f.pins.incrementAndGet();
        } finally {
            f.lock.unlockRead(s);
        }
        try {
            file.write(pageId, flushBuffer);
            flushes.increment();
        } catch (RuntimeException e) {
            long w = f.lock.writeLock();
            if (!f.dirty) {
                setDirty(f);
            }
            f.lock.unlockWrite(w);
            throw e;
        } finally {
            f.pins.decrementAndGet();
        }
    }

    /**
     * From now on, evicted dirty pages go to a new spill file at {@code path} instead of the data
     * file, which then changes only when a checkpoint writes it (see {@link #spill}). Once, before
     * the cache is shared; the file is deleted when the cache closes. Its channel is opened by
     * {@code opener}: the file system ({@code FileChannel::open}), or a test's fault injector.
     */
    public void useSpillFile(Path path, InterruptSafeChannel.Opener opener) {
        if (spill != null) {
            throw new IllegalStateException("the page cache of " + file.path() + " already spills to " + spill.path());
        }
        spill = SpillFile.create(path, pageSize, opener);
    }

    /** Pages in the spill file now (dirty pages evicted since they were last checkpointed); 0 without one. */
    public long spilledPages() {
        SpillFile s = spill;
        return s == null ? 0 : s.spilledPages();
    }

    /** Pages written to the spill file since open. */
    public long spillWrites() {
        SpillFile s = spill;
        return s == null ? 0 : s.pagesWritten();
    }

    /** Pages read back from the spill file since open. */
    public long spillReads() {
        SpillFile s = spill;
        return s == null ? 0 : s.pagesRead();
    }

    /**
     * Evicts dirty pages to the spill file until at most {@code maxDirty} frames are dirty (or no
     * more can be: pinned, locked or captured frames stay). A checkpoint calls it before its
     * capture, whose pins hold every dirty frame until it has written it: evicting first keeps
     * the rest of the cache free for everyone else meanwhile. Without a spill file, does nothing.
     */
    public void spillDirtyDownTo(long maxDirty) {
        SpillFile s = spill;
        if (s == null || dirtyPages.get() <= maxDirty) {
            return;
        }
        int ticket = enter();
        s.lock.readLock().lock();
        try {
            evictDirtyDownTo(maxDirty);
        } finally {
            s.lock.readLock().unlock();
            exit(ticket);
        }
    }

    /**
     * Makes room in the spill file for {@code pages} more spills without growing it then (see
     * {@code SpillFile.reserve}): a checkpoint calls it before its switch, under which it may
     * evict dirty frames beyond its bound. No-op without a spill file.
     */
    public void reserveSpill(long pages) {
        SpillFile s = spill;
        if (s == null || pages <= 0) {
            return;
        }
        int ticket = enter();
        s.lock.readLock().lock();
        try {
            s.reserve(pages);
        } finally {
            s.lock.readLock().unlock();
            exit(ticket);
        }
    }

    /** The loop of {@link #spillDirtyDownTo}; the caller holds a lock of the spill file and the gate. */
    private void evictDirtyDownTo(long maxDirty) {
        for (int i = 0, n = allocatedFrames; i < n && dirtyPages.get() > maxDirty; i++) {
            Frame f = frames[i];
            if (!f.dirty || !mayEvict(f) || f.lock.tryWriteLock() == 0) {
                continue;
            }
            if (!f.dirty || !mayEvict(f) || f.pageId == Frame.NO_PAGE) {
                f.lock.tryUnlockWrite();
                continue;
            }
            try {
                evictLocked(f);
            } finally {
                f.lock.tryUnlockWrite();
            }
            freeFrames.add(f);
        }
    }

    /**
     * A dirty page captured by a checkpoint: its image as of the capture is taken later with
     * {@link #takeImage}, while writers go on. Either in a frame (pinned), or, when {@code frame}
     * is null, in the spill file's frozen generation.
     */
    public static final class CapturedPage {
        private final long pageId;
        private final Frame frame;
        private final int modCount;
        private boolean taken;

        CapturedPage(long pageId, Frame frame, int modCount) {
            this.pageId = pageId;
            this.frame = frame;
            this.modCount = modCount;
        }

        public long pageId() {
            return pageId;
        }
    }

    /**
     * Captures every dirty page for a checkpoint without copying any (copy-on-write): each is
     * pinned and marked, and a writer that changes one before the checkpoint took its image copies
     * it first ({@link #preserveIfCaptured}). The caller keeps writers out for the duration, so
     * that the set is one consistent state across pages, and later calls {@link #takeImage} for
     * each page and {@link #release} for all.
     *
     * <p>Why not copy here: the caller holds the commit lock and the graph's exclusive guard, and
     * copying the dirty pages (measured: 4,100 pages, 24–92 ms) stalled every commit and read.
     * Capturing is a pass over the frames; copies happen only for pages written again before the
     * checkpoint reaches them, one at a time, by their writers.
     *
     * <p>With a spill file, the spill file's pages are captured too (its current generation is
     * frozen), and at most {@code maxFrames} frames are: dirty frames beyond that are first evicted
     * to the spill file, so that the copies writers may make stay within that bound and the rest
     * of the cache stays free to evict while the checkpoint writes. The spilled generation changes
     * hands rather than being copied, and the list comes in no order (the caller sorts it once
     * writers are let in again): what the caller holds writers out for grows with the captured
     * frames, not with the spill file.
     */
    public List<CapturedPage> captureDirtyPages(long maxFrames) {
        List<CapturedPage> out = new ArrayList<>();
        SpillFile s = spill;
        int ticket = enter();
        if (s != null) {
            // No fault or eviction in flight while the generation is frozen and the frames are
            // read: each dirty page is then in exactly one of the two (see SpillFile).
            s.lock.writeLock().lock();
        }
        try {
            if (s != null) {
                // Usually nothing to do: the checkpoint evicted down to its bound before the switch.
                evictDirtyDownTo(maxFrames);
                for (long pageId : s.freeze()) {
                    out.add(new CapturedPage(pageId, null, 0));
                }
            }
            for (int word = 0; word < dirtyBits.length(); word++) {
                for (long bits = dirtyBits.get(word); bits != 0; bits &= bits - 1) {
                    capture(frames[word * 64 + Long.numberOfTrailingZeros(bits)], out);
                }
            }
        } catch (RuntimeException e) {
            release(out); // leave no page pinned or copied on write by a capture that failed
            throw e;
        } finally {
            if (s != null) {
                s.lock.writeLock().unlock();
            }
            exit(ticket);
        }
        return out; // in no order: the caller sorts it, after the switch it may be holding
    }

    private void capture(Frame f, List<CapturedPage> out) {
        long s = f.lock.readLock();
        try {
            if (f.dirty && f.pageId != Frame.NO_PAGE) {
                if (f.captured) {
                    throw new IllegalStateException("page " + f.pageId + " is already captured by another checkpoint");
                }
                f.pins.incrementAndGet();
                f.captured = true;
                out.add(new CapturedPage(f.pageId, f, f.modCount));
            }
        } finally {
            f.lock.unlockRead(s);
        }
    }

    /**
     * Copies the captured page as it was when captured into {@code into} (position 0 to the page
     * size; the buffer must hold a page) and ends its capture, so that writers no longer copy it.
     */
    public void takeImage(CapturedPage page, ByteBuffer into) {
        if (page.taken) {
            throw new IllegalStateException("the image of page " + page.pageId + " was already taken");
        }
        int ticket = enter(); // frame memory, or the spill file's mapping: not freed under us by a close
        try {
            if (page.frame == null) {
                spill.readFrozen(page.pageId, into);
                page.taken = true;
            } else {
                endCapture(page, into);
            }
        } finally {
            exit(ticket);
        }
    }

    /**
     * Ends the captures whose images were not taken (a checkpoint that failed part-way), and gives
     * the spill file's frozen pages back to it unless {@link #markClean} already dropped them;
     * idempotent.
     */
    public void release(List<CapturedPage> pages) {
        for (CapturedPage page : pages) {
            if (!page.taken && page.frame != null) {
                endCapture(page, null);
            }
        }
        SpillFile s = spill;
        if (s != null) {
            s.lock.writeLock().lock();
            try {
                s.thawFrozen(pageId -> table.get(pageId) >= 0);
            } finally {
                s.lock.writeLock().unlock();
            }
        }
    }

    /**
     * Ends a capture and unpins the frame, first copying the page as captured into {@code into}
     * unless it is null. Under the frame's read lock: writers, the only ones that act on the
     * capture fields, are out.
     */
    private void endCapture(CapturedPage page, ByteBuffer into) {
        Frame f = page.frame;
        long s = f.lock.readLock();
        try {
            if (into != null) {
                ByteBuffer preserved = f.preserved;
                into.put(0, preserved != null ? preserved : f.buffer, 0, pageSize);
            }
            f.preserved = null;
            f.captured = false;
        } finally {
            f.lock.unlockRead(s);
        }
        page.taken = true;
        f.pins.decrementAndGet();
    }

    /** Called by a writer under the frame's write lock before it changes anything: copy-on-write. */
    void preserveIfCaptured(Frame f) {
        if (f.captured && f.preserved == null) {
            ByteBuffer copy = ByteBuffer.allocate(pageSize);
            copy.put(0, f.buffer, 0, pageSize);
            f.preserved = copy;
            preservedCopies.increment();
        }
    }

    /**
     * Called by a writer under the frame's write lock before it changes anything: during an atomic
     * change, keeps the page as it was before the change first touched it.
     */
    void recordForUndo(Frame f) {
        PageUndo u = undo;
        if (u == null) {
            f.undoLog = null;
        } else if (!u.markedRecorded(f)) {
            u.record(f);
            u.markRecorded(f);
        }
    }

    /**
     * Called by a write cursor (holding {@code f}'s write lock) before it overwrites
     * {@code length} bytes at {@code offset}, when {@link Frame#undoLog} is set: the atomic change
     * keeps them ({@link PageUndo#log}).
     */
    void logBeforeWrite(Frame f, int offset, int length) {
        undoRecord.log(f, offset, length);
    }

    /**
     * Starts an atomic change: until the returned point is restored or discarded, every page
     * written through this cache is first kept as it was, and {@link RollbackPoint#restore} puts
     * them all back (pages the change created leave the cache).
     *
     * <p>Only with a spill file: a page the change wrote must not reach the data file, where it
     * could not be taken back; it may be evicted to the spill file meanwhile, and is found there.
     * The caller keeps every other page writer out until the point is restored or discarded (the
     * transaction layer holds the commit lock and the graph's exclusive guard), so every page
     * written meanwhile belongs to the change.
     */
    public RollbackPoint beginAtomicChange() {
        checkOpen();
        if (spill == null) {
            throw new IllegalStateException("atomic changes need a spill file: a page evicted to the data file could not be taken back");
        }
        if (undo != null) {
            throw new IllegalStateException("an atomic change is already running on " + file.path());
        }
        PageUndo u = undoRecord;
        undo = u;
        return new RollbackPoint() {
            @Override
            public void restore() {
                undo = null;
                try {
                    rollBack(u);
                } finally {
                    u.clear();
                }
            }

            @Override
            public void discard() {
                undo = null;
                u.clear();
            }
        };
    }

    /**
     * Writes back every page an atomic change touched, each under its frame's write lock (optimistic
     * readers of it retry): a page that was dirty gets its copy back and stays dirty (loaded from
     * the spill file first if the change's own faults evicted it there); a page that was clean
     * leaves the spill file and is read from the data file again if cached; a page the change
     * created leaves both. The modification count moves on, so a checkpoint that captured a page
     * before the change keeps it dirty rather than marking it clean (a harmless extra write).
     *
     * <p>Holds the spill file's write lock throughout: no other thread's fault can load a page
     * between its removal from the spill file and the look at the cache (it would bring back the
     * change's state). Faults this method makes itself take the read lock, which the write lock's
     * holder may.
     */
    private void rollBack(PageUndo u) {
        int ticket = enter(); // frame memory: not freed under us by a close
        SpillFile sp = spill;
        sp.lock.writeLock().lock();
        try {
            for (PageUndo.Before b : u.pages()) {
                if (b.how() == PageUndo.Restore.COPY || b.how() == PageUndo.Restore.LOGGED) {
                    restoreInMemory(u, b);
                } else {
                    sp.forget(b.pageId());
                    restoreFromFile(b);
                }
            }
        } finally {
            sp.lock.writeLock().unlock();
            exit(ticket);
        }
    }

    /** A page that was dirty: its copy, or the bytes its writes replaced, put back. */
    private void restoreInMemory(PageUndo u, PageUndo.Before b) {
        Frame f = locate(b.pageId(), Hold.WRITE_LOCK, null); // undo is off: records nothing
        try {
            f.modCount++;
            if (b.how() == PageUndo.Restore.COPY) {
                f.buffer.put(0, b.image(), 0, pageSize);
            } else {
                u.putBack(b, f.buffer);
            }
            if (!f.dirty) {
                setDirty(f);
            }
        } finally {
            f.lock.tryUnlockWrite();
        }
    }

    /** A page that was clean (the data file holds it) or new: reread or unmapped if it is cached. */
    private void restoreFromFile(PageUndo.Before b) {
        long pageId = b.pageId();
        for (;;) {
            int idx = table.get(pageId);
            if (idx < 0) {
                return; // not cached: the next fault reads the data file
            }
            Frame f = frames[idx];
            long s = f.lock.writeLock();
            try {
                if (f.pageId != pageId) {
                    continue;
                }
                f.modCount++;
                if (b.how() == PageUndo.Restore.REREAD) {
                    file.read(pageId, f.buffer);
                } else {
                    table.remove(pageId, f.index);
                    f.pageId = Frame.NO_PAGE;
                }
                if (f.dirty) {
                    setClean(f);
                }
            } finally {
                f.lock.unlockWrite(s);
            }
            if (b.how() == PageUndo.Restore.UNMAP) {
                freeFrames.add(f);
            }
            return;
        }
    }


    /**
     * Marks captured pages clean once their images are on disk, unless they changed after the
     * capture (then they stay dirty for the next checkpoint).
     */
    public void markClean(List<CapturedPage> written) {
        for (CapturedPage d : written) {
            Frame f = d.frame;
            if (f == null) {
                continue; // in the spill file's frozen generation, dropped below
            }
            long s = f.lock.writeLock();
            try {
                if (f.pageId == d.pageId && f.modCount == d.modCount && f.dirty) {
                    setClean(f);
                }
            } finally {
                f.lock.unlockWrite(s);
            }
        }
        SpillFile sp = spill;
        if (sp != null) {
            sp.lock.writeLock().lock();
            try {
                sp.dropFrozen();
            } finally {
                sp.lock.writeLock().unlock();
            }
        }
    }

    /** How many pages writers copied because a checkpoint had captured them (copy-on-write). */
    public long preservedCopies() {
        return preservedCopies.sum();
    }

    public PageCacheMetrics metrics() {
        long pinned = 0;
        for (int i = 0, n = allocatedFrames; i < n; i++) {
            if (frames[i].pins.get() > 0) {
                pinned++;
            }
        }
        return new PageCacheMetrics(frames.length, hits.sum(), misses.sum(), evictions.sum(), flushes.sum(),
                dirtyPages.get(), pinned);
    }

    /**
     * Flushes, then closes without flushing ({@link #closeWithoutFlush}), also when the flush
     * fails. Idempotent.
     */
    @Override
    public void close() {
        if (gate.isClosed()) {
            return;
        }
        try {
            flush();
        } finally {
            closeWithoutFlush();
        }
    }

    /**
     * Closes and frees the frames' memory, writing nothing: later use is an
     * {@link IllegalStateException}. The memory is freed now, or when the last cursor still open
     * closes (see the class comment). For a caller whose log has what the cache did not write.
     * Idempotent.
     */
    public void closeWithoutFlush() {
        gate.close();
    }

    // ---- package-private machinery used by PageCursor and PinnedPage ----

    /** The frame at an index (null if not made yet), for tests that inspect frame state. */
    Frame frame(int index) {
        return frames[index];
    }

    private void checkOpen() {
        if (gate.isClosed()) {
            throw closedException();
        }
    }

    /**
     * Lets the caller touch frame memory until {@link #exit}; returns the ticket for it.
     *
     * @throws IllegalStateException when the cache is closed
     */
    int enter() {
        int ticket = gate.enter();
        if (ticket == CloseGate.CLOSED) {
            throw closedException();
        }
        return ticket;
    }

    void exit(int ticket) {
        gate.exit(ticket);
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("page cache of " + file.path() + " is closed");
    }

    void markDirtyAndUnlock(Frame f, long writeStamp) {
        f.modCount++;
        if (!f.dirty) {
            setDirty(f);
        }
        f.lock.unlockWrite(writeStamp);
    }

    /**
     * Marks the frame dirty: its flag, the count and its bit in {@link #dirtyBits}. Under the
     * frame's write lock (or with the frame unreachable, as a fresh victim is), so that flag and
     * bit change together as seen by anyone holding the lock.
     */
    private void setDirty(Frame f) {
        f.dirty = true;
        dirtyPages.incrementAndGet();
        dirtyBits.getAndUpdate(f.index >>> 6, w -> w | 1L << f.index);
    }

    /** The reverse of {@link #setDirty}; under the frame's read or write lock (they exclude the writers that set it). */
    private void setClean(Frame f) {
        f.dirty = false;
        dirtyPages.decrementAndGet();
        dirtyBits.getAndUpdate(f.index >>> 6, w -> w & ~(1L << f.index));
    }

    void unpin(Frame f) {
        f.pins.decrementAndGet();
    }

    /** Loads {@code pageId} into a frame unless another thread does or did; returns when it is there. */
    void fault(long pageId) {
        CountDownLatch mine = new CountDownLatch(1);
        CountDownLatch other = faulting.putIfAbsent(pageId, mine);
        if (other != null) {
            awaitUninterruptibly(other);
            return; // the caller looks again; if that load failed, its own fault reports why
        }
        try {
            if (table.get(pageId) >= 0) {
                return;
            }
            if (pageId >= file.capacityPages()) {
                throw new IllegalArgumentException("page " + pageId + " is beyond the end of " + file.path());
            }
            SpillFile s = lockSpillForMove();
            try {
                load(pageId, s);
            } finally {
                unlockSpillForMove(s);
            }
        } finally {
            faulting.remove(pageId, mine);
            mine.countDown();
        }
    }

    /**
     * Loads the page into a victim frame: from the spill file if it is there (the frame is then
     * dirty: the data file does not have that state), else from the data file. Holds the page's
     * fault latch and the spill file's read lock, if any.
     */
    private void load(long pageId, SpillFile s) {
        Frame f = takeVictim();
        boolean spilled;
        try {
            spilled = s != null && s.load(pageId, f.buffer);
            if (!spilled) {
                file.read(pageId, f.buffer);
            }
        } catch (RuntimeException e) {
            f.lock.tryUnlockWrite();
            freeFrames.add(f);
            throw e;
        }
        f.pageId = pageId;
        f.usage = 1;
        if (spilled) {
            f.modCount++;
            setDirty(f);
        }
        misses.increment();
        table.put(pageId, f.index);
        f.lock.tryUnlockWrite();
    }

    /**
     * Returns a write-locked frame that holds no page: a free one (after making more, while the
     * cache is below its bound), or a CLOCK victim whose page was written back if dirty and
     * unmapped. After enough sweeps that every frame would have had its usage counter drained, it
     * makes one pass over every frame that ignores the counters: they only order victims, and
     * threads that keep touching pages while this one sweeps slowly (descheduled on a loaded
     * machine) can keep every counter above zero (VictimUnderHotUsageTest). It gives up only when
     * that pass finds every frame pinned, captured or locked. With a spill file, the caller holds
     * its read lock ({@link #lockSpillForMove}).
     *
     * <p>Whether a frame may be evicted is decided under its write lock: the look before the lock
     * only saves a {@code tryWriteLock} on frames that are plainly taken, and what it saw may be
     * stale by the time the lock is held (a writer may have dirtied the frame, a reader pinned it).
     * Dirty marks and pins are raised under the frame's write and read lock, so once the evictor
     * holds the write lock they hold still.
     */
    private Frame takeVictim() {
        Frame f;
        do {
            while ((f = freeFrames.poll()) != null) {
                if (f.lock.tryWriteLock() != 0) {
                    if (f.pageId == Frame.NO_PAGE && f.pins.get() == 0) {
                        return f;
                    }
                    f.lock.tryUnlockWrite();
                }
            }
        } while (growFrames(allocatedFrames));
        int n = allocatedFrames;
        if (n == 0) {
            throw exhausted(0);
        }
        long countedSteps = (long) n * (Frame.MAX_USAGE + 2) + 64;
        for (long step = 0; step < countedSteps; step++) {
            f = frames[Math.floorMod(clockHand.getAndIncrement(), n)];
            if (!mayEvict(f)) {
                continue;
            }
            int u = f.usage;
            if (u > 0) {
                f.usage = u - 1;
                continue;
            }
            if (tryTakeVictim(f)) {
                return f;
            }
        }
        // The pass that ignores the counters, over every frame once (its own index: other threads
        // move the shared hand meanwhile).
        int start = Math.floorMod(clockHand.get(), n);
        for (int i = 0; i < n; i++) {
            f = frames[(start + i) % n];
            if (mayEvict(f) && tryTakeVictim(f)) {
                return f;
            }
        }
        throw exhausted(n);
    }

    /**
     * Write-locks {@code f} and evicts its page, if it may be evicted once locked; true when it is
     * then the caller's, write-locked and empty.
     */
    private boolean tryTakeVictim(Frame f) {
        if (f.lock.tryWriteLock() == 0) {
            return false;
        }
        if (!mayEvict(f)) { // the decision that counts: under the lock
            f.lock.tryUnlockWrite();
            return false;
        }
        if (f.pageId != Frame.NO_PAGE) {
            try {
                evictLocked(f);
            } catch (RuntimeException e) {
                f.lock.tryUnlockWrite();
                throw e;
            }
        }
        return true;
    }

    /**
     * Writes the write-locked frame's page out if dirty (to the spill file when there is one, else
     * to the data file), then unmaps it. The page is in the spill file before it leaves the page
     * table, so a thread that misses it in the table finds it there.
     */
    private void evictLocked(Frame f) {
        long victim = f.pageId;
        if (f.dirty) {
            SpillFile s = spill;
            if (s != null) {
                s.spill(victim, f.buffer);
            } else {
                file.write(victim, f.buffer);
                flushes.increment();
            }
            setClean(f);
        }
        table.remove(victim, f.index);
        f.pageId = Frame.NO_PAGE;
        evictions.increment();
    }

    private GraphException exhausted(int n) {
        OutOfMemoryError oom = growthFailed;
        return new GraphException("page cache exhausted: all " + n + " pages of " + file.path()
                + " are pinned, locked or held by a checkpoint"
                + (oom == null ? "; raise pageCacheBytes"
                        : "; direct memory ran out at " + n + " of " + frames.length + " frames (" + oom.getMessage()
                                + "): raise -XX:MaxDirectMemorySize"));
    }

    /**
     * Makes the next chunk of frames and puts them on the free list, unless another thread grew
     * the cache since the caller saw {@code seen} frames (then the caller looks at the free list
     * again). Returns false when there is nothing to do: the cache is at its bound, or direct
     * memory ran out (see {@link #growthFailed}). Holds {@link #growLock}, then the
     * {@link DirectMemory} monitor; no I/O (allocating zeroes the chunk).
     */
    private boolean growFrames(int seen) {
        if (seen == frames.length || growthFailed != null) {
            return false;
        }
        synchronized (growLock) {
            int start = allocatedFrames;
            if (start != seen) {
                return true;
            }
            if (growthFailed != null) {
                return false;
            }
            int n = Math.min(Math.max(1, CHUNK_BYTES / pageSize), frames.length - start);
            ByteBuffer chunk;
            try {
                chunk = memory.allocate(n * pageSize);
            } catch (OutOfMemoryError e) {
                growthFailed = e;
                return false;
            }
            for (int i = 0; i < n; i++) {
                frames[start + i] = new Frame(start + i, chunk.slice(i * pageSize, pageSize));
            }
            allocatedFrames = start + n; // publishes the new frames
            for (int i = 0; i < n; i++) {
                freeFrames.add(frames[start + i]);
            }
            return true;
        }
    }

    /**
     * A frame the evictor may take: not pinned (a captured frame is pinned too, but it is checked
     * on its own so that eviction never depends on that). Final only when called with the frame's
     * write lock held.
     */
    private boolean mayEvict(Frame f) {
        return f.pins.get() == 0 && !f.captured;
    }

    /** The gate's release action: the frames' memory, and the spill file, which nobody reads any more. */
    private void freeMemoryAndSpill() {
        try {
            memory.free();
        } finally {
            SpillFile s = spill;
            if (s != null) {
                s.close();
            }
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
