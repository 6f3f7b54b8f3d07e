package dev.sablegraph.internal.util;

import java.util.Arrays;

/**
 * A map from {@code long} to {@code int} without boxing: open addressing, linear probing, deletion
 * by shifting back the entries that follow (no tombstones), at most half full.
 *
 * <p>Why: the page cache and the record stores look pages up by id on every write (which pages an
 * atomic change recorded, how much room a page has). As {@code HashMap<Long, Integer>} each lookup
 * chased a boxed key and a node object scattered over the heap, and those lookups were a tenth of
 * a load's CPU. Here a lookup reads one or two adjacent array slots.
 *
 * <p>Not thread-safe.
 */
public final class LongIntHashMap {
    /** Marks an empty slot; key 0 itself is kept aside in {@link #zeroValue}. */
    private static final long EMPTY = 0;
    private static final int MIN_CAPACITY = 16;
    /** Slots {@link #clear} always keeps: 768 KiB of arrays. */
    private static final int KEPT_CAPACITY = 1 << 16;

    private long[] keys;
    private int[] values;
    private int size;
    private boolean hasZero;
    private int zeroValue;

    public LongIntHashMap() {
        allocate(MIN_CAPACITY);
    }

    public int size() {
        return size + (hasZero ? 1 : 0);
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public boolean containsKey(long key) {
        return key == EMPTY ? hasZero : keys[find(key)] == key;
    }

    /** The value of {@code key}, or {@code absent} when it has none. */
    public int get(long key, int absent) {
        if (key == EMPTY) {
            return hasZero ? zeroValue : absent;
        }
        int slot = find(key);
        return keys[slot] == key ? values[slot] : absent;
    }

    /** Maps {@code key} to {@code value}; returns whether the key was new. */
    public boolean put(long key, int value) {
        if (key == EMPTY) {
            boolean added = !hasZero;
            hasZero = true;
            zeroValue = value;
            return added;
        }
        int slot = find(key);
        if (keys[slot] == key) {
            values[slot] = value;
            return false;
        }
        keys[slot] = key;
        values[slot] = value;
        if (++size * 2 > keys.length) {
            rehash(keys.length * 2);
        }
        return true;
    }

    /** Removes {@code key}; returns whether it was there. */
    public boolean remove(long key) {
        if (key == EMPTY) {
            boolean had = hasZero;
            hasZero = false;
            return had;
        }
        int mask = keys.length - 1;
        int slot = find(key);
        if (keys[slot] != key) {
            return false;
        }
        // Shift back every following entry of the run that may no longer be reachable from its
        // home slot across the hole (Knuth, Algorithm R).
        int hole = slot;
        for (int next = (hole + 1) & mask; keys[next] != EMPTY; next = (next + 1) & mask) {
            int home = home(keys[next], mask);
            // Its home lies outside the gap (hole, next]: a lookup from home would stop at the hole.
            boolean homeOutsideGap = hole <= next ? home <= hole || home > next : home <= hole && home > next;
            if (homeOutsideGap) {
                keys[hole] = keys[next];
                values[hole] = values[next];
                hole = next;
            }
        }
        keys[hole] = EMPTY;
        size--;
        return true;
    }

    /**
     * Empties the map. Keeps its arrays unless they are larger than {@link #KEPT_CAPACITY} slots and
     * far larger than the entries just held: a map reused for steady batches (the pages of each
     * commit, with the collector's empty changes between them) neither reallocates nor regrows,
     * while one that a rare huge batch grew lets that memory go.
     */
    public void clear() {
        if (keys.length > KEPT_CAPACITY && size * 8 < keys.length) {
            allocate(Math.max(KEPT_CAPACITY, Integer.highestOneBit(Math.max(1, size * 4 - 1)) << 1));
        } else if (size > 0) {
            Arrays.fill(keys, EMPTY);
        }
        size = 0;
        hasZero = false;
    }

    /** What {@link #forEach} calls. */
    @FunctionalInterface
    public interface Entry {
        void accept(long key, int value);
    }

    /** Calls {@code action} once per entry, in no particular order; the map must not change meanwhile. */
    public void forEach(Entry action) {
        if (hasZero) {
            action.accept(EMPTY, zeroValue);
        }
        long[] k = keys;
        int[] v = values;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != EMPTY) {
                action.accept(k[i], v[i]);
            }
        }
    }

    /** The slot holding {@code key}, or the empty slot where it would go. */
    private int find(long key) {
        int mask = keys.length - 1;
        int slot = home(key, mask);
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Fibonacci hashing: page ids are dense, and their high product bits spread them evenly. */
    private static int home(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new int[capacity];
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldValues = values;
        allocate(capacity);
        int mask = capacity - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            long key = oldKeys[i];
            if (key != EMPTY) {
                int slot = home(key, mask);
                while (keys[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = key;
                values[slot] = oldValues[i];
            }
        }
    }
}
