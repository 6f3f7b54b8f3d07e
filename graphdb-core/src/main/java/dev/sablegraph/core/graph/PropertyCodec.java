package dev.sablegraph.core.graph;

import java.nio.ByteBuffer;

/**
 * The encoding of a property list, shared by node and edge records:
 *
 * <pre>
 * u16 count, then per property: u32 key token, u8 type, value
 *   type 1 String   u32 length + UTF-8
 *   type 2 Boolean  u8 (0/1)
 *   type 3 Long     i64
 *   type 4 Double   IEEE-754 bits, i64
 *   type 5 byte[]   u32 length + bytes
 * </pre>
 *
 * Values are already normalised by {@link dev.sablegraph.core.PropertyValues}.
 */
final class PropertyCodec {
    static final int STRING = 1;
    static final int BOOLEAN = 2;
    static final int LONG = 3;
    static final int DOUBLE = 4;
    static final int BYTES = 5;
    static final int MAX_PROPERTIES = 0xFFFF;

    private PropertyCodec() {}

    static void write(RecordBuffer out, PropertyList props) {
        out.putShort(props.size());
        for (int i = 0; i < props.size(); i++) {
            out.putInt(props.key(i));
            Object v = props.value(i);
            if (v instanceof String s) {
                out.putByte(STRING).putString(s);
            } else if (v instanceof Boolean b) {
                out.putByte(BOOLEAN).putByte(b ? 1 : 0);
            } else if (v instanceof Long l) {
                out.putByte(LONG).putLong(l);
            } else if (v instanceof Double d) {
                out.putByte(DOUBLE).putLong(Double.doubleToRawLongBits(d));
            } else if (v instanceof byte[] b) {
                out.putByte(BYTES).putSized(b);
            } else {
                throw new IllegalArgumentException("not a stored property type: " + v.getClass().getName());
            }
        }
    }

    static PropertyList read(ByteBuffer in) {
        int n = in.getShort() & 0xFFFF;
        int[] keys = new int[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            keys[i] = in.getInt();
            int type = in.get();
            values[i] = switch (type) {
                case STRING -> RecordBuffer.getString(in);
                case BOOLEAN -> in.get() != 0;
                case LONG -> in.getLong();
                case DOUBLE -> Double.longBitsToDouble(in.getLong());
                case BYTES -> RecordBuffer.getSized(in);
                default -> throw new IllegalStateException("unknown property type " + type);
            };
        }
        return new PropertyList(keys, values);
    }
}
