package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;

/**
 * An edge as stored: endpoints, type, the adjacency blocks that list it at each endpoint (so that
 * deleting it costs O(1), not O(degree)), and properties.
 *
 * <pre>
 * u8  format, 0
 * u64 from node, u64 to node, u32 type token
 * u64 pointer of the block listing it in from's outgoing chain
 * u64 pointer of the block listing it in to's incoming chain
 * properties ({@link PropertyCodec})
 * </pre>
 */
public record EdgeRecord(long from, long to, int type, long outBlock, long inBlock, PropertyList properties) {
    static final int FORMAT = 0;

    public EdgeRecord withProperties(PropertyList props) {
        return new EdgeRecord(from, to, type, outBlock, inBlock, props);
    }

    public byte[] encode() {
        RecordBuffer out = new RecordBuffer(48);
        out.putByte(FORMAT).putLong(from).putLong(to).putInt(type).putLong(outBlock).putLong(inBlock);
        PropertyCodec.encode(out, properties);
        return out.toArray();
    }

    public static EdgeRecord decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int format = in.get();
        if (format != FORMAT) {
            throw new IllegalStateException("unknown edge record format " + format);
        }
        EdgeRecord e = new EdgeRecord(in.getLong(), in.getLong(), in.getInt(), in.getLong(), in.getLong(),
                PropertyCodec.decode(in));
        if (in.hasRemaining()) {
            throw new IllegalStateException(in.remaining() + " stray bytes after edge record");
        }
        return e;
    }
}
