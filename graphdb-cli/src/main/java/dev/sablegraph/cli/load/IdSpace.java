package dev.sablegraph.cli.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The external ids of one id group, each mapped to the node id it was given. Ids written as plain
 * decimal numbers below 2<sup>32</sup> (no sign, no leading zero) are kept in an array indexed by
 * the number, allocated in pages as ids appear: 4 bytes an id when they are dense. Every other id
 * is kept as its UTF-8 bytes in an open-addressing hash table (16 bytes a slot at most 3/4 full,
 * plus the bytes). {@code "7"} and {@code "007"} are different ids, as strings they are.
 *
 * <p>Every allocation is charged to the {@link MemoryBudget} first. Not thread-safe.
 */
final class IdSpace {
    private static final int PAGE_BITS = 16;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final long DENSE_LIMIT = 1L << 32;
    private static final int CHUNK_BITS = 20;
    private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    /** Node ids are kept as {@code int} (plus one, so that 0 is "none"). */
    static final long MAX_NODE = Integer.MAX_VALUE - 1L;

    private final String description;
    private final MemoryBudget budget;

    /** Dense numeric ids: page → node + 1 per id, 0 where none. */
    private int[][] pages = new int[0][];

    /** String ids: slot → arena offset + 1 (0 empty), the id's hash, its node. */
    private long[] slots = new long[0];
    private int[] hashes = new int[0];
    private int[] nodes = new int[0];
    private int used;
    private final List<byte[]> chunks = new ArrayList<>();
    private int chunkPosition = CHUNK_SIZE;

    private long size;

    /** @param description what errors call this space, e.g. "the ids of group 'Person'" */
    IdSpace(String description, MemoryBudget budget) {
        this.description = description;
        this.budget = budget;
    }

    /** Ids mapped so far. */
    long size() {
        return size;
    }

    /**
     * Maps {@code id} to {@code node}.
     *
     * @return false, mapping nothing, when {@code id} is mapped already
     */
    boolean put(String id, long node) {
        if (node < 0 || node > MAX_NODE) {
            throw new IllegalStateException("more than " + MAX_NODE + " nodes with ids in one import");
        }
        long n = decimal(id);
        boolean added = n >= 0 ? putDense(n, (int) node) : putString(id, (int) node);
        if (added) {
            size++;
        }
        return added;
    }

    /** The node {@code id} is mapped to, or -1. */
    long get(String id) {
        long n = decimal(id);
        if (n >= 0) {
            int page = (int) (n >>> PAGE_BITS);
            return page < pages.length && pages[page] != null ? pages[page][(int) (n & (PAGE_SIZE - 1))] - 1L : -1;
        }
        if (used == 0) {
            return -1;
        }
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        int slot = find(key, hash(key));
        return slots[slot] == 0 ? -1 : nodes[slot];
    }

    /** The id as a number when it is one written the plain way and below the dense limit, else -1. */
    static long decimal(String id) {
        int len = id.length();
        if (len == 0 || len > 10 || (len > 1 && id.charAt(0) == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v < DENSE_LIMIT ? v : -1;
    }

    private boolean putDense(long n, int node) {
        int page = (int) (n >>> PAGE_BITS);
        if (page >= pages.length) {
            int grown = Math.max(page + 1, pages.length * 2);
            budget.charge(8L * (grown - pages.length), description);
            pages = Arrays.copyOf(pages, grown);
        }
        if (pages[page] == null) {
            budget.charge(4L * PAGE_SIZE, description);
            pages[page] = new int[PAGE_SIZE];
        }
        int i = (int) (n & (PAGE_SIZE - 1));
        if (pages[page][i] != 0) {
            return false;
        }
        pages[page][i] = node + 1;
        return true;
    }

    private boolean putString(String id, int node) {
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        if (key.length > CHUNK_SIZE - 4) {
            throw new IllegalArgumentException("an id of " + key.length + " bytes: ids are at most " + (CHUNK_SIZE - 4)
                    + " bytes");
        }
        if ((used + 1) * 4L > slots.length * 3L) {
            grow();
        }
        int hash = hash(key);
        int slot = find(key, hash);
        if (slots[slot] != 0) {
            return false;
        }
        slots[slot] = store(key) + 1;
        hashes[slot] = hash;
        nodes[slot] = node;
        used++;
        return true;
    }

    /** The slot holding {@code key}, or the empty slot where it would go. */
    private int find(byte[] key, int hash) {
        int mask = slots.length - 1;
        for (int slot = hash & mask;; slot = (slot + 1) & mask) {
            if (slots[slot] == 0 || (hashes[slot] == hash && sameBytes(slots[slot] - 1, key))) {
                return slot;
            }
        }
    }

    private void grow() {
        int capacity = Math.max(1024, slots.length * 2);
        budget.charge(16L * capacity, description);
        long[] oldSlots = slots;
        int[] oldHashes = hashes;
        int[] oldNodes = nodes;
        slots = new long[capacity];
        hashes = new int[capacity];
        nodes = new int[capacity];
        int mask = capacity - 1;
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] != 0) {
                int slot = oldHashes[i] & mask;
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = oldSlots[i];
                hashes[slot] = oldHashes[i];
                nodes[slot] = oldNodes[i];
            }
        }
    }

    /** Appends the key (a 4-byte length, then its bytes) to the arena; returns its offset. */
    private long store(byte[] key) {
        int need = 4 + key.length;
        if (chunkPosition + need > CHUNK_SIZE) {
            budget.charge(CHUNK_SIZE, description);
            chunks.add(new byte[CHUNK_SIZE]);
            chunkPosition = 0;
        }
        byte[] chunk = chunks.get(chunks.size() - 1);
        int at = chunkPosition;
        chunk[at] = (byte) (key.length >>> 24);
        chunk[at + 1] = (byte) (key.length >>> 16);
        chunk[at + 2] = (byte) (key.length >>> 8);
        chunk[at + 3] = (byte) key.length;
        System.arraycopy(key, 0, chunk, at + 4, key.length);
        chunkPosition += need;
        return ((long) (chunks.size() - 1) << CHUNK_BITS) | at;
    }

    private boolean sameBytes(long offset, byte[] key) {
        byte[] chunk = chunks.get((int) (offset >>> CHUNK_BITS));
        int at = (int) (offset & (CHUNK_SIZE - 1));
        int len = ((chunk[at] & 0xff) << 24) | ((chunk[at + 1] & 0xff) << 16) | ((chunk[at + 2] & 0xff) << 8)
                | (chunk[at + 3] & 0xff);
        return len == key.length && Arrays.equals(chunk, at + 4, at + 4 + len, key, 0, len);
    }

    private static int hash(byte[] key) {
        int h = Arrays.hashCode(key);
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
