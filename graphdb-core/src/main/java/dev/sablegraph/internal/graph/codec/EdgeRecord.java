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
 * u8  format, 1
 * varint from node, varint to node, varint type token
 * pointer of the block listing it in from's outgoing chain
 * pointer of the block listing it in to's incoming chain
 * properties ({@link PropertyCodec#encodeVar}, varint counts and keys)
 * pointer := varint page, then varint slot unless the page is 0 ({@link RecordBuffer#putVarPointer})
 * </pre>
 *
 * Varints because an edge without properties then takes about 14 bytes instead of 39, so that
 * more than twice as many edges share a page: the edge store was the largest store of a loaded graph
 * (docs/benchmarks.md, "Edge records in varints"). Format 0, written by earlier builds, holds the
 * same fields in fixed width (u64 ids and pointers, u32 type, properties by
 * {@link PropertyCodec#encode}); it is still read, and rewritten in format 1 when the edge changes.
 *
 * <p>A bulk load passes records through its spill files three times and fills in the block
 * pointers on the way without decoding the rest, so it uses a staged layout of its own
 * ({@link #encodeStaged}): the fixed-width fields at fixed offsets, then the properties as they
 * will be stored. {@link #storedFromStaged} turns it into format 1 by rewriting the fields and
 * copying the properties. The staged layout is never stored ({@link #decode} refuses it).
 */
public record EdgeRecord(long from, long to, int type, long outBlock, long inBlock, PropertyList properties) {
    static final int FORMAT = 1;
    static final int FORMAT_FIXED_WIDTH = 0;
    /** The first byte of a staged record: a format no store holds. */
    static final int STAGED = 0x7F;
    // Where the fixed fields sit in a staged record.
    private static final int FROM_AT = 1;
    private static final int TO_AT = 9;
    private static final int TYPE_AT = 17;
    private static final int OUT_BLOCK_AT = 21;
    private static final int IN_BLOCK_AT = 29;
    private static final int PROPERTIES_AT = 37;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    public EdgeRecord withProperties(PropertyList props) {
        return new EdgeRecord(from, to, type, outBlock, inBlock, props);
    }

    public byte[] encode() {
        RecordBuffer out = new RecordBuffer(24 + properties.size() * 12);
        out.putByte(FORMAT).putVarLong(from).putVarLong(to).putVarToken(type).putVarPointer(outBlock)
                .putVarPointer(inBlock);
        PropertyCodec.encodeVar(out, properties);
        return out.toArray();
    }

    /** @throws RuntimeException on damaged bytes; the caller reports it with the location */
    public static EdgeRecord decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int format = in.get();
        EdgeRecord e = switch (format) {
            case FORMAT -> new EdgeRecord(nodeId(in), nodeId(in), RecordBuffer.getVarToken(in),
                    RecordBuffer.getVarPointer(in), RecordBuffer.getVarPointer(in), PropertyCodec.decodeVar(in));
            case FORMAT_FIXED_WIDTH -> new EdgeRecord(in.getLong(), in.getLong(), in.getInt(), in.getLong(),
                    in.getLong(), PropertyCodec.decode(in));
            default -> throw new IllegalStateException("unknown edge record format " + format);
        };
        if (in.hasRemaining()) {
            throw new IllegalStateException(in.remaining() + " stray bytes after edge record");
        }
        return e;
    }

    private static long nodeId(ByteBuffer in) {
        return RecordBuffer.getVarNonNegative(in, "a node id");
    }

    // Bulk loading: the staged layout.

    /** This record in the staged layout, for a bulk load's spill files. */
    public byte[] encodeStaged() {
        RecordBuffer out = new RecordBuffer(PROPERTIES_AT + 1 + properties.size() * 12);
        out.putByte(STAGED).putLong(from).putLong(to).putInt(type).putLong(outBlock).putLong(inBlock);
        PropertyCodec.encodeVar(out, properties);
        return out.toArray();
    }

    /** The from node of the staged record at {@code bytes[at...]}. */
    public static long stagedFrom(byte[] bytes, int at) {
        return (long) LONG.get(bytes, at + FROM_AT);
    }

    /** The to node of the staged record at {@code bytes[at...]}. */
    public static long stagedTo(byte[] bytes, int at) {
        return (long) LONG.get(bytes, at + TO_AT);
    }

    /** The type token of the staged record at {@code bytes[at...]}. */
    public static int stagedType(byte[] bytes, int at) {
        return (int) INT.get(bytes, at + TYPE_AT);
    }

    /** Sets the outgoing ({@code outgoing}) or incoming block of the staged record at {@code bytes[at...]}. */
    public static void setStagedBlock(byte[] bytes, int at, boolean outgoing, long block) {
        LONG.set(bytes, at + (outgoing ? OUT_BLOCK_AT : IN_BLOCK_AT), block);
    }

    /**
     * The stored form (format 1) of the staged record {@code bytes[at, at + length)}: its fields
     * rewritten as varints, its properties copied as they are.
     */
    public static byte[] storedFromStaged(byte[] bytes, int at, int length) {
        if (bytes[at] != STAGED || length < PROPERTIES_AT + 1) {
            throw new IllegalArgumentException("not a staged edge record");
        }
        int properties = length - PROPERTIES_AT;
        RecordBuffer out = new RecordBuffer(24 + properties);
        out.putByte(FORMAT).putVarLong(stagedFrom(bytes, at)).putVarLong(stagedTo(bytes, at))
                .putVarToken(stagedType(bytes, at)).putVarPointer((long) LONG.get(bytes, at + OUT_BLOCK_AT))
                .putVarPointer((long) LONG.get(bytes, at + IN_BLOCK_AT))
                .putBytes(bytes, at + PROPERTIES_AT, properties);
        return out.toArray();
    }
}
