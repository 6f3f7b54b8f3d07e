package dev.sablegraph.jmh.peers;

import dev.sablegraph.jmh.DatasetShape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;

/**
 * The Neo4j store of {@link DatasetShape}, built once and kept under
 * {@code ${sable.bench.peers.datasets}} (default {@code ${java.io.tmpdir}/sable-peers-bench}) in a
 * directory named after the Neo4j version, the indexed keys and a fingerprint of the dataset's
 * definition: a changed shape or Neo4j version builds afresh. Complete once its marker file exists
 * (built under another name, then moved in place). Benchmarks copy it ({@link #copyTree}) and write
 * only to the copy. {@code java -cp peers-benchmarks.jar dev.sablegraph.jmh.peers.Neo4jDataset clean}
 * deletes the cache; {@code ... build} builds it.
 *
 * <p>The build adds the nodes in index order (10,000 per transaction), then the edges in source
 * order (the edges of 10,000 sources per transaction), then the range indexes, and waits until
 * they are online; the store is shut down cleanly (checkpointed) before it is published.
 */
public final class Neo4jDataset {
    static final String COMPLETE = "DATASET_COMPLETE";
    static final String NEO4J_VERSION = neo4jVersion();
    private static final int BATCH = 10_000;

    private Neo4jDataset() {}

    static Path root() {
        return Path.of(System.getProperty("sable.bench.peers.datasets",
                Path.of(System.getProperty("java.io.tmpdir"), "sable-peers-bench").toString()));
    }

    /** The property keys that get a range index: the same as Sable's dataset ({@link DatasetShape#indexedKeys()}). */
    static List<String> indexedKeys() {
        return DatasetShape.indexedKeys();
    }

    static synchronized Path prepare() throws IOException {
        Path root = root();
        Files.createDirectories(root);
        String key = "neo4j-" + NEO4J_VERSION + "-n" + DatasetShape.NODES + "-e" + DatasetShape.EDGES_PER_NODE
                + "-idx_" + String.join("_", indexedKeys()) + "-" + fingerprint();
        Path dir = root.resolve(key);
        if (Files.exists(dir.resolve(COMPLETE))) {
            return dir;
        }
        deleteRecursively(dir);
        Path building = root.resolve(key + ".building");
        deleteRecursively(building);
        Files.createDirectories(building);
        long t0 = System.nanoTime();
        String stats = build(building);
        deleteRecursively(building.resolve("logs")); // the build's debug.log: each trial starts its own
        Files.writeString(building.resolve(COMPLETE), stats + ", total " + (System.nanoTime() - t0) / 1_000_000 + " ms\n");
        Files.move(building, dir, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("%n[neo4j dataset] built %s (%s)%n", dir, Files.readString(dir.resolve(COMPLETE)).trim());
        return dir;
    }

    private static String build(Path home) {
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.pagecache_memory, Neo4jConcurrentThroughput.PAGE_CACHE_BYTES)
                // The build's own log is of no use to the benchmarks: keep the copied store small.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .build();
        try {
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            int n = DatasetShape.NODES;
            long[] ids = new long[n];
            long t0 = System.nanoTime();
            for (int from = 0; from < n; from += BATCH) {
                try (Transaction tx = db.beginTx()) {
                    for (int i = from; i < Math.min(n, from + BATCH); i++) {
                        Node node = tx.createNode(Neo4jConcurrentThroughput.PERSON);
                        for (Map.Entry<String, Object> p : DatasetShape.properties(i).entrySet()) {
                            node.setProperty(p.getKey(), p.getValue());
                        }
                        ids[i] = node.getId();
                    }
                    tx.commit();
                }
            }
            long t1 = System.nanoTime();
            long edges = 0;
            for (int from = 0; from < n; from += BATCH) {
                try (Transaction tx = db.beginTx()) {
                    for (int i = from; i < Math.min(n, from + BATCH); i++) {
                        Node a = tx.getNodeById(ids[i]);
                        for (int k = 1; k <= DatasetShape.EDGES_PER_NODE; k++) {
                            a.createRelationshipTo(tx.getNodeById(ids[DatasetShape.edgeTarget(i, k)]),
                                    Neo4jConcurrentThroughput.KNOWS);
                            edges++;
                        }
                    }
                    tx.commit();
                }
            }
            long t2 = System.nanoTime();
            try (Transaction tx = db.beginTx()) {
                for (String key : indexedKeys()) {
                    tx.schema().indexFor(Neo4jConcurrentThroughput.PERSON).on(key).withName("person_" + key).create();
                }
                tx.commit();
            }
            try (Transaction tx = db.beginTx()) {
                tx.schema().awaitIndexesOnline(30, TimeUnit.MINUTES);
            }
            long t3 = System.nanoTime();
            return String.format("Neo4j %s: %d nodes in %.1f s, %d edges in %.1f s, indexes %s online in %.1f s",
                    NEO4J_VERSION, n, (t1 - t0) / 1e9, edges, (t2 - t1) / 1e9, indexedKeys(), (t3 - t2) / 1e9);
        } finally {
            dbms.shutdown();
        }
    }

    /** A CRC of everything {@link DatasetShape} defines, so a changed definition builds a new store. */
    static String fingerprint() {
        CRC32 crc = new CRC32();
        crc.update((DatasetShape.LABEL + "|" + DatasetShape.EDGE_TYPE).getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < DatasetShape.NODES; i++) {
            crc.update(new java.util.TreeMap<>(DatasetShape.properties(i)).toString().getBytes(StandardCharsets.UTF_8));
            for (int k = 1; k <= DatasetShape.EDGES_PER_NODE; k++) {
                int t = DatasetShape.edgeTarget(i, k);
                crc.update(t);
                crc.update(t >>> 8);
                crc.update(t >>> 16);
            }
        }
        return Long.toHexString(crc.getValue());
    }

    private static String neo4jVersion() {
        try (InputStream in = Neo4jDataset.class.getResourceAsStream("peers.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("neo4j.version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies a prepared store (every file but the marker) into {@code to} and forces every copied
     * file: otherwise the kernel writes the ~600 MiB copy (mostly the preallocated transaction logs)
     * back during the measurement, and Neo4j's log forces compete with it.
     */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals(COMPLETE)) {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** {@code build}: builds (or reuses) the store and prints where it is; {@code clean}: deletes the cache. */
    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("clean")) {
            deleteRecursively(root());
            System.out.println("deleted " + root());
        } else if (args.length == 1 && args[0].equals("build")) {
            Path dir = prepare();
            System.out.printf("%s: %s, %.1f MiB%n", dir, Files.readString(dir.resolve(COMPLETE)).trim(),
                    sizeOf(dir) / 1048576.0);
        } else {
            System.err.println("usage: Neo4jDataset build | clean");
            System.exit(2);
        }
    }
}
