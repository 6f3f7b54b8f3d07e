package dev.sablegraph.internal.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C helpers beyond {@link CRC32C}: the checksum of a concatenation from the checksums of
 * its parts ({@link #combine}). The log uses it twice:
 *
 * <ul>
 *   <li>{@code append} checksums the payload before it takes the append lock and only folds in
 *       the 13 header bytes (which include the LSN, known only under the lock) while holding it,
 *       so the time under the lock does not grow with the payload's checksum;</li>
 *   <li>the tail scan of {@link TailScanner} checks candidate records of any length at any offset
 *       from prefix checksums instead of re-reading every candidate's payload.</li>
 * </ul>
 *
 * <p>The arithmetic is zlib's {@code crc32_combine} (1.2.12 and later) with the Castagnoli
 * polynomial: CRCs are polynomials over GF(2) in reflected bit order, and for the conditioned
 * CRC that {@link CRC32C} computes, {@code crc(A ‖ B) = crc(A)·x^(8|B|) mod P  xor  crc(B)}.
 */
final class Crc32c {
    /** The Castagnoli polynomial, reflected. */
    private static final int POLY = 0x82F63B78;
    /** x^0 in reflected order. */
    private static final int ONE = 0x80000000;
    /**
     * {@code X2N[k]} = x^(2^k) mod P. 64 entries rather than zlib's 32 with wrap-around, which
     * relies on the order of x dividing 2^32 - 1; no need to depend on that here.
     */
    private static final int[] X2N = new int[64];

    /** {@code SMALL_SHIFTS[n]} = x^(8n) mod P: the operators of common record sizes, ready made. */
    private static final int[] SMALL_SHIFTS = new int[2048];

    static {
        int p = ONE >>> 1; // x^1
        X2N[0] = p;
        for (int k = 1; k < X2N.length; k++) {
            p = multModP(p, p);
            X2N[k] = p;
        }
        SMALL_SHIFTS[0] = ONE;
        for (int n = 1; n < SMALL_SHIFTS.length; n++) {
            SMALL_SHIFTS[n] = multModP(X2N[3], SMALL_SHIFTS[n - 1]); // · x^8
        }
    }

    private Crc32c() {}

    /** a·b mod P. */
    static int multModP(int a, int b) {
        int product = 0;
        for (int m = ONE; a != 0; m >>>= 1) {
            if ((a & m) != 0) {
                product ^= b;
                a ^= m;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
        return product;
    }

    /** x^(8n) mod P: the operator that shifts a CRC past {@code n} bytes. Costs O(log n). */
    static int shiftOperator(long n) {
        if (n < 0 || n >= 1L << 60) {
            throw new IllegalArgumentException("length " + n);
        }
        if (n < SMALL_SHIFTS.length) {
            return SMALL_SHIFTS[(int) n];
        }
        int p = ONE;
        int k = 3; // 8n = n · 2^3
        for (long rest = n; rest != 0; rest >>>= 1, k++) {
            if ((rest & 1) != 0) {
                p = multModP(X2N[k], p);
            }
        }
        return p;
    }

    /** CRC of A ‖ B from crc(A), crc(B) and |B|. */
    static int combine(int crcA, int crcB, long lengthB) {
        return combineWith(shiftOperator(lengthB), crcA, crcB);
    }

    /** {@link #combine} with the operator of |B| computed beforehand by {@link #shiftOperator}. */
    static int combineWith(int shiftOperatorB, int crcA, int crcB) {
        return multModP(shiftOperatorB, crcA) ^ crcB;
    }

    /** CRC32C of the remaining bytes of {@code buf}; does not move its position. */
    static int of(ByteBuffer buf) {
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate());
        return (int) crc.getValue();
    }

    static int of(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length);
        return (int) crc.getValue();
    }
}
