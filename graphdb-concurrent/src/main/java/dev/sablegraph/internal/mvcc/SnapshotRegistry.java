package dev.sablegraph.internal.mvcc;

import dev.sablegraph.core.GraphException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The snapshots of running transactions, from {@code begin()} until they end, so that garbage
 * collection never reclaims a version one of them can still see.
 *
 * <p>Striped slots: a transaction claims a free slot by CAS, starting at a random place, so
 * concurrent begins rarely touch the same cache line (slots are 8 longs apart). Registration is
 * lock-free; {@link #oldest(long)} scans the slots.
 *
 * <p>Why a snapshot is never missed by a concurrent {@link #oldest} (all operations are volatile,
 * so they fall into one total order): a transaction first stores a lower bound {@code p} of the
 * visible timestamp into its slot, then reads its snapshot {@code s >= p} afresh. The collector
 * first reads the visible timestamp {@code h}, then scans. If the scan saw the slot, the horizon is
 * at most {@code p <= s}. If not, the slot was written after the scan, so after the read of
 * {@code h}, and {@code s} was read later still: {@code h <= s}, and the horizon is at most
 * {@code h}. Either way horizon {@code <= s}.
 */
public final class SnapshotRegistry {
    private static final long FREE = -1;
    private static final int SPREAD = 8;

    private final AtomicLongArray slots;
    private final int capacity;

    public SnapshotRegistry(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
        this.slots = new AtomicLongArray(capacity * SPREAD);
        for (int i = 0; i < capacity; i++) {
            slots.set(i * SPREAD, FREE);
        }
    }

    /** A registered snapshot: its timestamp and the slot to release. */
    public record Snapshot(int slot, long timestamp) {}

    /**
     * Registers a snapshot of {@code visible} (read twice, see the class comment), in the first
     * free slot from a random start.
     *
     * @throws GraphException at once when every slot is taken: waiting would hang the caller (and,
     *     under a lock that {@link #release} needs, every other thread) on a leak of open
     *     transactions
     */
    public Snapshot register(LongSupplier visible) {
        long lowerBound = visible.getAsLong();
        int start = ThreadLocalRandom.current().nextInt(capacity);
        for (int attempt = 0; attempt < capacity; attempt++) {
            int slot = start + attempt < capacity ? start + attempt : start + attempt - capacity;
            if (slots.get(slot * SPREAD) == FREE && slots.compareAndSet(slot * SPREAD, FREE, lowerBound)) {
                long ts = visible.getAsLong();
                slots.set(slot * SPREAD, ts);
                return new Snapshot(slot, ts);
            }
        }
        throw new GraphException("too many open transactions: all " + capacity
                + " are in use (maxOpenTransactions); close transactions when done, or raise the limit");
    }

    public int capacity() {
        return capacity;
    }

    public void release(Snapshot snapshot) {
        slots.set(snapshot.slot() * SPREAD, FREE);
    }

    /**
     * The oldest snapshot any running or starting transaction may hold: no version visible at or
     * after it may be reclaimed. {@code visibleNow} must be read before this call.
     */
    public long oldest(long visibleNow) {
        long min = visibleNow;
        for (int i = 0; i < capacity; i++) {
            long v = slots.get(i * SPREAD);
            if (v != FREE && v < min) {
                min = v;
            }
        }
        return min;
    }

    /** Transactions registered right now (a racy count, for metrics). */
    public int active() {
        int n = 0;
        for (int i = 0; i < capacity; i++) {
            if (slots.get(i * SPREAD) != FREE) {
                n++;
            }
        }
        return n;
    }
}
