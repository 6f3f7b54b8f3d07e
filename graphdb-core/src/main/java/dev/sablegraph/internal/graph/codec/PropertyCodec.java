package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;

/**
 * The encodings of a stored property list. Values are already normalised by
 * {@link dev.sablegraph.core.PropertyValues} and written by {@link ValueCodec}.
 *
 * <ul>
 *   <li>fixed width ({@link #decode}, node records of formats 0 and 1 and edge records of
 *       format 0, which earlier builds wrote; read only): {@code u16 count}, then per property
 *       {@code u32 key token} and the value;</li>
 *   <li>varints ({@link #encodeVar}, node records from format 2 on, edge records from format 1
 *       on): {@code varint count}, then per property {@code varint key token} and the value.</li>
 * </ul>
 */
public final class PropertyCodec {

    private PropertyCodec() {}

    static PropertyList decode(ByteBuffer in) {
        return read(in, false);
    }

    static void encodeVar(RecordBuffer out, PropertyList props) {
        out.putVarCount(props.size(), "properties of one entity");
        for (int i = 0; i < props.size(); i++) {
            out.putVarToken(props.key(i));
            ValueCodec.encode(out, props.value(i));
        }
    }

    static PropertyList decodeVar(ByteBuffer in) {
        return read(in, true);
    }

    private static PropertyList read(ByteBuffer in, boolean varints) {
        int n = varints ? RecordBuffer.getVarCount(in) : in.getShort() & 0xFFFF;
        int[] keys = new int[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            keys[i] = varints ? RecordBuffer.getVarToken(in) : in.getInt();
            values[i] = ValueCodec.decode(in);
        }
        return new PropertyList(keys, values);
    }
}
