package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A node as stored: labels, edge groups (one per edge type, each with the heads of its outgoing and
 * incoming adjacency chains) and properties. Immutable; changes make a new record.
 *
 * <pre>
 * u8  format, 2
 * varint label count, then varint label tokens, ascending
 * varint group count, then per group: varint edge type token, pointer outgoing chain head,
 *     pointer incoming chain head, varint outgoing count, varint incoming count,
 *     varint self-loop count + 1 (0: unknown)
 * properties ({@link PropertyCodec#encodeVar}, varint counts and keys)
 * pointer := varint page, then varint slot unless the page is 0 (no block)
 * </pre>
 *
 * Varints ({@link RecordBuffer#putVarLong}) because the node store is what every edge's commit
 * reads and rewrites at both ends: the record of a node with one edge type and two small
 * properties takes about 30 bytes instead of 84, so twice as many nodes share a page and far fewer
 * pages miss the cache when the graph outgrows it (docs/benchmarks.md, "Smaller node records and
 * adjacency entries").
 *
 * <p>Older formats still read: format 1 wrote the same fields in fixed width (u16 counts, u32
 * tokens, u64 heads and counts, the i64 self-loop count, properties by {@link PropertyCodec#encode});
 * format 0, written before groups counted self-loops, lacks that last group field and reads as
 * "self-loops unknown" ({@link EdgeGroup#UNKNOWN_LOOPS}), which stays so for that group.
 */
public record NodeRecord(int[] labels, EdgeGroup[] groups, PropertyList properties) {
    static final int FORMAT = 2;
    static final int FORMAT_FIXED_WIDTH = 1;
    static final int FORMAT_WITHOUT_LOOPS = 0;
    /**
     * Bytes one {@link EdgeGroup} typically adds to the encoded record, and what its counts and
     * heads grow by: the growth a node's page keeps room for. A type token below 128, two heads in
     * pages below 2^21 with slots below 128, counts below 128: 1 + 2 × 4 + 3, with 4 to spare.
     */
    public static final int GROUP_BYTES = 16;

    /**
     * Edges of one type at one node: chain heads are record pointers into the adjacency store.
     * A self-loop is listed in both chains (and counted in both counts); {@code loops} counts the
     * self-loops, so that the edges in either direction number {@code outCount + inCount - loops}.
     * It is {@link #UNKNOWN_LOOPS} for a group read from a record of format 0.
     */
    public record EdgeGroup(int type, long outHead, long inHead, long outCount, long inCount, long loops) {
        /** The self-loop count of a group whose record predates it. */
        public static final long UNKNOWN_LOOPS = -1;

        /** A new group with no edges. */
        public static EdgeGroup empty(int type) {
            return new EdgeGroup(type, 0, 0, 0, 0, 0);
        }

        public long head(boolean outgoing) {
            return outgoing ? outHead : inHead;
        }

        public long count(boolean outgoing) {
            return outgoing ? outCount : inCount;
        }

        /** False for a group read from a record of format 0, which did not count self-loops. */
        public boolean loopsKnown() {
            return loops != UNKNOWN_LOOPS;
        }

        public EdgeGroup withHead(boolean outgoing, long head, long countDelta) {
            return outgoing
                    ? new EdgeGroup(type, head, inHead, outCount + countDelta, inCount, loops)
                    : new EdgeGroup(type, outHead, head, outCount, inCount + countDelta, loops);
        }

        /** This group with one self-loop more or fewer; an unknown count stays unknown. */
        public EdgeGroup withLoopDelta(long delta) {
            return loopsKnown() ? new EdgeGroup(type, outHead, inHead, outCount, inCount, loops + delta) : this;
        }
    }

    public static NodeRecord create(int[] sortedLabels, PropertyList properties) {
        return new NodeRecord(sortedLabels, new EdgeGroup[0], properties);
    }

    public boolean hasLabel(int label) {
        return Arrays.binarySearch(labels, label) >= 0;
    }

    public long degree() {
        long d = 0;
        for (EdgeGroup g : groups) {
            d += g.outCount + g.inCount;
        }
        return d;
    }

    public EdgeGroup group(int type) {
        for (EdgeGroup g : groups) {
            if (g.type == type) {
                return g;
            }
        }
        return null;
    }

    public NodeRecord withGroup(EdgeGroup group) {
        EdgeGroup[] gs = groups.clone();
        for (int i = 0; i < gs.length; i++) {
            if (gs[i].type == group.type) {
                gs[i] = group;
                return new NodeRecord(labels, gs, properties);
            }
        }
        gs = Arrays.copyOf(gs, gs.length + 1);
        gs[groups.length] = group;
        return new NodeRecord(labels, gs, properties);
    }

    public NodeRecord withProperties(PropertyList props) {
        return new NodeRecord(labels, groups, props);
    }

    public byte[] encode() {
        RecordBuffer out = new RecordBuffer(16 + labels.length * 2 + groups.length * GROUP_BYTES
                + properties.size() * 12);
        out.putByte(FORMAT).putVarCount(labels.length, "labels of one node");
        for (int l : labels) {
            out.putVarToken(l);
        }
        out.putVarCount(groups.length, "edge types at one node");
        for (EdgeGroup g : groups) {
            out.putVarToken(g.type);
            out.putVarPointer(g.outHead);
            out.putVarPointer(g.inHead);
            out.putVarLong(g.outCount).putVarLong(g.inCount).putVarLong(g.loops + 1);
        }
        PropertyCodec.encodeVar(out, properties);
        return out.toArray();
    }

    /** @throws RuntimeException on damaged bytes; the caller reports it with the location */
    public static NodeRecord decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int format = in.get();
        NodeRecord r = switch (format) {
            case FORMAT -> decodeVarints(in);
            case FORMAT_FIXED_WIDTH, FORMAT_WITHOUT_LOOPS -> decodeFixedWidth(in, format == FORMAT_FIXED_WIDTH);
            default -> throw new IllegalStateException("unknown node record format " + format);
        };
        if (in.hasRemaining()) {
            throw new IllegalStateException(in.remaining() + " stray bytes after node record");
        }
        return r;
    }

    private static NodeRecord decodeVarints(ByteBuffer in) {
        int[] labels = new int[RecordBuffer.getVarCount(in)];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = RecordBuffer.getVarToken(in);
        }
        EdgeGroup[] groups = new EdgeGroup[RecordBuffer.getVarCount(in)];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = new EdgeGroup(RecordBuffer.getVarToken(in), RecordBuffer.getVarPointer(in),
                    RecordBuffer.getVarPointer(in), count(in), count(in), count(in) - 1);
        }
        return new NodeRecord(labels, groups, PropertyCodec.decodeVar(in));
    }

    private static long count(ByteBuffer in) {
        return RecordBuffer.getVarNonNegative(in, "an edge count");
    }

    private static NodeRecord decodeFixedWidth(ByteBuffer in, boolean withLoops) {
        int[] labels = new int[in.getShort() & 0xFFFF];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = in.getInt();
        }
        EdgeGroup[] groups = new EdgeGroup[in.getShort() & 0xFFFF];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = new EdgeGroup(in.getInt(), in.getLong(), in.getLong(), in.getLong(), in.getLong(),
                    withLoops ? in.getLong() : EdgeGroup.UNKNOWN_LOOPS);
        }
        return new NodeRecord(labels, groups, PropertyCodec.decode(in));
    }
}
