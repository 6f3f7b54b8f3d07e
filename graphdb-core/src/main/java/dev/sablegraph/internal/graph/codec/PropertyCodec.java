package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;

/**
 * The encodings of a stored property list. Values are already normalised by
 * {@link dev.sablegraph.core.PropertyValues} and written by {@link ValueCodec}.
 *
 * <ul>
 *   <li>fixed ({@link #encode}, edge records): {@code u16 count}, then per property
 *       {@code u32 key token} and the value;</li>
 *   <li>varint ({@link #encodeVar}, node records from format 2 on): {@code varint count}, then per
 *       property {@code varint key token} and the value.</li>
 * </ul>
 */
public final class PropertyCodec {

    private PropertyCodec() {}

    static void encode(RecordBuffer out, PropertyList props) {
        out.putCount(props.size(), "properties of one entity");
        for (int i = 0; i < props.size(); i++) {
            out.putInt(props.key(i));
            ValueCodec.encode(out, props.value(i));
        }
    }

    static PropertyList decode(ByteBuffer in) {
        int n = in.getShort() & 0xFFFF;
        int[] keys = new int[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            keys[i] = in.getInt();
            values[i] = ValueCodec.decode(in);
        }
        return new PropertyList(keys, values);
    }

    static void encodeVar(RecordBuffer out, PropertyList props) {
        out.putVarCount(props.size(), "properties of one entity");
        for (int i = 0; i < props.size(); i++) {
            out.putVarToken(props.key(i));
            ValueCodec.encode(out, props.value(i));
        }
    }

    static PropertyList decodeVar(ByteBuffer in) {
        int n = RecordBuffer.getVarCount(in);
        int[] keys = new int[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            keys[i] = RecordBuffer.getVarToken(in);
            values[i] = ValueCodec.decode(in);
        }
        return new PropertyList(keys, values);
    }
}
