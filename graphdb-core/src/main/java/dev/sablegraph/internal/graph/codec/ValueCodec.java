package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;

/**
 * The encoding of one property value, the single rule shared by stored records and log records:
 *
 * <pre>
 *   u8 type, then
 *   1 String   u32 length + UTF-8
 *   2 Boolean  u8 (0/1)
 *   3 Long     i64
 *   4 Double   IEEE-754 bits, i64
 *   5 byte[]   u32 length + bytes
 * </pre>
 */
public final class ValueCodec {
    static final int STRING = 1;
    static final int BOOLEAN = 2;
    static final int LONG = 3;
    static final int DOUBLE = 4;
    static final int BYTES = 5;

    private ValueCodec() {}

    static int typeOf(Object v) {
        if (v instanceof String) {
            return STRING;
        } else if (v instanceof Boolean) {
            return BOOLEAN;
        } else if (v instanceof Long) {
            return LONG;
        } else if (v instanceof Double) {
            return DOUBLE;
        } else if (v instanceof byte[]) {
            return BYTES;
        }
        throw new IllegalArgumentException("not a stored property type: " + v.getClass().getName());
    }

    public static void encode(RecordBuffer out, Object v) {
        int type = typeOf(v);
        out.putByte(type);
        switch (type) {
            case STRING -> out.putString((String) v);
            case BOOLEAN -> out.putByte((Boolean) v ? 1 : 0);
            case LONG -> out.putLong((Long) v);
            case DOUBLE -> out.putLong(Double.doubleToRawLongBits((Double) v));
            default -> out.putSized((byte[]) v);
        }
    }

    public static Object decode(ByteBuffer in) {
        int type = in.get();
        return switch (type) {
            case STRING -> RecordBuffer.getString(in);
            case BOOLEAN -> in.get() != 0;
            case LONG -> in.getLong();
            case DOUBLE -> Double.longBitsToDouble(in.getLong());
            case BYTES -> RecordBuffer.getSized(in);
            default -> throw new IllegalStateException("unknown property type " + type);
        };
    }
}
