package dev.sablegraph.internal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sablegraph.core.GraphConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Shared helpers for the storage tests: small configs, page patterns and on-disk tampering. */
final class StorageTestSupport {
    static final int PAGE_SIZE = 4096;
    /** Longs in a page's payload (everything after the page header). */
    static final int PAYLOAD_LONGS = (PAGE_SIZE - PageLayout.HEADER_SIZE) / Long.BYTES;

    private StorageTestSupport() {}

    /** A 4 KiB-page config whose cache holds {@code frames} pages (GraphConfig insists on >= 16). */
    static GraphConfig config(int frames) {
        return GraphConfig.builder().pageSize(PAGE_SIZE).pageCacheBytes((long) frames * PAGE_SIZE).build();
    }

    static Pager open(Path file, int frames) {
        return Pager.open(file, config(frames));
    }

    /** The i-th payload long of the pattern named by {@code seed}; differs per seed and per slot. */
    static long patternLong(long seed, int i) {
        long x = seed * 0x9E3779B97F4A7C15L + i * 0xC2B2AE3D27D4EB4FL;
        x ^= x >>> 29;
        return x;
    }

    static int payloadOffset(int i) {
        return PageLayout.HEADER_SIZE + i * Long.BYTES;
    }

    /** Writes the pattern of {@code seed} over the whole payload of {@code pageId}. */
    static void writePattern(Pager pager, long pageId, long seed) {
        try (PageCursor c = pager.write(pageId)) {
            for (int i = 0; i < PAYLOAD_LONGS; i++) {
                c.putLong(payloadOffset(i), patternLong(seed, i));
            }
        }
    }

    /** Reads the whole payload of a page with the optimistic-read protocol. */
    static long[] readPayload(PageCursor c) {
        long[] out = new long[PAYLOAD_LONGS];
        do {
            for (int i = 0; i < PAYLOAD_LONGS; i++) {
                out[i] = c.getLong(payloadOffset(i));
            }
        } while (c.shouldRetry());
        return out;
    }

    static long[] readPayload(Pager pager, long pageId) {
        try (PageCursor c = pager.read(pageId)) {
            return readPayload(c);
        }
    }

    static PageType readType(Pager pager, long pageId) {
        try (PageCursor c = pager.read(pageId)) {
            PageType t;
            do {
                t = c.pageType();
            } while (c.shouldRetry());
            return t;
        }
    }

    static void assertPattern(Pager pager, long pageId, long seed) {
        long[] got = readPayload(pager, pageId);
        for (int i = 0; i < PAYLOAD_LONGS; i++) {
            if (got[i] != patternLong(seed, i)) {
                assertEquals(patternLong(seed, i), got[i], "page " + pageId + " payload long #" + i);
            }
        }
    }

    /** Writes {@code value} into every payload long of the page held by a write cursor. */
    static void fillUniform(PageCursor c, long value) {
        for (int i = 0; i < PAYLOAD_LONGS; i++) {
            c.putLong(payloadOffset(i), value);
        }
    }

    /** XORs one byte of the file at {@code position} with {@code mask}. */
    static void flipByte(Path file, long position, int mask) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ mask);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    /** Reads one raw page straight from the file, without the cache. */
    static ByteBuffer readRawPage(Path file, long pageId) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(PAGE_SIZE);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, pageId * PAGE_SIZE + buf.position()) < 0) {
                    throw new IOException("file ends inside page " + pageId);
                }
            }
        }
        return buf.clear();
    }

    /** Writes one raw page straight into the file, sealing a fresh checksum first. */
    static void writeRawSealedPage(Path file, long pageId, ByteBuffer page) throws IOException {
        PageLayout.seal(page, pageId);
        ByteBuffer buf = page.duplicate().clear();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (buf.hasRemaining()) {
                ch.write(buf, pageId * PAGE_SIZE + buf.position());
            }
        }
    }
}
