package dev.sablegraph.internal.graph.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Key layouts of the label index and of the automatic property index that Sable 0.1 kept (read
 * once at the upgrade), and the value digests the schema index shares ({@link SchemaKeys}); keys
 * are fixed-size, compared as unsigned bytes, so big-endian ids sort numerically:
 *
 * <pre>
 * label index            (12 bytes): u32 label token, u64 node id
 * legacy property index  (25 bytes): u32 label token, u32 key token, u8 value type, u64 value digest, u64 node id
 * </pre>
 *
 * The digest is the value itself for Long, Double (its bits as {@code Double.equals} compares
 * them, one NaN) and Boolean, a 64-bit hash for String and byte[], and for a List a 64-bit hash of
 * its element type, its size and its elements' digests in order: a list is indexed as one whole
 * value, so a lookup finds the lists equal to the one it is given, not lists that contain it. Hash
 * collisions only add candidates: lookups compare each candidate's stored value before returning it.
 */
public final class IndexKeys {
    public static final int LABEL_KEY_SIZE = 12;
    /** Keys of the legacy property index (Sable 0.1), read once at the upgrade. */
    public static final int PROPERTY_KEY_SIZE = 25;

    private IndexKeys() {}

    public static byte[] label(int label, long node) {
        return ByteBuffer.allocate(LABEL_KEY_SIZE).putInt(label).putLong(node).array();
    }

    public static long labelKeyNode(byte[] key) {
        return ByteBuffer.wrap(key).getLong(4);
    }

    public static byte[] labelPrefix(int label) {
        return ByteBuffer.allocate(4).putInt(label).array();
    }

    /** The first key of {@code size} bytes after every key starting with {@code prefix}, or null. */
    public static byte[] after(byte[] prefix, int size) {
        byte[] p = prefix.clone();
        for (int i = p.length - 1; i >= 0; i--) {
            if (p[i] != (byte) 0xFF) {
                p[i]++;
                return Arrays.copyOf(Arrays.copyOf(p, i + 1), size);
            }
        }
        return null;
    }

    static long digest(Object v) {
        if (v instanceof Long l) {
            return l;
        } else if (v instanceof Double d) {
            return Double.doubleToLongBits(d);
        } else if (v instanceof Boolean b) {
            return b ? 1 : 0;
        } else if (v instanceof String s) {
            return hash64(s.getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof List<?> list) {
            return listDigest(list);
        }
        return hash64((byte[]) v);
    }

    private static long listDigest(List<?> list) {
        RecordBuffer b = new RecordBuffer(5 + list.size() * 8);
        b.putByte(list.isEmpty() ? 0 : ValueCodec.listElementType(list)).putInt(list.size());
        for (Object element : list) {
            b.putLong(digest(element));
        }
        return hash64(b.toArray());
    }

    /** FNV-1a over the bytes, then a murmur3 finaliser to spread the bits. */
    static long hash64(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
