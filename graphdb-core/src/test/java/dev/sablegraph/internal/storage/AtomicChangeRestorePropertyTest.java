package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.PAGE_SIZE;
import static dev.sablegraph.internal.storage.StorageTestSupport.open;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever mix of writes an atomic change makes (small puts, long runs of bytes, moves within a
 * page, whole pages zeroed, page types), to pages that were clean, dirty or new, in a cache a
 * third the size of the pages it writes (so pages are spilled and loaded again between writes),
 * restoring it puts every byte of every page back, header included; and a change that is kept
 * keeps every byte it wrote.
 */
class AtomicChangeRestorePropertyTest {
    private static final int FRAMES = 16;
    private static final int PAGES = 48;
    private static final int PAYLOAD = PAGE_SIZE - PageLayout.HEADER_SIZE;

    @Property(tries = 60)
    void aRestoredChangePutsBackEveryByte(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int writes) {
        Path dir = newDir();
        try (Pager p = open(dir.resolve("data.sable"), FRAMES)) {
            Random rnd = new Random(seed);
            long[] pages = new long[PAGES];
            for (int i = 0; i < PAGES; i++) {
                pages[i] = p.allocate(PageType.SLOTTED);
                randomWrites(p, pages[i], rnd, 3);
            }
            p.flush(); // every page clean (the data file holds it) ...
            p.cache().useSpillFile(dir.resolve("spill.pages"), FileChannel::open);
            for (int i = 0; i < PAGES; i += 2) {
                randomWrites(p, pages[i], rnd, 2); // ... and half of them dirty again
            }

            for (int round = 0; round < 3; round++) {
                byte[][] before = images(p, pages);
                RollbackPoint change = p.beginAtomicChange();
                long created = p.allocate(PageType.SLOTTED);
                randomWrites(p, created, rnd, 5);
                for (int w = 0; w < writes; w++) {
                    randomWrites(p, pages[rnd.nextInt(PAGES)], rnd, 1);
                }
                if (rnd.nextBoolean()) {
                    byte[][] after = images(p, pages);
                    change.discard();
                    assertImages(after, p, pages, "a kept change");
                } else {
                    change.restore();
                    assertImages(before, p, pages, "a restored change");
                }
            }
        } finally {
            deleteAll(dir);
        }
    }

    /** {@code count} writes of random kinds to one page, each through its own write cursor. */
    private static void randomWrites(Pager p, long pageId, Random rnd, int count) {
        for (int i = 0; i < count; i++) {
            try (PageCursor c = p.write(pageId)) {
                switch (rnd.nextInt(9)) {
                    case 0 -> c.putByte(offset(rnd, 1), (byte) rnd.nextInt());
                    case 1 -> c.putShort(offset(rnd, 2), rnd.nextInt());
                    case 2 -> c.putInt(offset(rnd, 4), rnd.nextInt());
                    case 3 -> c.putLong(offset(rnd, 8), rnd.nextLong());
                    case 4 -> {
                        byte[] b = new byte[1 + rnd.nextInt(rnd.nextBoolean() ? 64 : PAYLOAD)];
                        rnd.nextBytes(b);
                        c.putBytes(offset(rnd, b.length), b, 0, b.length);
                    }
                    case 5 -> {
                        int length = 1 + rnd.nextInt(PAYLOAD / 2);
                        c.copyWithin(offset(rnd, length), offset(rnd, length), length);
                    }
                    case 6 -> c.setPageType(rnd.nextBoolean() ? PageType.SLOTTED : PageType.BTREE_LEAF);
                    case 7 -> {
                        if (rnd.nextInt(8) == 0) {
                            c.zeroPage();
                        }
                    }
                    default -> {
                        for (int k = 0; k < 40; k++) { // many small writes to one page
                            c.putInt(offset(rnd, 4), rnd.nextInt());
                        }
                    }
                }
            }
        }
    }

    /** A random place for {@code length} bytes in the payload (the header is written only as a page type or by a zeroed page). */
    private static int offset(Random rnd, int length) {
        return PageLayout.HEADER_SIZE + rnd.nextInt(PAYLOAD - length + 1);
    }

    private static byte[][] images(Pager p, long[] pages) {
        byte[][] out = new byte[pages.length][];
        for (int i = 0; i < pages.length; i++) {
            out[i] = image(p, pages[i]);
        }
        return out;
    }

    private static byte[] image(Pager p, long pageId) {
        byte[] b = new byte[PAGE_SIZE];
        try (PageCursor c = p.read(pageId)) {
            do {
                c.getBytes(0, b, 0, PAGE_SIZE);
            } while (c.shouldRetry());
        }
        return b;
    }

    /** Compares payloads and page types exactly: the checksum is the spill's to rewrite, so it is left out. */
    private static void assertImages(byte[][] expected, Pager p, long[] pages, String what) {
        for (int i = 0; i < pages.length; i++) {
            byte[] got = image(p, pages[i]);
            assertArrayEquals(withoutChecksum(expected[i]), withoutChecksum(got), what + ": page " + pages[i]);
        }
    }

    private static byte[] withoutChecksum(byte[] page) {
        byte[] b = page.clone();
        for (int i = PageLayout.CHECKSUM_OFFSET; i < PageLayout.CHECKSUM_OFFSET + 4; i++) {
            b[i] = 0;
        }
        return b;
    }

    private static Path newDir() {
        try {
            return Files.createTempDirectory("atomic-restore");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteAll(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
