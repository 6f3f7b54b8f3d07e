package dev.sablegraph.internal.index;

import dev.sablegraph.internal.storage.PageCursor;
import java.util.Arrays;

/**
 * Key order and in-page key search shared by leaves and inner nodes. Keys compare as unsigned
 * byte strings ({@link Arrays#compareUnsigned(byte[], byte[])}); a proper prefix sorts before
 * every longer string that starts with it, which is what lets range bounds be shorter than a key.
 */
final class Keys {
    private Keys() {}

    /**
     * How many of the {@code n} keys stored at {@code base + i * stride} (each {@code keySize}
     * bytes, ascending) are below {@code key}, or at most {@code key} when {@code orEqual}.
     * Safe inside an optimistic read loop: {@code n} must already be clamped to the page's
     * capacity, after which every offset read is inside the page and the loop runs log n times.
     */
    static int rank(PageCursor c, int base, int stride, int n, int keySize, byte[] key, boolean orEqual,
            byte[] scratch) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            c.getBytes(base + mid * stride, scratch, 0, keySize);
            int cmp = Arrays.compareUnsigned(scratch, 0, keySize, key, 0, key.length);
            if (cmp < 0 || (orEqual && cmp == 0)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** True when the key stored at {@code offset} equals {@code key} (which is keySize long). */
    static boolean equalsAt(PageCursor c, int offset, byte[] key, byte[] scratch) {
        c.getBytes(offset, scratch, 0, key.length);
        return Arrays.equals(scratch, 0, key.length, key, 0, key.length);
    }

    /** Compares {@code keySize} bytes of {@code a} at {@code offset} with the whole of {@code b}. */
    static int compare(byte[] a, int offset, int keySize, byte[] b) {
        return Arrays.compareUnsigned(a, offset, offset + keySize, b, 0, b.length);
    }

    /**
     * The smallest byte string above every string that starts with {@code prefix}: the prefix
     * without its trailing 0xFF bytes, last byte plus one. Null when there is none (the prefix is
     * all 0xFF or empty), meaning "unbounded".
     */
    static byte[] prefixEnd(byte[] prefix) {
        int end = prefix.length;
        while (end > 0 && prefix[end - 1] == (byte) 0xFF) {
            end--;
        }
        if (end == 0) {
            return null;
        }
        byte[] out = Arrays.copyOf(prefix, end);
        out[end - 1]++;
        return out;
    }
}
