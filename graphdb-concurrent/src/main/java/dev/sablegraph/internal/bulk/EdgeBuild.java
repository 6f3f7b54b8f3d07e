package dev.sablegraph.internal.bulk;

import dev.sablegraph.internal.graph.GraphStore;
import dev.sablegraph.internal.graph.codec.EdgeRecord;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * The edges of a bulk load, stored in two passes instead of one write per edge: edges are first
 * spilled to partitions by start node; the outgoing pass reads those in ascending node ranges,
 * sorts each chunk by start node and lists each run of a node's edges of one type in its chain at
 * once ({@link GraphStore#linkAll}), spilling the edge again by end node with its outgoing block;
 * the incoming pass does the same by end node and spills the complete record by edge id; the last
 * pass stores the records in id order (so the id map is written front to back, not at random). Every node's record
 * and chain heads are so read and written in ascending id order, about once per pass, and the
 * page cache meets the store sequentially whatever order the edges came in. Memory: two chunks
 * (the next is read while one is linked; each at most {@code chunkBytes} of records, plus about
 * 40 bytes of arrays per record) and the files' write buffers. Not thread-safe: one thread calls
 * it (a helper thread of its own reads the spill files ahead).
 */
public final class EdgeBuild implements AutoCloseable {
    /** Node ids are packed with a record's place in its chunk into one sortable long. */
    private static final int INDEX_BITS = 24;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
    private static final long MAX_NODE = (1L << (63 - INDEX_BITS)) - 1;
    /** Records in one chunk at most, so that a record's place fits {@link #INDEX_BITS}. */
    static final int MAX_CHUNK_RECORDS = (1 << INDEX_BITS) - 1;

    private final GraphStore store;
    private final Path directory;
    private final int chunkBytes;
    private SpillPartitions byStart;
    private long count;

    // Scratch arrays of one node's run of edges (grown as needed), so that linking allocates nothing
    // per node: the blocks linkAll lists them in, their places in the chunk, types, ids, other ends.
    private long[] blocks = new long[64];
    private int[] places = new int[64];
    private int[] types = new int[64];
    private long[] edgeIds = new long[64];
    private long[] others = new long[64];
    private long[] byType = new long[64];
    /** A chunk's entries sorted by key (grown as needed). */
    private long[] order = new long[1024];

    /**
     * @param directory where the spill files go (created when needed, emptied by {@link #build})
     * @param chunkBytes record bytes sorted at a time
     */
    public EdgeBuild(GraphStore store, Path directory, int chunkBytes) {
        this.store = store;
        this.directory = directory;
        this.chunkBytes = chunkBytes;
    }

    /**
     * Takes an edge whose id is reserved and whose record {@link GraphStore#newEdgeRecord} made.
     *
     * @param nodes how many nodes there are now (the first edge fixes the partitions' ranges)
     */
    public void add(long id, EdgeRecord edge, long nodes) {
        if (edge.from() > MAX_NODE || edge.to() > MAX_NODE || id > MAX_NODE) {
            throw new IllegalArgumentException("node and edge ids above " + MAX_NODE + " cannot be bulk loaded");
        }
        if (byStart == null) {
            byStart = new SpillPartitions(directory, "edges-by-start", nodes);
        }
        byStart.write(edge.from(), id, edge.encodeStaged());
        count++;
    }

    /** Edges taken so far. */
    public long count() {
        return count;
    }

    /**
     * Stores every edge taken: the two linking passes, then the records in id order. Afterwards
     * the spill files are gone.
     *
     * @param progress told after each chunk how many of the {@code 3 × count()} steps (each edge
     *        once per pass) are done
     */
    public void build(long nodes, LongConsumer progress) {
        if (byStart == null) {
            return;
        }
        byStart.finishWriting();
        long[] done = {0};
        try (SpillPartitions byEnd = new SpillPartitions(directory, "edges-by-end", nodes);
                SpillPartitions byId = new SpillPartitions(directory, "edges-by-id", count)) {
            byStart.drainAll(chunkBytes, chunk -> {
                link(chunk, true, byEnd);
                progress.accept(done[0] += chunk.count);
            });
            byEnd.finishWriting();
            byEnd.drainAll(chunkBytes, chunk -> {
                link(chunk, false, byId);
                progress.accept(done[0] += chunk.count);
            });
            byId.finishWriting();
            byId.drainAll(chunkBytes, chunk -> {
                store(chunk);
                progress.accept(done[0] += chunk.count);
            });
        }
        byStart.close();
        byStart = null;
        try {
            java.nio.file.Files.deleteIfExists(directory);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot delete " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stores a chunk of complete edge records in id order: the id map and the record store are
     * then written front to back.
     */
    private void store(SpillPartitions.Chunk chunk) {
        int n = chunk.count;
        long[] order = sortedByKey(chunk);
        for (int k = 0; k < n; k++) {
            int i = (int) (order[k] & INDEX_MASK);
            store.insertLinkedEdge(chunk.edges[i],
                    EdgeRecord.storedFromStaged(chunk.data(), chunk.offsets[i], chunk.lengths[i]));
        }
    }

    /** The chunk's entries as (key, place) longs, sorted by key (by place among equal keys). */
    private long[] sortedByKey(SpillPartitions.Chunk chunk) {
        int n = chunk.count;
        if (order.length < n) {
            order = new long[Math.max(n, order.length * 2)];
        }
        for (int i = 0; i < n; i++) {
            order[i] = (chunk.nodes[i] << INDEX_BITS) | i; // the key: a node id, or the edge id in the last spill
        }
        Arrays.sort(order, 0, n);
        return order;
    }

    /**
     * Lists a chunk's edges at their node (start node when {@code outgoing}, else end node), a
     * run of one node's edges of one type at a time, then passes each on to {@code next}: by end
     * node with its outgoing block, or, after the incoming pass, by id with both blocks. Records
     * are read and completed in their encoded form: their properties are never decoded.
     */
    private void link(SpillPartitions.Chunk chunk, boolean outgoing, SpillPartitions next) {
        int n = chunk.count;
        long[] sorted = sortedByKey(chunk);
        int start = 0;
        while (start < n) {
            long node = sorted[start] >>> INDEX_BITS;
            int end = start + 1;
            while (end < n && (sorted[end] >>> INDEX_BITS) == node) {
                end++;
            }
            linkNode(chunk, sorted, start, end, node, outgoing, next);
            start = end;
        }
    }

    /** Links the entries {@code sorted[start, end)}, all at {@code node}, a run of one type at a time. */
    private void linkNode(SpillPartitions.Chunk chunk, long[] sorted, int start, int end, long node, boolean outgoing,
            SpillPartitions next) {
        int m = end - start;
        if (blocks.length < m) {
            int size = Math.max(m, blocks.length * 2);
            blocks = new long[size];
            places = new int[size];
            types = new int[size];
            edgeIds = new long[size];
            others = new long[size];
            byType = new long[size];
        }
        byte[] data = chunk.data();
        boolean oneType = true;
        for (int k = 0; k < m; k++) {
            int i = (int) (sorted[start + k] & INDEX_MASK);
            places[k] = i;
            types[k] = EdgeRecord.stagedType(data, chunk.offsets[i]);
            oneType &= types[k] == types[0];
        }
        if (!oneType) {
            // by type, then as they were (in chunk order: for edges spilled by start node, id order)
            for (int k = 0; k < m; k++) {
                byType[k] = ((long) types[k] << INDEX_BITS) | places[k];
            }
            Arrays.sort(byType, 0, m);
            for (int k = 0; k < m; k++) {
                places[k] = (int) (byType[k] & INDEX_MASK);
                types[k] = (int) (byType[k] >> INDEX_BITS);
            }
        }
        for (int k = 0; k < m; k++) {
            int i = places[k];
            edgeIds[k] = chunk.edges[i];
            others[k] = outgoing ? EdgeRecord.stagedTo(data, chunk.offsets[i]) : EdgeRecord.stagedFrom(data, chunk.offsets[i]);
        }
        store.linkAll(node, outgoing, types, edgeIds, others, 0, m, blocks);
        for (int k = 0; k < m; k++) {
            int i = places[k];
            EdgeRecord.setStagedBlock(data, chunk.offsets[i], outgoing, blocks[k]);
            next.write(outgoing ? others[k] : edgeIds[k], edgeIds[k], data, chunk.offsets[i], chunk.lengths[i]);
        }
    }

    /** Deletes the spill files (an abandoned load). */
    @Override
    public void close() {
        if (byStart != null) {
            byStart.close();
            byStart = null;
        }
    }
}
