package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Key layout of the schema index, the B+tree that holds the entries of every index created with
 * {@code createIndex} (fixed size, compared as unsigned bytes):
 *
 * <pre>
 * u32 label token, u32 key token, u8 value kind, u64 order, u64 tiebreak, u64 node id   (33 bytes)
 * </pre>
 *
 * The first 25 bytes are the <em>value prefix</em>: every entry of one (label, key, value) starts
 * with it, so an equality lookup is one prefix seek and returns node ids ascending. The order of
 * the keys follows the order of the values, within a kind, so a range is one seek:
 *
 * <ul>
 *   <li><b>Numbers</b> (kind 1; Long and Double together, by numeric value): order is the value as
 *       a double, in IEEE total order (sign bit flipped for positive values, all bits inverted for
 *       negative ones: -Infinity first, then negative numbers, -0.0, 0.0, positive numbers,
 *       +Infinity, NaN last); tiebreak is what a Long differs from that double by (0 for a Double
 *       and for every Long of magnitude below 2^53), sign flipped. So order and tiebreak together
 *       are exact: Long 2^60+1 sorts after Long 2^60 although both round to one double, and Long 5
 *       and Double 5.0 share their 25 bytes (equal by value; lookups tell them apart by type).
 *   <li><b>Strings</b> (kind 2): order is the first 8 bytes of the string's UTF-8, zero padded,
 *       which compares as code points compare (a lone surrogate is encoded as its code point);
 *       tiebreak is a 64-bit hash of the whole encoding. Strings that share their first 8 bytes
 *       are therefore in hash order: a range reader sorts each such run by value.
 *   <li><b>Booleans</b> (kind 3): order 0 for false, 1 for true; tiebreak 0.
 *   <li><b>byte[]</b> (kind 4) and <b>List</b> (kind 5): order 0, tiebreak the digest
 *       {@link IndexKeys} uses. Indexed for equality only; they have no order.
 * </ul>
 *
 * Kinds order numbers before strings before booleans. Candidates are always checked against the
 * node's value, so a hash collision costs a read, never a wrong answer.
 */
public final class SchemaKeys {
    public static final int KEY_SIZE = 33;
    /** label token and key token: every entry of one index starts with these bytes. */
    public static final int INDEX_PREFIX_SIZE = 8;
    /** index prefix and kind: every entry of one kind in one index starts with these bytes. */
    public static final int KIND_PREFIX_SIZE = 9;
    /** kind prefix and order: a run of values that the key alone may not order exactly. */
    public static final int RUN_PREFIX_SIZE = 17;
    /** run prefix and tiebreak: every entry of one value starts with these bytes. */
    public static final int VALUE_PREFIX_SIZE = 25;

    public static final int NUMBER = 1;
    public static final int STRING = 2;
    public static final int BOOLEAN = 3;
    public static final int BYTES = 4;
    public static final int LIST = 5;

    private static final int STRING_ORDER_BYTES = 8;

    private SchemaKeys() {}

    /** The entry of node {@code node} with {@code value} in the index on (label, key). */
    public static byte[] key(int label, int key, Object value, long node) {
        return ByteBuffer.allocate(KEY_SIZE).put(valuePrefix(label, key, value)).putLong(node).array();
    }

    /** The 25 bytes every entry of this (label, key, value) starts with. */
    public static byte[] valuePrefix(int label, int key, Object value) {
        int kind = kindOf(value);
        return ByteBuffer.allocate(VALUE_PREFIX_SIZE).putInt(label).putInt(key).put((byte) kind)
                .putLong(order(kind, value)).putLong(tiebreak(kind, value)).array();
    }

    /** The 8 bytes every entry of the index on (label, key) starts with. */
    public static byte[] indexPrefix(int label, int key) {
        return ByteBuffer.allocate(INDEX_PREFIX_SIZE).putInt(label).putInt(key).array();
    }

    /** The 9 bytes every entry of one value kind in the index on (label, key) starts with. */
    public static byte[] kindPrefix(int label, int key, int kind) {
        return ByteBuffer.allocate(KIND_PREFIX_SIZE).putInt(label).putInt(key).put((byte) kind).array();
    }

    /** The 17 bytes of the run {@code value} falls in: the key's order for it, before the tiebreak. */
    public static byte[] runPrefix(int label, int key, Object value) {
        return Arrays.copyOf(valuePrefix(label, key, value), RUN_PREFIX_SIZE);
    }

    public static int labelOf(byte[] key) {
        return ByteBuffer.wrap(key).getInt(0);
    }

    public static int keyOf(byte[] key) {
        return ByteBuffer.wrap(key).getInt(4);
    }

    public static int kindOf(byte[] key) {
        return key[8];
    }

    public static long nodeOf(byte[] key) {
        return ByteBuffer.wrap(key).getLong(VALUE_PREFIX_SIZE);
    }

