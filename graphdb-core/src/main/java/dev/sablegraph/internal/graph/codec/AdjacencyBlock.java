package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;

/**
 * One block of an adjacency chain: the edges of one (node, type, direction), newest block first.
 * A block's size is fixed when it is created, so rewriting it always fits in place and its record
 * pointer never changes (edge records keep that pointer). Capacities double along a chain, 2, 4,
 * 8, 16, 32, 64, then 120 entries, so that small nodes waste little space and a node with a
 * million edges needs ~8,300 blocks.
 *
 * <pre>
 * u64 next (older) block pointer, 0 at the end
 * u16 capacity, its top bit set when the entries are packed; u16 count
 * capacity × entry; entries [count, capacity) are unused (zero)
 *   packed:  u40 edge id, u40 other node id (10 bytes)
 *   wide:    u64 edge id, u64 other node id (16 bytes)
 * </pre>
 *
 * New blocks are packed: ids fit in 40 bits because an id map holds fewer ids than that at any
 * page size ({@link #MAX_ID}; {@code IdMapTest.fanOutFollowsThePageSize} ties the two), and ten
 * bytes an entry instead of sixteen keep more of the adjacency store in the page cache when the
 * graph outgrows it (docs/benchmarks.md, "Smaller node records and adjacency entries"). Wide blocks, written by builds before data file
 * format 3, are read and updated in place as they are; a chain may hold both.
 */
public final class AdjacencyBlock {
    static final int HEADER = 12;
    static final int PACKED_ENTRY = 10;
    static final int WIDE_ENTRY = 16;
    static final int PACKED = 0x8000;
    static final int FIRST_CAPACITY = 2;
    static final int MAX_CAPACITY = 120;
    /** The largest id a packed entry holds. */
    public static final long MAX_ID = (1L << 40) - 1;
    private final ByteBuffer buf;
    private final boolean packed;
    private final int entryBytes;

    private AdjacencyBlock(ByteBuffer buf, boolean packed) {
        this.buf = buf;
        this.packed = packed;
        this.entryBytes = packed ? PACKED_ENTRY : WIDE_ENTRY;
    }

    /** A new empty packed block, sized after its predecessor in the chain (0 when it is the first). */
    public static AdjacencyBlock fresh(int previousCapacity, long next) {
        int capacity = previousCapacity == 0 ? FIRST_CAPACITY : Math.min(MAX_CAPACITY, previousCapacity * 2);
        ByteBuffer b = ByteBuffer.allocate(HEADER + PACKED_ENTRY * capacity);
        b.putLong(0, next).putShort(8, (short) (capacity | PACKED)).putShort(10, (short) 0);
        return new AdjacencyBlock(b, true);
    }

    public static AdjacencyBlock decode(byte[] bytes) {
        if (bytes.length < HEADER) {
            throw new IllegalStateException("adjacency block of " + bytes.length + " bytes, shorter than its header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int raw = b.getShort(8) & 0xFFFF;
        boolean packed = (raw & PACKED) != 0;
        int capacity = raw & ~PACKED;
        int count = b.getShort(10) & 0xFFFF;
        int entry = packed ? PACKED_ENTRY : WIDE_ENTRY;
        if (capacity == 0 || capacity > MAX_CAPACITY || count > capacity || bytes.length != HEADER + entry * capacity) {
            throw new IllegalStateException("adjacency block of " + bytes.length + " bytes, capacity " + capacity
                    + (packed ? " packed" : " wide") + ", count " + count);
        }
        return new AdjacencyBlock(b, packed);
    }

    public long next() {
        return buf.getLong(0);
    }

    public int capacity() {
        return buf.getShort(8) & 0xFFFF & ~PACKED;
    }

    public int count() {
        return buf.getShort(10) & 0xFFFF;
    }

    public boolean isFull() {
        return count() == capacity();
    }

    /** True for a block of packed entries, false for a wide one written before they were packed. */
    public boolean isPacked() {
        return packed;
    }

    public long edge(int i) {
        return id(HEADER + entryBytes * i);
    }

    public long other(int i) {
        return id(HEADER + entryBytes * i + entryBytes / 2);
    }

    /**
     * Lists an edge; a packed block refuses an id past {@link #MAX_ID}, which no id map hands out.
     */
    public void add(long edge, long other) {
        int n = count();
        put(HEADER + entryBytes * n, edge, other);
        buf.putShort(10, (short) (n + 1));
    }

    /** Removes an edge by moving the last entry into its place; false when it is not here. */
    public boolean remove(long edge) {
        int n = count();
        for (int i = 0; i < n; i++) {
            if (edge(i) == edge) {
                int last = n - 1;
                put(HEADER + entryBytes * i, edge(last), other(last));
                put(HEADER + entryBytes * last, 0, 0);
                buf.putShort(10, (short) last);
                return true;
            }
        }
        return false;
    }

    public byte[] encode() {
        return buf.array().clone();
    }

    private long id(int at) {
        return packed ? (buf.get(at) & 0xFFL) << 32 | (buf.getInt(at + 1) & 0xFFFF_FFFFL) : buf.getLong(at);
    }

    private void put(int at, long edge, long other) {
        if (!packed) {
            buf.putLong(at, edge).putLong(at + WIDE_ENTRY / 2, other);
            return;
        }
        if (edge < 0 || edge > MAX_ID || other < 0 || other > MAX_ID) {
            throw new IllegalStateException("an id past 40 bits in a packed adjacency entry: edge " + edge
                    + ", node " + other);
        }
        buf.put(at, (byte) (edge >>> 32)).putInt(at + 1, (int) edge);
        buf.put(at + 5, (byte) (other >>> 32)).putInt(at + 6, (int) other);
    }
}
