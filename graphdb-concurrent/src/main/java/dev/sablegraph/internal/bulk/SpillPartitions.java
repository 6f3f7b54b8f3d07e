package dev.sablegraph.internal.bulk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records spilled to disk in partitions by a key (a node id, or an edge id): partition {@code p}
 * holds the records whose key is in {@code [p × range, (p + 1) × range)} (the last one also every
 * key beyond), each record {@code u64 key, u64 edge id, u32 length, length bytes}. Written in any order, read back one
 * partition at a time in chunks of bounded size, so that a pass over all partitions meets the
 * nodes in ascending ranges while memory holds two chunks (one read ahead on a thread of its own).
 * Not thread-safe: one thread writes and drains.
 */
final class SpillPartitions implements AutoCloseable {
    static final int PARTITIONS = 128;
    /** Per file: the 128 files of a spill being written take 8 MiB of buffers. */
    private static final int BUFFER = 64 << 10;

    private final Path directory;
    private final String name;
    private final long range;
    private final SpillOutput[] writers = new SpillOutput[PARTITIONS];

    /**
     * @param name the files' name prefix in {@code directory}
     * @param nodes how many keys there are (or are expected): the partitions split them evenly
     */
    SpillPartitions(Path directory, String name, long nodes) {
        this.directory = directory;
        this.name = name;
        this.range = Math.max(1024, (nodes + PARTITIONS - 1) / PARTITIONS);
    }

    private Path file(int p) {
        return directory.resolve(name + "-" + p);
    }

    /** Appends a record to the partition of {@code node}. */
    void write(long node, long edge, byte[] bytes) {
        write(node, edge, bytes, 0, bytes.length);
    }

    /** Appends the record {@code bytes[offset, offset + length)} to the partition of {@code node}. */
    void write(long node, long edge, byte[] bytes, int offset, int length) {
        int p = (int) Math.min(node / range, PARTITIONS - 1);
        try {
            SpillOutput out = writers[p];
            if (out == null) {
                Files.createDirectories(directory);
                out = new SpillOutput(Files.newOutputStream(file(p)), BUFFER);
                writers[p] = out;
            }
            out.writeLong(node);
            out.writeLong(edge);
            out.writeInt(length);
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(p) + ": " + e.getMessage(), e);
        }
    }

    /** Ends writing: every partition's file is complete. */
    void finishWriting() {
        for (int p = 0; p < PARTITIONS; p++) {
            if (writers[p] != null) {
                try {
                    writers[p].close();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file(p) + ": " + e.getMessage(), e);
                }
                writers[p] = null;
            }
        }
    }

    /**
     * Reads every partition in order, in chunks of at most {@code chunkBytes} of record bytes (a
     * single larger record makes a chunk of its own; a chunk holds records of one partition),
     * handing each to {@code consumer} on the calling thread, and deletes each file once read.
     * The files are read on a thread of their own, one chunk ahead: while the consumer works on
     * one chunk the next is read into a second one (memory: two chunks).
     */
    void drainAll(int chunkBytes, ChunkConsumer consumer) {
        BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(2);
        BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(3);
        free.add(new Chunk(chunkBytes));
        free.add(new Chunk(chunkBytes));
        Chunk end = new Chunk(0);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                for (int p = 0; p < PARTITIONS; p++) {
                    readPartition(p, free, full);
                }
            } catch (InterruptedException stopped) {
                return; // the consumer failed: nobody waits for more
            } catch (RuntimeException e) {
                failure.set(e);
            }
            full.add(end); // never blocks: the reader holds at most two chunks, and the queue takes three
        }, "sable-bulk-spill-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            for (Chunk c = full.take(); c != end; c = full.take()) {
                consumer.accept(c);
                free.add(c);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + name, e);
        } finally {
            reader.interrupt();
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** The reading thread's work on partition {@code p}: chunk after chunk into {@code full}, then the file deleted. */
    private void readPartition(int p, BlockingQueue<Chunk> free, BlockingQueue<Chunk> full) throws InterruptedException {
        Path f = file(p);
        if (!Files.exists(f)) {
            return;
        }
        Carry carry = new Carry();
        try (SpillInput in = new SpillInput(Files.newInputStream(f), BUFFER)) {
            for (;;) {
                Chunk chunk = free.take();
                if (!chunk.fill(in, carry)) {
                    free.add(chunk);
                    break;
                }
                full.put(chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        delete(f);
    }

    /** A record read but not taken into the previous chunk: it starts the next one. */
    private static final class Carry {
        boolean pending;
        long node;
        long edge;
        byte[] bytes;
    }

    /** Receives the chunks of a partition. */
    @FunctionalInterface
    interface ChunkConsumer {
        void accept(Chunk chunk);
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + f + ": " + e.getMessage(), e);
        }
    }

    /** Closes every file and deletes them all. */
    @Override
    public void close() {
        for (int p = 0; p < PARTITIONS; p++) {
            if (writers[p] != null) {
                try {
                    writers[p].close();
                } catch (IOException e) {
                    // deleted next: what it held is not wanted any more
                }
                writers[p] = null;
            }
            delete(file(p));
        }
    }

    /** Records read from a partition: node, edge id and the bytes of each. */
    static final class Chunk {
        private final int capacity;
        private byte[] data;
        private int used;
        int count;
        long[] nodes = new long[1024];
        long[] edges = new long[1024];
        int[] offsets = new int[1024];
        int[] lengths = new int[1024];

        Chunk(int capacity) {
            this.capacity = capacity;
            this.data = new byte[Math.min(capacity, 1 << 20)];
        }

        byte[] data() {
            return data;
        }

        /** Reads the next chunk; false when the partition is read whole. */
        boolean fill(SpillInput in, Carry carry) throws IOException {
            count = 0;
            used = 0;
            if (carry.pending) {
                carry.pending = false;
                add(carry.node, carry.edge, carry.bytes);
                carry.bytes = null;
            }
            for (;;) {
                if (in.atEnd()) {
                    return count > 0;
                }
                long node = in.readLong();
                long edge = in.readLong();
                int length = in.readInt();
                if (count > 0 && (used + length > capacity || count == EdgeBuild.MAX_CHUNK_RECORDS)) {
                    carry.pending = true;
                    carry.node = node;
                    carry.edge = edge;
                    carry.bytes = new byte[length];
                    in.readFully(carry.bytes, 0, length);
                    return true;
                }
                // straight into the chunk's bytes: no array per record
                place(node, edge, length);
                in.readFully(data, offsets[count - 1], length);
            }
        }

        private void add(long node, long edge, byte[] bytes) {
            place(node, edge, bytes.length);
            System.arraycopy(bytes, 0, data, offsets[count - 1], bytes.length);
        }

        /** Makes room for a record of {@code length} bytes at the end of the chunk. */
        private void place(long node, long edge, int length) {
            if (count == nodes.length) {
                int n = count * 2;
                nodes = java.util.Arrays.copyOf(nodes, n);
                edges = java.util.Arrays.copyOf(edges, n);
                offsets = java.util.Arrays.copyOf(offsets, n);
                lengths = java.util.Arrays.copyOf(lengths, n);
            }
            if (used + length > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(used + length, Math.min(capacity, data.length * 2)));
            }
            nodes[count] = node;
            edges[count] = edge;
            offsets[count] = used;
            lengths[count] = length;
            used += length;
            count++;
        }
    }
}
