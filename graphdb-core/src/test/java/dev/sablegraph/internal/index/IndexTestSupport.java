package dev.sablegraph.internal.index;

import dev.sablegraph.core.GraphConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** Helpers shared by the index tests: key making, the TreeSet model's order, scans into lists. */
final class IndexTestSupport {
    static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

    private IndexTestSupport() {}

    static GraphConfig smallCache() {
        return GraphConfig.builder().pageCacheBytes(1 << 20).build();
    }

    static TreeSet<byte[]> model() {
        return new TreeSet<>(ORDER);
    }

    /** A key of {@code size} bytes whose first 8 bytes are {@code v} big endian, then a filler from v. */
    static byte[] longKey(long v, int size) {
        byte[] k = new byte[size];
        for (int i = 0; i < Math.min(8, size); i++) {
            k[i] = (byte) (v >>> (56 - 8 * i));
        }
        for (int i = 8; i < size; i++) {
            k[i] = (byte) (v * 31 + i);
        }
        return k;
    }

    static List<byte[]> drain(BTree.Cursor c) {
        List<byte[]> out = new ArrayList<>();
        while (c.next()) {
            out.add(c.key());
        }
        return out;
    }

    static String hex(byte[] b) {
        if (b == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
