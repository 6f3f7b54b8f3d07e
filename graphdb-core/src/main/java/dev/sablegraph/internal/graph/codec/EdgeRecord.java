package dev.sablegraph.internal.graph.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
    // Where the fixed fields sit in an encoded record: a bulk load reads the endpoints and type
    // and fills in the blocks of records it only passes on, without decoding their properties.
    private static final int FROM_AT = 1;
    private static final int TO_AT = 9;
    private static final int TYPE_AT = 17;
    private static final int OUT_BLOCK_AT = 21;
    private static final int IN_BLOCK_AT = 29;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** The from node of the record encoded at {@code bytes[at...]}. */
    public static long encodedFrom(byte[] bytes, int at) {
        return (long) LONG.get(bytes, at + FROM_AT);
    }

    /** The to node of the record encoded at {@code bytes[at...]}. */
    public static long encodedTo(byte[] bytes, int at) {
        return (long) LONG.get(bytes, at + TO_AT);
    }

    /** The type token of the record encoded at {@code bytes[at...]}. */
    public static int encodedType(byte[] bytes, int at) {
        return (int) INT.get(bytes, at + TYPE_AT);
    }

    /** Sets the outgoing ({@code outgoing}) or incoming block of the record encoded at {@code bytes[at...]}. */
    public static void setEncodedBlock(byte[] bytes, int at, boolean outgoing, long block) {
        LONG.set(bytes, at + (outgoing ? OUT_BLOCK_AT : IN_BLOCK_AT), block);
    }

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
