package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
 *   6 List     u32 element count; when not empty, u8 element type (1 to 4) and each element as
 *              that type's bytes above, without a type byte of its own
 *   7 Long     zigzag varint ({@link RecordBuffer#putVarLong}), written when shorter than 8 bytes
 *   8 String   varint length + UTF-8
 * </pre>
 *
 * Types 7 and 8 are written from data file format 3 on (and in its log): a Long or String outside
 * a list is written in them, so that small numbers and short strings take a byte or two rather
 * than 8 or 4 of fixed width; types 1 and 3 are still read, and written as list elements.
 *
 * Decoding refuses what no encoding produces (an unknown type, a Boolean byte other than 0 or 1, a
 * list of another element type or more elements than bytes left) with an
 * {@link IllegalStateException}, which the record readers report as damage.
 */
public final class ValueCodec {
    static final int STRING = 1;
    static final int BOOLEAN = 2;
    static final int LONG = 3;
    static final int DOUBLE = 4;
    static final int BYTES = 5;
    static final int LIST = 6;
    static final int VAR_LONG = 7;
    static final int VAR_STRING = 8;

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
        } else if (v instanceof List) {
            return LIST;
        }
        throw new IllegalArgumentException("not a stored property type: " + v.getClass().getName());
    }

    public static void encode(RecordBuffer out, Object v) {
        int type = typeOf(v);
        switch (type) {
            case STRING -> {
                byte[] utf8 = ((String) v).getBytes(StandardCharsets.UTF_8);
                out.putByte(VAR_STRING).putVarLong(utf8.length).putBytes(utf8);
            }
            case LONG -> {
                long zigzag = zigzag((Long) v);
                if (RecordBuffer.varLongBytes(zigzag) < Long.BYTES) {
                    out.putByte(VAR_LONG).putVarLong(zigzag);
                } else {
                    out.putByte(LONG).putLong((Long) v);
                }
            }
            case LIST -> encodeList(out.putByte(LIST), (List<?>) v);
            default -> encodeBody(out.putByte(type), type, v);
        }
    }

    /** Small magnitudes of either sign to small unsigned numbers: 0, -1, 1, -2 ... to 0, 1, 2, 3 ... */
    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long z) {
        return (z >>> 1) ^ -(z & 1);
    }

    /** How many bytes {@link #encode} writes for {@code v} (a stored property type). */
    public static long encodedBytes(Object v) {
        int type = typeOf(v);
        if (type == STRING) {
            long utf8 = RecordBuffer.stringBytes((String) v) - 4;
            return 1 + RecordBuffer.varLongBytes(utf8) + utf8;
        }
        if (type == LONG) {
            return 1 + Math.min(Long.BYTES, RecordBuffer.varLongBytes(zigzag((Long) v)));
        }
        if (type != LIST) {
            return 1 + bodyBytes(type, v);
        }
        List<?> list = (List<?>) v;
        long n = 1 + 4;
        if (!list.isEmpty()) {
            int elementType = listElementType(list);
            n += 1;
            for (Object element : list) {
                n += bodyBytes(elementType, element);
            }
        }
        return n;
    }

    private static long bodyBytes(int type, Object v) {
        return switch (type) {
            case STRING -> RecordBuffer.stringBytes((String) v);
            case BOOLEAN -> 1;
            case LONG, DOUBLE -> 8;
            default -> 4 + ((byte[]) v).length;
        };
    }

    /** A value's bytes after its type byte; for a scalar type. */
    private static void encodeBody(RecordBuffer out, int type, Object v) {
        switch (type) {
            case STRING -> out.putString((String) v);
            case BOOLEAN -> out.putByte((Boolean) v ? 1 : 0);
            case LONG -> out.putLong((Long) v);
            case DOUBLE -> out.putLong(Double.doubleToRawLongBits((Double) v));
            default -> out.putSized((byte[]) v);
        }
    }

    private static void encodeList(RecordBuffer out, List<?> list) {
        out.putInt(list.size());
        if (list.isEmpty()) {
            return;
        }
        int elementType = listElementType(list);
        out.putByte(elementType);
        for (Object element : list) {
            encodeBody(out, elementType, element);
        }
    }

    /**
     * The one element type of a stored list (values are normalised by
     * {@link dev.sablegraph.core.PropertyValues}); anything else is a caller's bug, refused here
     * rather than written as a list that cannot be read back.
     */
    static int listElementType(List<?> list) {
        int elementType = typeOf(list.get(0));
        if (elementType < STRING || elementType > DOUBLE) {
            throw new IllegalArgumentException("not a stored list: elements of type " + list.get(0).getClass().getName());
        }
        for (Object element : list) {
            if (element == null || typeOf(element) != elementType) {
                throw new IllegalArgumentException("not a stored list: elements of more than one type");
            }
        }
        return elementType;
    }

    public static Object decode(ByteBuffer in) {
        int type = in.get();
        return switch (type) {
            case STRING, BOOLEAN, LONG, DOUBLE, BYTES -> decodeBody(in, type);
            case LIST -> decodeList(in);
            case VAR_LONG -> unzigzag(RecordBuffer.getVarLong(in));
            case VAR_STRING -> decodeVarString(in);
            default -> throw new IllegalStateException("unknown property type " + type);
        };
    }

    private static Object decodeBody(ByteBuffer in, int type) {
        return switch (type) {
            case STRING -> RecordBuffer.getString(in);
            case BOOLEAN -> decodeBoolean(in.get());
            case LONG -> in.getLong();
            case DOUBLE -> Double.longBitsToDouble(in.getLong());
            default -> RecordBuffer.getSized(in);
        };
    }

    private static String decodeVarString(ByteBuffer in) {
        long n = RecordBuffer.getVarLong(in);
        if (n < 0 || n > in.remaining()) {
            throw new IllegalStateException("a string of " + Long.toUnsignedString(n) + " bytes exceeds the "
                    + in.remaining() + " bytes left");
        }
        byte[] utf8 = new byte[(int) n];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static Boolean decodeBoolean(byte b) {
        if (b != 0 && b != 1) {
            throw new IllegalStateException("a Boolean stored as " + b + ", neither 0 nor 1");
        }
        return b == 1;
    }

    private static List<Object> decodeList(ByteBuffer in) {
        int count = in.getInt();
        if (count == 0) {
            return List.of();
        }
        int elementType = in.get();
        int minBytes = switch (elementType) {
            case STRING -> 4;
            case BOOLEAN -> 1;
            case LONG, DOUBLE -> 8;
            default -> throw new IllegalStateException("unknown list element type " + elementType);
        };
        if (count < 0 || count > in.remaining() / minBytes) {
            // checked before allocating: a damaged count must not become a huge array
            throw new IllegalStateException("a list of " + Integer.toUnsignedString(count)
                    + " elements exceeds the " + in.remaining() + " bytes left");
        }
        Object[] elements = new Object[count];
        for (int i = 0; i < count; i++) {
            elements[i] = decodeBody(in, elementType);
        }
        return List.of(elements);
    }
}
