package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A node as stored: labels, edge groups (one per edge type, each with the heads of its outgoing and
 * incoming adjacency chains) and properties. Immutable; changes make a new record.
 *
 * <pre>
 * u8  format, 1
 * u16 label count, then u32 label tokens, ascending
 * u16 group count, then per group: u32 edge type token, u64 outgoing chain head,
 *     u64 incoming chain head, u64 outgoing count, u64 incoming count, i64 self-loop count
 * properties ({@link PropertyCodec})
 * </pre>
 *
 * Format 0, written before groups counted self-loops, lacks the last group field; it reads as
 * "self-loops unknown" ({@link EdgeGroup#UNKNOWN_LOOPS}), which stays so for that group.
 */
public record NodeRecord(int[] labels, EdgeGroup[] groups, PropertyList properties) {
    static final int FORMAT = 1;
    static final int FORMAT_WITHOUT_LOOPS = 0;
    /** Bytes one {@link EdgeGroup} adds to the encoded record: what a node's first edge of a type costs it. */
    public static final int GROUP_BYTES = Integer.BYTES + 5 * Long.BYTES;

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
        RecordBuffer out = new RecordBuffer(32 + labels.length * 4 + groups.length * GROUP_BYTES);
        out.putByte(FORMAT).putCount(labels.length, "labels of one node");
        for (int l : labels) {
            out.putInt(l);
        }
        out.putCount(groups.length, "edge types at one node");
        for (EdgeGroup g : groups) {
            out.putInt(g.type).putLong(g.outHead).putLong(g.inHead).putLong(g.outCount).putLong(g.inCount)
                    .putLong(g.loops);
        }
        PropertyCodec.encode(out, properties);
        return out.toArray();
    }

    /** @throws RuntimeException on damaged bytes; the caller reports it with the location */
    public static NodeRecord decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int format = in.get();
        if (format != FORMAT && format != FORMAT_WITHOUT_LOOPS) {
            throw new IllegalStateException("unknown node record format " + format);
        }
        int[] labels = new int[in.getShort() & 0xFFFF];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = in.getInt();
        }
        EdgeGroup[] groups = new EdgeGroup[in.getShort() & 0xFFFF];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = new EdgeGroup(in.getInt(), in.getLong(), in.getLong(), in.getLong(), in.getLong(),
                    format == FORMAT ? in.getLong() : EdgeGroup.UNKNOWN_LOOPS);
        }
        PropertyList props = PropertyCodec.decode(in);
        if (in.hasRemaining()) {
            throw new IllegalStateException(in.remaining() + " stray bytes after node record");
        }
        return new NodeRecord(labels, groups, props);
    }
}
