package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;

/**
 * One block of an adjacency chain: the edges of one (node, type, direction), newest block first.
 * A block's size is fixed when it is created, so rewriting it always fits in place and its record
 * pointer never changes (edge records keep that pointer); so is its next pointer, which only a
 * chain's removal as a whole undoes. Capacities double along a chain, 2, 4, 8, 16, 32, 64, then
 * 120 entries, so that small nodes waste little space and a node with a million edges needs
 * ~8,300 blocks.
 *
 * <p>Three layouts; the top bit of the first byte tells the short header from the long ones, whose
 * first byte is the top byte of a next pointer and so never has it set:
 *
 * <pre>
 * short header (8 bytes), packed entries: written since data file format 3
 *   u8  0x80 | capacity, u8 count, u48 next (older) block pointer, 0 at the end
 *   capacity × (u40 edge id, u40 other node id)
 * long header (12 bytes): u64 next block pointer, u16 capacity, u16 count
 *   packed entries (capacity's top bit 0x8000 set): capacity × (u40 edge id, u40 other node id);
 *     written for a next pointer past 48 bits (a page past 2^32)
 *   wide entries: capacity × (u64 edge id, u64 other node id); written before format 3
 * entries [count, capacity) are unused (zero)
 * </pre>
 *
 * Packed entries because ids fit in 40 bits: an id map holds fewer ids than that at any page size
 * ({@link #MAX_ID}; {@code IdMapTest.fanOutFollowsThePageSize} ties the two). Ten bytes an entry
 * instead of sixteen, and eight bytes of header instead of twelve, keep more of the adjacency store
 * in the page cache when the graph outgrows it (docs/benchmarks.md, "Smaller node records and
 * adjacency entries"). Blocks of the older layouts are read and updated in place as they are; a
 * chain may mix them.
 */
public final class AdjacencyBlock {
    static final int SHORT_HEADER = 8;
    static final int LONG_HEADER = 12;
    static final int PACKED_ENTRY = 10;
    static final int WIDE_ENTRY = 16;
    static final int SHORT_MARK = 0x80;
    static final int PACKED = 0x8000;
    static final int FIRST_CAPACITY = 2;
    static final int MAX_CAPACITY = 120;
    /** The largest id a packed entry holds. */
    public static final long MAX_ID = (1L << 40) - 1;
    private static final long MAX_SHORT_NEXT = (1L << 48) - 1;
    private final ByteBuffer buf;
    private final boolean shortHeader;
    private final boolean packed;
    private final int header;
    private final int entryBytes;

    private AdjacencyBlock(ByteBuffer buf, boolean shortHeader, boolean packed) {
        this.buf = buf;
        this.shortHeader = shortHeader;
        this.packed = packed;
        this.header = shortHeader ? SHORT_HEADER : LONG_HEADER;
        this.entryBytes = packed ? PACKED_ENTRY : WIDE_ENTRY;
    }

    /**
     * A new empty packed block, sized after its predecessor in the chain (0 when it is the first),
     * with the short header unless {@code next} needs more than its 48 bits.
     */
    public static AdjacencyBlock fresh(int previousCapacity, long next) {
        int capacity = previousCapacity == 0 ? FIRST_CAPACITY : Math.min(MAX_CAPACITY, previousCapacity * 2);
        if (next >= 0 && next <= MAX_SHORT_NEXT) {
            ByteBuffer b = ByteBuffer.allocate(SHORT_HEADER + PACKED_ENTRY * capacity);
            b.put(0, (byte) (SHORT_MARK | capacity)).put(1, (byte) 0).putShort(2, (short) (next >>> 32))
                    .putInt(4, (int) next);
            return new AdjacencyBlock(b, true, true);
        }
        ByteBuffer b = ByteBuffer.allocate(LONG_HEADER + PACKED_ENTRY * capacity);
        b.putLong(0, next).putShort(8, (short) (capacity | PACKED)).putShort(10, (short) 0);
        return new AdjacencyBlock(b, false, true);
    }

    public static AdjacencyBlock decode(byte[] bytes) {
        if (bytes.length < SHORT_HEADER) {
            throw new IllegalStateException("adjacency block of " + bytes.length + " bytes, shorter than a header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        boolean shortHeader = (b.get(0) & SHORT_MARK) != 0;
        if (!shortHeader && bytes.length < LONG_HEADER) {
            throw new IllegalStateException("adjacency block of " + bytes.length + " bytes, shorter than its header");
        }
        boolean packed = shortHeader || (b.getShort(8) & PACKED) != 0;
        AdjacencyBlock block = new AdjacencyBlock(b, shortHeader, packed);
        int capacity = block.capacity();
        int count = block.count();
        if (capacity == 0 || capacity > MAX_CAPACITY || count > capacity
                || bytes.length != block.header + block.entryBytes * capacity) {
            throw new IllegalStateException("adjacency block of " + bytes.length + " bytes, capacity " + capacity
                    + (shortHeader ? ", short header" : packed ? ", packed" : ", wide") + ", count " + count);
        }
        return block;
    }

    public long next() {
        return shortHeader ? (buf.getShort(2) & 0xFFFFL) << 32 | (buf.getInt(4) & 0xFFFF_FFFFL) : buf.getLong(0);
    }

    public int capacity() {
        return shortHeader ? buf.get(0) & ~SHORT_MARK & 0xFF : buf.getShort(8) & 0xFFFF & ~PACKED;
    }

    public int count() {
        return shortHeader ? buf.get(1) & 0xFF : buf.getShort(10) & 0xFFFF;
    }

    private void setCount(int n) {
        if (shortHeader) {
            buf.put(1, (byte) n);
        } else {
            buf.putShort(10, (short) n);
        }
    }

    public boolean isFull() {
        return count() == capacity();
    }

    /** True for a block of packed entries, false for a wide one written before they were packed. */
    public boolean isPacked() {
        return packed;
    }

    /** True for a block with the 8-byte header. */
    public boolean hasShortHeader() {
        return shortHeader;
    }

    public long edge(int i) {
        return id(header + entryBytes * i);
    }

    public long other(int i) {
        return id(header + entryBytes * i + entryBytes / 2);
    }

    /**
     * Lists an edge; a packed block refuses an id past {@link #MAX_ID}, which no id map hands out.
     */
    public void add(long edge, long other) {
        int n = count();
        put(header + entryBytes * n, edge, other);
        setCount(n + 1);
    }

    /** Removes an edge by moving the last entry into its place; false when it is not here. */
    public boolean remove(long edge) {
        int n = count();
        for (int i = 0; i < n; i++) {
            if (edge(i) == edge) {
                int last = n - 1;
                put(header + entryBytes * i, edge(last), other(last));
                put(header + entryBytes * last, 0, 0);
                setCount(last);
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
