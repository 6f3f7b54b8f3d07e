package dev.sablegraph.internal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Shared helpers for the log tests: payloads, segment lookup, and damage done to files on disk. */
final class WalTestSupport {
    private WalTestSupport() {}

    /** Incompressible bytes that differ per seed. */
    static byte[] payload(long seed, int length) {
        byte[] b = new byte[length];
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + length);
        for (int i = 0; i < length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** The segment files of a log directory, in log order. */
    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("wal-[0-9a-f]{16}\\.log")).sorted()
                    .collect(Collectors.toList());
        }
    }

    static long firstLsn(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(4, 20), 16);
    }

    /** The segment holding the record at {@code lsn}. */
    static Path segmentOf(Path dir, long lsn) throws IOException {
        Path found = null;
        for (Path p : segments(dir)) {
            if (firstLsn(p) <= lsn) {
                found = p;
            }
        }
        return found;
    }

    /** File offset of the record at {@code lsn} in {@link #segmentOf}. */
    static long offsetOf(Path dir, long lsn) throws IOException {
        return SegmentHeader.SIZE + lsn - firstLsn(segmentOf(dir, lsn));
    }

    static boolean isSegment(Path p) {
        return p.getFileName().toString().endsWith(".log");
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x20)).clear();
            ch.write(b, offset);
        }
    }

    static void putInt(Path file, long offset, int value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).putInt(0, value), offset);
        }
    }

    static void zero(Path file, long from, long to) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate((int) (to - from)), from);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }
}
