package dev.sablegraph.internal.record;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * lz4 for large records: compress when the record is at least {@code threshold} bytes and the
 * result saves at least an eighth; decompress only with the bounds-checking safe decompressor,
 * since the input comes from disk.
 */
final class RecordCompression {
    private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
    private static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();

    private final int threshold;

    RecordCompression(int threshold) {
        this.threshold = threshold;
    }

    /** The compressed bytes, or null when compression is not worth it. */
    byte[] compressIfWorthIt(byte[] raw) {
        if (raw.length < threshold) {
            return null;
        }
        byte[] out = new byte[COMPRESSOR.maxCompressedLength(raw.length)];
        int n = COMPRESSOR.compress(raw, 0, raw.length, out, 0, out.length);
        if (n > raw.length - raw.length / 8) {
            return null;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * Decompresses exactly {@code rawLength} bytes.
     *
     * @throws IllegalStateException describing the damage when the input is not valid lz4 of that size
     */
    static byte[] decompress(byte[] src, int offset, int length, int rawLength) {
        byte[] out = new byte[rawLength];
        int n;
        try {
            n = DECOMPRESSOR.decompress(src, offset, length, out, 0, rawLength);
        } catch (LZ4Exception e) {
            throw new IllegalStateException("compressed record is damaged: " + e.getMessage(), e);
        }
        if (n != rawLength) {
            throw new IllegalStateException("compressed record holds " + n + " bytes, header says " + rawLength);
        }
        return out;
    }
}
