package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;

/**
 * The encoding of a stored property list, shared by node and edge records: {@code u16 count},
 * then per property {@code u32 key token} and the value ({@link ValueCodec}). Values are already
 * normalised by {@link dev.sablegraph.core.PropertyValues}.
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
}
