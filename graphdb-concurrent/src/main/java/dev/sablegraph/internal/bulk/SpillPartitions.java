package dev.sablegraph.internal.bulk;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Records spilled to disk in partitions by a key (a node id, or an edge id): partition {@code p}
 * holds the records whose key is in {@code [p × range, (p + 1) × range)} (the last one also every
 * key beyond), each record {@code u64 key, u64 edge id, u32 length, length bytes}. Written in any order, read back one
 * partition at a time in chunks of bounded size, so that a pass over all partitions meets the
 * nodes in ascending ranges while memory holds one chunk. Not thread-safe.
 */
final class SpillPartitions implements AutoCloseable {
    static final int PARTITIONS = 128;
    private static final int BUFFER = 32 << 10;

    private final Path directory;
    private final String name;
    private final long range;
    private final DataOutputStream[] writers = new DataOutputStream[PARTITIONS];

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
            DataOutputStream out = writers[p];
            if (out == null) {
                Files.createDirectories(directory);
                out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file(p)), BUFFER));
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
     * Reads partition {@code p} in chunks of at most {@code chunkBytes} of record bytes (a single
     * larger record makes a chunk of its own), handing each to {@code consumer}, then deletes it.
     */
    void drain(int p, int chunkBytes, ChunkConsumer consumer) {
        Path f = file(p);
        if (!Files.exists(f)) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), BUFFER))) {
            Chunk chunk = new Chunk(chunkBytes);
            while (chunk.fill(in)) {
                consumer.accept(chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        delete(f);
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
        /** A record read but not taken into the previous chunk: it starts the next one. */
        private boolean pending;
        private long pendingNode;
        private long pendingEdge;
        private byte[] pendingBytes;

        Chunk(int capacity) {
            this.capacity = capacity;
            this.data = new byte[Math.min(capacity, 1 << 20)];
        }

        byte[] data() {
            return data;
        }

        /** Reads the next chunk; false when the partition is read whole. */
        boolean fill(DataInputStream in) throws IOException {
            count = 0;
            used = 0;
            if (pending) {
                pending = false;
                add(pendingNode, pendingEdge, pendingBytes);
            }
            for (;;) {
                long node;
                try {
                    node = in.readLong();
                } catch (EOFException end) {
                    return count > 0;
                }
                long edge = in.readLong();
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                if (count > 0 && (used + bytes.length > capacity || count == EdgeBuild.MAX_CHUNK_RECORDS)) {
                    pending = true;
                    pendingNode = node;
                    pendingEdge = edge;
                    pendingBytes = bytes;
                    return true;
                }
                add(node, edge, bytes);
            }
        }

        private void add(long node, long edge, byte[] bytes) {
            if (count == nodes.length) {
                int n = count * 2;
                nodes = java.util.Arrays.copyOf(nodes, n);
                edges = java.util.Arrays.copyOf(edges, n);
                offsets = java.util.Arrays.copyOf(offsets, n);
                lengths = java.util.Arrays.copyOf(lengths, n);
            }
            if (used + bytes.length > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(used + bytes.length, Math.min(capacity, data.length * 2)));
            }
            System.arraycopy(bytes, 0, data, used, bytes.length);
            nodes[count] = node;
            edges[count] = edge;
            offsets[count] = used;
            lengths[count] = bytes.length;
            used += bytes.length;
            count++;
        }
    }
}
