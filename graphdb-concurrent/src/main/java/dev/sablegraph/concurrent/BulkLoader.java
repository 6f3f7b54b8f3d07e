package dev.sablegraph.concurrent;

import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.PropertyValues;
import dev.sablegraph.internal.bulk.EdgeBuild;
import dev.sablegraph.internal.bulk.KeySort;
import dev.sablegraph.internal.graph.codec.IndexKeys;
import dev.sablegraph.internal.graph.GraphStore;
import dev.sablegraph.internal.graph.Limits;
import dev.sablegraph.internal.graph.Validation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Offline bulk loading: builds a <em>new</em> database from a stream of nodes and edges, much
 * faster than transactions can, because it has none of their costs. It is:
 *
 * <ul>
 *   <li><b>offline</b>: it creates the directory and holds it locked until {@link #finish()} or
 *       {@link #close()}; nothing else can open the database meanwhile;
 *   <li><b>single-writer</b>: one thread calls it (it is not thread-safe);
 *   <li><b>without a log</b>: nodes and edges go straight to the data file's pages, in the page
 *       cache ({@link GraphConfig#pageCacheBytes()} bounds its memory; pages it needs room for are
 *       written out early), with no transaction, version or log record per entity.
 * </ul>
 *
 * <p>Nodes are stored as they are added, with their label index entries. A new database has no
 * property indexes (nothing is indexed unless asked): create them after {@code finish()} with
 * {@link ConcurrentGraphDB#createIndex}, which builds them online. Index entries of any other
 * kind the store hands out are sorted on disk and added in key order by {@link #finish()}. Edges are written to files in the directory, partitioned
 * by start node, and stored by {@link #finish()} in three passes, by start node, by end node and by
 * edge id, each sorting a chunk of {@link #sortBufferBytes} at a time: every node's record and
 * chains are written in ascending id order, a run of its edges at once, and the edges in id order,
 * whatever order they came in.
 * Memory: the page cache plus the sort buffer (heap); disk: the spill files take about twice the
 * encoded edges (and any sorted index keys) until {@code finish()} deletes them.
 *
 * <p>Node ids are handed out densely from 0 in the order of {@link #addNode} calls, and edge ids
 * likewise, so a loader that knows what it added needs no lookups to name edge endpoints.
 *
 * <p>{@link #finish()} forces the data file, then opens the directory once as a
 * {@link ConcurrentGraphDB}, which takes the store over and checkpoints it: the result is a database
 * in the checkpointed state, which {@link ConcurrentGraphDB#open} accepts with nothing to recover and
 * {@link ConcurrentGraphDB#checkIntegrity()} finds clean. Until {@code finish()} returns the
 * directory is not a database: {@link #close()} without {@code finish()} (a failed load) deletes
 * everything the loader created, and a process that dies during the load leaves a directory that
 * {@code ConcurrentGraphDB.open} reads as an unfinished store, so a loader that must never leave
 * anything openable builds into a temporary directory and renames it when {@code finish()} returns
 * (the {@code sable import} command does).
 *
 * <p>Arguments are checked as {@link Transaction#addNode} and {@link Transaction#addEdge} check
 * them: a refused call ({@link IllegalArgumentException}, or {@link EntityNotFoundException} for an
 * endpoint that was never added) adds nothing and the loader stays usable.
 */
public final class BulkLoader implements AutoCloseable {
    private final Path directory;
    private final boolean createdDirectory;
    private final GraphStore store;
    private final EdgeBuild edgeBuild;
    /** Index keys other than the label index's, added in key order at {@link #finish()}. */
    private final KeySort propertyKeys;
    private long nodes;
    private long edges;
    private boolean finished;
    private boolean closed;

    private BulkLoader(Path directory, boolean createdDirectory, GraphStore store, int sortBytes) {
        this.directory = directory;
        this.createdDirectory = createdDirectory;
        this.store = store;
        this.edgeBuild = new EdgeBuild(store, directory.resolve(SPILL_DIRECTORY), sortBytes);
        // sorting takes about 1.8 times the buffer (an index per key beside it)
        this.propertyKeys = new KeySort(directory.resolve(SPILL_DIRECTORY), "property-keys",
                IndexKeys.PROPERTY_KEY_SIZE, sortBytes / 2);
    }

    /** Where edges wait, sorted by endpoint, until {@link #finish()} stores them. */
    private static final String SPILL_DIRECTORY = "bulk-load-edges";

    /**
     * The heap a loader sorts edges in: a quarter of the page cache, from 8 to 256 MiB (the
     * records of one sort; the arrays beside them take about as much again).
     *
     * @param config the configuration the loader is created with
     * @return the sort buffer in bytes
     */
    public static long sortBufferBytes(GraphConfig config) {
        return Math.max(8L << 20, Math.min(256L << 20, config.pageCacheBytes() / 4));
    }

    /**
     * Starts loading into {@code directory}, which must not exist or be an empty directory.
     *
     * @param directory where the new database is built; created if missing
     * @param config the page cache ({@link GraphConfig#pageCacheBytes()}) bounds the loader's memory
     *        for pages, and sets its sort buffer ({@link #sortBufferBytes}); the page size is the new
     *        database's
     * @return the loader, holding the directory until it finishes or closes
     * @throws IllegalArgumentException when the directory holds anything, or an argument is null
     */
    public static BulkLoader create(Path directory, GraphConfig config) {
        return create(directory, config, (int) (sortBufferBytes(config) / 2));
    }

    /** As {@link #create(Path, GraphConfig)}, sorting edges {@code chunkBytes} at a time (tests make it small). */
    static BulkLoader create(Path directory, GraphConfig config, int chunkBytes) {
        if (directory == null) {
            throw new IllegalArgumentException("directory must not be null");
        }
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        boolean exists = Files.exists(directory);
        if (exists && !isEmptyDirectory(directory)) {
            throw new IllegalArgumentException("directory " + directory
                    + " is not empty: a bulk load builds a new database and never writes into an existing one");
        }
        GraphStore store = GraphStore.open(directory, config);
        return new BulkLoader(directory, !exists, store, chunkBytes);
    }

    private static boolean isEmptyDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /**
     * The directory being built.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * Adds a node; its id is {@link #nodeCount()} before the call. Property values as
     * {@link Transaction#addNode} takes them.
     *
     * @param labels the node's labels, possibly none
     * @param properties the node's properties, possibly none
     * @return the new node's id
     * @throws IllegalArgumentException as {@link Transaction#addNode} throws it
     * @throws IllegalStateException once the loader has finished or closed
     */
    public long addNode(Set<String> labels, Map<String, ?> properties) {
        List<String> names = Validation.labels(labels);
        Limits.labels(names);
        Limits.properties("properties", properties);
        Map<String, Object> props = PropertyValues.normalizeAll("properties", properties);
        checkWritable();
        long id = store.reserveNodeId();
        // Label keys arrive nearly in order (ids ascend) and go in at once; property keys (none
        // while a new database has no schema) would land all over the index, so they wait and go
        // in sorted.
        store.createNodeUnindexed(id, names, props, (labelIndex, key) -> {
            if (labelIndex) {
                store.addIndexKey(true, key);
            } else {
                propertyKeys.add(key);
            }
        });
        nodes++;
        return id;
    }

    /**
     * Adds an edge between two nodes added before; its id is {@link #edgeCount()} before the call.
     *
     * @throws EntityNotFoundException when {@code from} or {@code to} is not the id of an added node
     * @param from the id of the node the edge leaves
     * @param to the id of the node the edge enters
     * @param type the edge's type, non-null and non-empty
     * @param properties the edge's properties, possibly none
     * @return the new edge's id
     * @throws IllegalArgumentException as {@link Transaction#addEdge} throws it
     * @throws IllegalStateException once the loader has finished or closed
     */
    public long addEdge(long from, long to, String type, Map<String, ?> properties) {
        Validation.name("type", type);
        Limits.properties("properties", properties);
        Map<String, Object> props = PropertyValues.normalizeAll("properties", properties);
        checkWritable();
        requireNode(from);
        requireNode(to);
        long id = store.reserveEdgeId();
        edgeBuild.add(id, store.newEdgeRecord(from, to, type, props), nodes);
        edges++;
        return id;
    }

    private void requireNode(long id) {
        // Ids are dense and nothing is deleted: the ids below the count are exactly the nodes.
        if (id < 0 || id >= nodes) {
            throw new EntityNotFoundException("node " + id + " does not exist (" + nodes + " nodes added so far)");
        }
    }

    /**
     * The steps {@link #finish(LongConsumer)} counts: each sorted index entry, added in key order,
     * and each edge three times (linked at its start node, linked at its end node, stored).
     *
     * @return the number of steps
     */
    public long finishSteps() {
        return propertyKeys.count() + 3 * edges;
    }

    /**
     * Nodes added so far.
     *
     * @return the number of nodes
     */
    public long nodeCount() {
        return nodes;
    }

    /**
     * Edges added so far.
     *
     * @return the number of edges
     */
    public long edgeCount() {
        return edges;
    }

    /**
     * Completes the database: forces the data file, takes it over as a {@link ConcurrentGraphDB}
     * (one checkpoint) and releases the directory. Afterwards {@code ConcurrentGraphDB.open}
     * opens it; the loader can only be closed (which then does nothing).
     */
    public void finish() {
        finish(done -> { });
    }

    /**
     * {@link #finish()}, telling {@code progress} from time to time how many of its
     * {@link #finishSteps()} steps are done. Forcing the file and the checkpoint follow the last step.
     *
     * @param progress receives the steps done so far
     * @throws IllegalArgumentException when {@code progress} is null
     * @throws IllegalStateException once the loader has finished or closed
     */
    public void finish(LongConsumer progress) {
        if (progress == null) {
            throw new IllegalArgumentException("progress must not be null");
        }
        checkWritable();
        closed = true;
        boolean storeClosed = false;
        try {
            long indexSteps = propertyKeys.count();
            propertyKeys.drain(key -> store.addIndexKey(false, key), progress);
            edgeBuild.build(nodes, done -> progress.accept(indexSteps + done));
            Path spill = directory.resolve(SPILL_DIRECTORY);
            if (Files.exists(spill)) {
                deleteContents(spill, true);
            }
            storeClosed = true; // whatever close throws, it releases the directory
            store.close(); // flushes and forces every page, then releases the directory lock
            // Opening takes the store over (its data file says from now on that it has a log) and
            // checkpoints; closing checkpoints again, with nothing left to write.
            ConcurrentGraphDB.open(directory, GraphConfig.builder().pageCacheBytes(16L << 20).build()).close();
            finished = true;
        } catch (RuntimeException | Error e) {
            try {
                if (!storeClosed) {
                    propertyKeys.close();
                    edgeBuild.close();
                    store.closeWithoutFlush();
                }
                deleteContents(directory, createdDirectory);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Releases the directory. Without a {@link #finish()} before, the load is abandoned: nothing is
     * written any more and every file the loader created is deleted (the directory too, when the
     * loader created it). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            propertyKeys.close();
            edgeBuild.close();
        } finally {
            store.closeWithoutFlush();
            deleteContents(directory, createdDirectory);
        }
    }

    private void checkWritable() {
        if (closed) {
            throw new IllegalStateException("bulk loader for " + directory + (finished ? " has finished" : " is closed"));
        }
    }

    /** Deletes what a directory holds, and the directory itself when {@code itself}. */
    private static void deleteContents(Path directory, boolean itself) {
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    if (itself || !dir.equals(directory)) {
                        Files.delete(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the abandoned bulk load in " + directory, e);
        }
    }
}
