package dev.sablegraph.internal.storage;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Where the page cache puts a dirty page it evicts when the data file must not change between
 * checkpoints (the write-ahead log's logical redo needs the data file to be exactly the last
 * checkpoint; docs/durability.md, "Steal to the spill file"). A page written here is read back
 * from here until a checkpoint has written it in place; the file is never forced and never read
 * after a crash: recovery deletes it and replays the log on the checkpointed data file.
 *
 * <p><b>Generations.</b> Pages are spilled into the <i>current</i> generation. A checkpoint
 * {@link #freeze freezes} it at its capture: the frozen pages are part of the state it writes,
 * their slots are neither moved nor reused until it ends, and new spills start a new current
 * generation. A page is looked up in the current generation first, then in the frozen one (the
 * newer state wins). When the checkpoint has written them in place, {@link #dropFrozen} frees the
 * frozen slots; when it failed, {@link #thawFrozen} merges them back into the current generation.
 *
 * <p><b>Concurrency.</b> {@link #lock}: its read lock is held by every thread that moves a page
 * between the cache and this file (evictions, faults, for the whole move, file I/O included); its
 * write lock by the checkpoint while it freezes a generation and captures the cache's dirty frames
 * (one consistent state: no page is in flight between a frame and this file meanwhile), when it
 * drops or thaws a generation, and by an atomic change while it takes itself back. It is taken
 * before any frame's lock, never after one that is waited for (evictors only try frame locks),
 * and nothing else is locked under it (docs/lock-order.md). Under the read lock, a page id is
 * moved by one thread at a time: a fault holds the page's fault latch, and an eviction holds the
 * frame that holds the page; so the current generation's map is a concurrent map whose entries
 * no two threads change at once, and the slot allocator is the only shared mutable state
 * ({@code synchronized} on {@link #slots}). Slots are copied in and out of a mapping of the file
 * ({@link MappedSlots}, whose class comment says why and what its unmapping needs): every copy
 * happens under the read side (or the write side), the file shrinks and closes under the write side.
 */
final class SpillFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final MappedSlots mapped;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /**
     * Page id to slot, for pages spilled since the last freeze. Its entries change under the read
     * lock (see above); the map itself is replaced only under the write lock, by {@link #freeze}.
     */
    private ConcurrentHashMap<Long, Long> current = new ConcurrentHashMap<>();
    /** The generation a running checkpoint writes; empty when none. Changed under the write lock only. */
    private volatile Map<Long, Long> frozen = Map.of();
    private final SlotAllocator slots = new SlotAllocator();
    private final AtomicLong pagesWritten = new AtomicLong();
    private final AtomicLong pagesRead = new AtomicLong();

    private SpillFile(Path path, FileChannel channel, int pageSize) {
        this.path = path;
        this.channel = channel;
        this.mapped = new MappedSlots(channel, pageSize);
    }

    /**
     * Creates the file empty (a leftover from a crash holds nothing recovery needs), its channel
     * opened by {@code opener} (the file system, or a test's fault injector).
     */
    static SpillFile create(Path path, int pageSize, InterruptSafeChannel.Opener opener) {
        try {
            FileChannel ch = InterruptSafeChannel.open(opener, path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            return new SpillFile(path, ch, pageSize);
        } catch (IOException e) {
            throw new GraphException("cannot create the spill file " + path + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /** Pages held in both generations (slots in use). */
    long spilledPages() {
        return slots.inUse();
    }

    long pagesWritten() {
        return pagesWritten.get();
    }

    long pagesRead() {
        return pagesRead.get();
    }

    /**
     * Writes page {@code pageId} (sealed, from {@code src}, which the caller owns) into the current
     * generation. Under the read lock; the caller holds the frame that holds the page, so the page is
     * in no generation's current map (a fault took it out when it loaded it).
     */
    void spill(long pageId, ByteBuffer src) {
        long slot = slots.take();
        try {
            PageLayout.seal(src, pageId);
            writeSlot(slot, pageId, src);
        } catch (RuntimeException e) {
            slots.free(slot);
            throw e;
        }
        Long old = current.put(pageId, slot);
        if (old != null) { // cannot happen (see above); keep the newest and do not leak the slot
            slots.free(old);
        }
        pagesWritten.incrementAndGet();
    }

    /**
     * Grows the file, if need be, so that the next {@code pages} spills find their slots usable
     * without growing it: growth writes zeros and maps a chunk, tens of microseconds a page, which
     * a checkpoint does before its switch rather than while commits wait (docs/durability.md,
     * "Checkpoints", step 0). Under the read lock.
     */
    void reserve(long pages) {
        long last = slots.lastSlotFor(pages);
        if (last < 0) {
            return; // free slots enough, in usable chunks
        }
        try {
            mapped.ensureUsable(last);
        } catch (IOException | InternalError e) {
            throw new GraphException("cannot grow the spill file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the newest spilled state of {@code pageId} into {@code dst} and returns true, or
     * returns false when it is not spilled (the data file has it). A page found in the current
     * generation leaves it (its frame is now the only copy and is dirty); one found in the frozen
     * generation stays there for the checkpoint. Under the read lock, holding the page's fault latch.
     */
    boolean load(long pageId, ByteBuffer dst) {
        Long slot = current.get(pageId);
        if (slot != null) {
            readSlot(slot, pageId, dst);
            current.remove(pageId);
            slots.free(slot);
            return true;
        }
        slot = frozen.get(pageId);
        if (slot != null) {
            readSlot(slot, pageId, dst);
            return true;
        }
        return false;
    }

    /**
     * Freezes the current generation for a checkpoint and returns its page ids. Under the write
     * lock, with no other generation frozen.
     */
    Set<Long> freeze() {
        requireWriteLock();
        if (!frozen.isEmpty()) {
            throw new IllegalStateException("a spilled generation of " + path + " is already frozen");
        }
        // The map changes hands rather than being copied: the switch of a checkpoint waits for this,
        // and the spill file may hold a million pages.
        frozen = current;
        current = new ConcurrentHashMap<>();
        return Collections.unmodifiableSet(frozen.keySet());
    }

    /**
     * Reads a frozen page as it was frozen. Thread-safe while the generation is frozen; takes the
     * read lock itself, as every copy out of the file's mapping needs.
     */
    void readFrozen(long pageId, ByteBuffer dst) {
        lock.readLock().lock();
        try {
            Long slot = frozen.get(pageId);
            if (slot == null) {
                throw new IllegalStateException("page " + pageId + " is not in the frozen generation of " + path);
            }
            readSlot(slot, pageId, dst);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The checkpoint wrote the frozen pages in place: frees their slots. Under the write lock. */
    void dropFrozen() {
        requireWriteLock();
        for (long slot : frozen.values()) {
            slots.free(slot);
        }
        frozen = Map.of();
        shrinkIfEmpty();
    }

    /**
     * The checkpoint failed: the frozen pages go back into the current generation, unless a newer
     * state of one is spilled again or {@code resident} (its frame is dirty, loaded after the
     * freeze). Under the write lock.
     */
    void thawFrozen(java.util.function.LongPredicate resident) {
        requireWriteLock();
        for (Map.Entry<Long, Long> e : frozen.entrySet()) {
            if (current.containsKey(e.getKey()) || resident.test(e.getKey())) {
                slots.free(e.getValue());
            } else {
                current.put(e.getKey(), e.getValue());
            }
        }
        frozen = Map.of();
    }

    /**
     * Forgets the current generation's copy of {@code pageId}, if any: an atomic change that
     * created or first dirtied the page takes it back. Under the write lock.
     */
    void forget(long pageId) {
        requireWriteLock();
        Long slot = current.remove(pageId);
        if (slot != null) {
            slots.free(slot);
        }
    }

    private void requireWriteLock() {
        if (!lock.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("the spill file's write lock is not held");
        }
    }

    /** With nothing spilled, gives the disk space back (under the write lock: no slot is being written). */
    private void shrinkIfEmpty() {
        if (slots.resetIfEmpty()) {
            try {
                mapped.truncate();
            } catch (IOException e) {
                throw new GraphException("cannot truncate the spill file " + path + ": " + e.getMessage(), e);
            }
        }
    }

    /*
     * In both: an I/O error met through the mapping (a device error, the file shortened behind its
     * back) makes the JVM skip the faulting copy and raise an InternalError in this thread. Where it
     * arrives inside the copy it is reported here like a failed write or read; but the JVM may
     * deliver it later, after the copy has returned (it did so on JDK 17 and 25, measured with a
     * mapped file shortened under a read), so this catch is not what keeps a torn page out: the
     * checksum is. A write that faulted may go unnoticed until the error arrives; docs/durability.md,
     * "Steal to the spill file", says what that late error means for the database.
     */
    private void writeSlot(long slot, long pageId, ByteBuffer src) {
        try {
            mapped.ensureUsable(slot);
            mapped.write(slot, src);
        } catch (IOException | InternalError e) {
            throw new GraphException("cannot write page " + pageId + " to the spill file " + path + ": "
                    + e.getMessage(), e);
        }
    }

    private void readSlot(long slot, long pageId, ByteBuffer dst) {
        boolean covered;
        try {
            covered = mapped.read(slot, dst);
        } catch (InternalError e) {
            throw new GraphException("cannot read page " + pageId + " from the spill file " + path + ": "
                    + e.getMessage(), e);
        }
        if (!covered) {
            throw new CorruptionException(path, pageId, "the spill file ends before slot " + slot);
        }
        if (!PageLayout.checksumMatches(dst, pageId)) {
            throw new CorruptionException(path, pageId, "checksum mismatch in spill slot " + slot);
        }
        pagesRead.incrementAndGet();
    }

    /** Closes and deletes the file: what it held is in the data file now, or in the log. */
    @Override
    public void close() {
        lock.writeLock().lock(); // no copy in flight while the mapping goes away
        try {
            mapped.close();
        } finally {
            lock.writeLock().unlock();
        }
        try {
            channel.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new GraphException("cannot close the spill file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Slot numbers: freed ones are reused first (lowest last freed), else the file grows by one. */
    private static final class SlotAllocator {
        private long[] free = new long[64];
        private int freeCount;
        private long highWater;

        synchronized long take() {
            return freeCount > 0 ? free[--freeCount] : highWater++;
        }

        synchronized void free(long slot) {
            if (freeCount == free.length) {
                free = java.util.Arrays.copyOf(free, free.length * 2);
            }
            free[freeCount++] = slot;
        }

        /** The highest slot the next {@code pages} takes could reach, or -1 when free slots cover them. */
        synchronized long lastSlotFor(long pages) {
            return pages <= freeCount ? -1 : highWater + (pages - freeCount) - 1;
        }

        synchronized long inUse() {
            return highWater - freeCount;
        }

        synchronized boolean resetIfEmpty() {
            if (highWater == 0 || freeCount != highWater) {
                return false;
            }
            freeCount = 0;
            highWater = 0;
            return true;
        }
    }
}
