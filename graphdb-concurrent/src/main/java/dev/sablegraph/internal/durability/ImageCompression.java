package dev.sablegraph.internal.durability;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * lz4 for the pages of a double-write image ({@link CheckpointFiles}). The image is written once
 * per checkpoint and read back once, and on a graph larger than the cache a checkpoint writes
 * about a third of the data file each time, twice (image, then in place): with the disk the bound
 * (docs/benchmarks.md, "The double-write image compressed"), an image a third of the size takes a
 * third off what a checkpoint writes. A page that would not get smaller is stored as it is.
 * Decompression is the bounds-checking safe decompressor only: the input comes from disk.
 */
final class ImageCompression {
    private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
    private static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();

    private ImageCompression() {}

    /** Room {@link #compress} may need for a page of {@code pageSize} bytes. */
    static int maxStoredBytes(int pageSize) {
        return COMPRESSOR.maxCompressedLength(pageSize);
    }

    /**
     * Compresses {@code page} into {@code into} (at least {@link #maxStoredBytes} long) and
     * returns the length, or returns {@code page.length} and leaves {@code into} unused when the
     * page does not get smaller (it is then stored as it is).
     */
    static int compress(byte[] page, byte[] into) {
        int n = COMPRESSOR.compress(page, 0, page.length, into, 0, into.length);
        return n < page.length ? n : page.length;
    }

    /**
     * Decompresses {@code length} bytes of {@code stored} into the whole of {@code page}; false
     * when they are not lz4 of exactly that many bytes.
     */
    static boolean decompress(byte[] stored, int length, byte[] page) {
        try {
            return DECOMPRESSOR.decompress(stored, 0, length, page, 0, page.length) == page.length;
        } catch (LZ4Exception e) {
            return false;
        }
    }
}