    /** Whether two keys (or prefixes) agree on their first {@code length} bytes. */
    public static boolean samePrefix(byte[] a, byte[] b, int length) {
        return Arrays.equals(a, 0, length, b, 0, length);
    }

    /** The value kind of a stored value. */
    public static int kindOf(Object v) {
        if (v instanceof Long || v instanceof Double) {
            return NUMBER;
        } else if (v instanceof String) {
            return STRING;
        } else if (v instanceof Boolean) {
            return BOOLEAN;
        } else if (v instanceof byte[]) {
            return BYTES;
        } else if (v instanceof List<?>) {
            return LIST;
        }
        throw new IllegalArgumentException("not a stored property value: " + v);
    }

    /** Whether the values of a kind have an order (range queries): numbers, strings, booleans. */
    public static boolean ordered(int kind) {
        return kind == NUMBER || kind == STRING || kind == BOOLEAN;
    }

    /** Whether the key's 25 value bytes alone order values of this kind exactly. */
    public static boolean exactOrder(int kind) {
        return kind == NUMBER || kind == BOOLEAN;
    }

    /**
     * The order of two stored values of ordered kinds, the one range queries use: by kind
     * (numbers, strings, booleans), then numbers by numeric value (with -0.0 before 0.0 and NaN
     * after +Infinity; Long 5 and Double 5.0 equal), strings by code point, false before true.
     */
    public static int compare(Object a, Object b) {
        int ka = kindOf(a);
        int kb = kindOf(b);
        if (ka != kb) {
            return Integer.compare(ka, kb);
        }
        return switch (ka) {
            case NUMBER -> {
                int c = Long.compareUnsigned(order(NUMBER, a), order(NUMBER, b));
                yield c != 0 ? c : Long.compare(remainder(a), remainder(b));
            }
            case STRING -> compareCodePoints((String) a, (String) b);
            case BOOLEAN -> Boolean.compare((Boolean) a, (Boolean) b);
            default -> throw new IllegalArgumentException("values of kind " + ka + " have no order");
        };
    }

    private static long order(int kind, Object v) {
        return switch (kind) {
            case NUMBER -> orderedBits(v instanceof Long l ? (double) l : (Double) v);
            case STRING -> stringOrder((String) v);
            case BOOLEAN -> ((Boolean) v) ? 1 : 0;
            default -> 0;
        };
    }

    private static long tiebreak(int kind, Object v) {
        return switch (kind) {
            case NUMBER -> remainder(v) ^ Long.MIN_VALUE;
            case STRING -> IndexKeys.hash64(codePointBytes((String) v, Integer.MAX_VALUE));
            case BYTES, LIST -> IndexKeys.digest(v);
            default -> 0;
        };
    }

    /** IEEE total order as unsigned longs: one NaN (the canonical one), -0.0 before 0.0. */
    private static long orderedBits(double d) {
        long bits = Double.doubleToLongBits(d);
        return bits >= 0 ? bits ^ Long.MIN_VALUE : ~bits;
    }

    /**
     * A Long's exact value minus the double it rounds to (never overflows: the difference is at most
     * 2^10 in magnitude); 0 for a Double. The one double at or above 2^63 that Longs round to is
     * 2^63 itself, which a long cannot hold: the difference is taken from Long.MAX_VALUE + 1.
     */
    private static long remainder(Object v) {
        if (!(v instanceof Long l)) {
            return 0;
        }
        double d = l;
        return d >= 0x1p63 ? l - Long.MAX_VALUE - 1 : l - (long) d;
    }

    private static long stringOrder(String s) {
        byte[] head = Arrays.copyOf(codePointBytes(s, STRING_ORDER_BYTES), STRING_ORDER_BYTES);
        return ByteBuffer.wrap(head).getLong();
    }

    /**
     * The string as UTF-8 over its code points, stopping once {@code limit} bytes are written (the
     * last code point may run past it). A lone surrogate is encoded as its own code point (three
     * bytes), so byte order is code point order for every Java string.
     */
    static byte[] codePointBytes(String s, int limit) {
        ByteBuffer out = ByteBuffer.allocate((int) Math.min(limit, s.length() * 3L) + 4);
        for (int i = 0; i < s.length() && out.position() < limit; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                out.put((byte) cp);
            } else if (cp < 0x800) {
                out.put((byte) (0xC0 | cp >> 6)).put((byte) (0x80 | cp & 0x3F));
            } else if (cp < 0x10000) {
                out.put((byte) (0xE0 | cp >> 12)).put((byte) (0x80 | cp >> 6 & 0x3F)).put((byte) (0x80 | cp & 0x3F));
            } else {
                out.put((byte) (0xF0 | cp >> 18)).put((byte) (0x80 | cp >> 12 & 0x3F))
                        .put((byte) (0x80 | cp >> 6 & 0x3F)).put((byte) (0x80 | cp & 0x3F));
            }
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Strings by code point (String.compareTo compares UTF-16 units, which differs above U+FFFF). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
