package dev.sablegraph.internal.bulk;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * An external sort of fixed-size keys in unsigned byte order (the order of the B+tree indexes): keys
 * are collected in a buffer of bounded size, each full buffer is sorted and written as a run file,
 * and {@link #drain} merges the runs. Memory: the buffer and about 20 bytes per key in it while it
 * is sorted, and a 64 KiB read buffer per run while merging. Not thread-safe.
 */
public final class KeySort implements AutoCloseable {
    private static final int IO_BUFFER = 64 << 10;

    private final Path directory;
    private final String name;
    private final int keySize;
    private byte[] buffer;
    private int used;
    private final List<Path> runs = new ArrayList<>();
    private long count;

    /** @param bufferBytes keys sorted in memory at a time (rounded down to whole keys, at least one) */
    public KeySort(Path directory, String name, int keySize, int bufferBytes) {
        this.directory = directory;
        this.name = name;
        this.keySize = keySize;
        this.buffer = new byte[Math.max(keySize, bufferBytes / keySize * keySize)];
    }

    /** Keys added so far. */
    public long count() {
        return count;
    }

    public void add(byte[] key) {
        if (buffer == null) {
            throw new IllegalStateException("keys are drained or discarded");
        }
        if (key.length != keySize) {
            throw new IllegalArgumentException("a key of " + key.length + " bytes, expected " + keySize);
        }
        if (used == buffer.length) {
            writeRun();
        }
        System.arraycopy(key, 0, buffer, used, keySize);
        used += keySize;
        count++;
    }

    /** Sorts the buffer and writes it as a run. */
    private void writeRun() {
        int n = used / keySize;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(buffer, a * keySize, (a + 1) * keySize, buffer,
                b * keySize, (b + 1) * keySize));
        Path run = directory.resolve(name + "-run-" + runs.size());
        try {
            Files.createDirectories(directory);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(run), IO_BUFFER)) {
                for (int i : order) {
                    out.write(buffer, i * keySize, keySize);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + run + ": " + e.getMessage(), e);
        }
        runs.add(run);
        used = 0;
    }

    /**
     * Hands every key to {@code action} in ascending order (duplicates as often as added), then
     * deletes the runs; {@code afterEach} is told how many keys were handed out so far, every 4,096.
     */
    public void drain(Consumer<byte[]> action, java.util.function.LongConsumer afterEach) {
        if (buffer != null && used > 0) {
            writeRun();
        }
        PriorityQueue<Run> queue = new PriorityQueue<>((a, b) -> Arrays.compareUnsigned(a.key, b.key));
        try {
            for (Path p : runs) {
                Run r = new Run(p, keySize);
                if (r.advance()) {
                    queue.add(r);
                } else {
                    r.close();
                }
            }
            long done = 0;
            while (!queue.isEmpty()) {
                Run r = queue.poll();
                action.accept(r.key.clone());
                if (r.advance()) {
                    queue.add(r);
                } else {
                    r.close();
                }
                if (++done % 4096 == 0) {
                    afterEach.accept(done);
                }
            }
            afterEach.accept(done);
        } finally {
            queue.forEach(Run::close);
            close();
        }
    }

    /** Deletes the runs. */
    @Override
    public void close() {
        for (Path p : runs) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
            }
        }
        runs.clear();
        used = 0;
        buffer = null; // no more keys: give the memory back
    }

    /** One run file being merged: its current key. */
    private static final class Run {
        private final Path file;
        private final DataInputStream in;
        final byte[] key;

        Run(Path file, int keySize) {
            this.file = file;
            this.key = new byte[keySize];
            try {
                this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), IO_BUFFER));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        /** Reads the next key; false at the end. */
        boolean advance() {
            try {
                in.readFully(key);
                return true;
            } catch (EOFException end) {
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        void close() {
            try {
                in.close();
            } catch (IOException e) {
                // the file is deleted next; nothing was lost
            }
        }
    }
}
