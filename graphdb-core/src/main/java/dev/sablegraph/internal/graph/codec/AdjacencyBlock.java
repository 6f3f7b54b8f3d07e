package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;

/**
 * One block of an adjacency chain: the edges of one (node, type, direction), newest block first.
 * A block's size is fixed when it is created, so rewriting it always fits in place and its record
 * pointer never changes (edge records keep that pointer). Capacities double along a chain, 4, 8,
 * 16, 32, 64, then 120 entries, so that small nodes waste little space and a node with a million
 * edges needs ~8,300 blocks.
 *
 * <pre>
 * u64 next (older) block pointer, 0 at the end
 * u16 capacity, u16 count
 * capacity × (u64 edge id, u64 other node id); entries [count, capacity) are unused
 * </pre>
 */
public final class AdjacencyBlock {
    static final int HEADER = 12;
    static final int ENTRY = 16;
    static final int MAX_CAPACITY = 120;
    private final ByteBuffer buf;

    private AdjacencyBlock(ByteBuffer buf) {
        this.buf = buf;
    }

    /** A new empty block, sized after its predecessor in the chain (0 when it is the first). */
    public static AdjacencyBlock fresh(int previousCapacity, long next) {
        int capacity = previousCapacity == 0 ? 4 : Math.min(MAX_CAPACITY, previousCapacity * 2);
        ByteBuffer b = ByteBuffer.allocate(HEADER + ENTRY * capacity);
        b.putLong(0, next).putShort(8, (short) capacity).putShort(10, (short) 0);
        return new AdjacencyBlock(b);
    }

    public static AdjacencyBlock decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int capacity = b.getShort(8) & 0xFFFF;
        int count = b.getShort(10) & 0xFFFF;
        if (capacity == 0 || capacity > MAX_CAPACITY || count > capacity || bytes.length != HEADER + ENTRY * capacity) {
            throw new IllegalStateException("adjacency block of " + bytes.length + " bytes, capacity " + capacity
                    + ", count " + count);
        }
        return new AdjacencyBlock(b);
    }

    public long next() {
        return buf.getLong(0);
    }

    public int capacity() {
        return buf.getShort(8) & 0xFFFF;
    }

    public int count() {
        return buf.getShort(10) & 0xFFFF;
    }

    public boolean isFull() {
        return count() == capacity();
    }

    public long edge(int i) {
        return buf.getLong(HEADER + ENTRY * i);
    }

    public long other(int i) {
        return buf.getLong(HEADER + ENTRY * i + 8);
    }

    public void add(long edge, long other) {
        int n = count();
        buf.putLong(HEADER + ENTRY * n, edge).putLong(HEADER + ENTRY * n + 8, other);
        buf.putShort(10, (short) (n + 1));
    }

    /** Removes an edge by moving the last entry into its place; false when it is not here. */
    public boolean remove(long edge) {
        int n = count();
        for (int i = 0; i < n; i++) {
            if (edge(i) == edge) {
                int last = n - 1;
                buf.putLong(HEADER + ENTRY * i, edge(last)).putLong(HEADER + ENTRY * i + 8, other(last));
                buf.putLong(HEADER + ENTRY * last, 0).putLong(HEADER + ENTRY * last + 8, 0);
                buf.putShort(10, (short) last);
                return true;
            }
        }
        return false;
    }

    public byte[] encode() {
        return buf.array().clone();
    }
}
