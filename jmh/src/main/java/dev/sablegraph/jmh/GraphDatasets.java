package dev.sablegraph.jmh;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.graph.UnloggedGraph;
import dev.sablegraph.internal.storage.DirectoryLock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The graphs {@link GraphBenchmark} reads: {@code n} nodes, node {@code i} labelled
 * {@code "L" + (i % 10)} with properties {@code name = "n" + i}, {@code group = (long) (i % 1000)}
 * and a pseudo-random {@code score}, and {@value #EDGES_PER_NODE} outgoing {@code "LINK"} edges
 * per node to pseudo-random targets (fixed seed {@value #SEED}), added after all nodes.
 *
 * <p>Building the 1M-node graph takes minutes and JMH forks a JVM per benchmark, so a built graph
 * is kept under {@code ${sable.bench.datasets}} (default {@code ${java.io.tmpdir}/sable-graph-bench})
 * in a directory named after the node count and a digest of the jar holding {@link UnloggedGraph}: a
 * rebuilt jar (possibly a changed file format) builds afresh and drops the graphs of other jars.
 * A graph counts as built once its {@value #MARKER} file exists; that file also records how long
 * the build took. Benchmarks must open the cached graph read-only in spirit: writers work on a
 * {@link #copyOf copy}. Remove the cache after a run with
 * {@code rm -rf /tmp/sable-graph-bench} (or {@code java -cp benchmarks.jar
 * dev.sablegraph.jmh.GraphDatasets clean}).
 */
public final class GraphDatasets {
    public static final int LABELS = 10;
    public static final int GROUPS = 1000;
    public static final int EDGES_PER_NODE = 5;
    public static final long SEED = 42L;
    public static final String EDGE_TYPE = "LINK";
    static final String MARKER = "dataset.properties";
    private static final String[] LABEL_NAMES = new String[LABELS];
    private static final Set<String>[] LABEL_SETS;

    static {
        @SuppressWarnings("unchecked")
        Set<String>[] sets = new Set[LABELS];
        for (int i = 0; i < LABELS; i++) {
            LABEL_NAMES[i] = "L" + i;
            sets[i] = Set.of(LABEL_NAMES[i]);
        }
        LABEL_SETS = sets;
    }

    private GraphDatasets() {}

    public static String label(long i) {
        return LABEL_NAMES[(int) (i % LABELS)];
    }

    /** What a build measured, as stored in the marker file. */
    public record BuildStats(long nodes, long edges, long nodeNanos, long edgeNanos, long flushNanos, long fileBytes) {
        double nodesPerSecond() {
            return nodes / (nodeNanos / 1e9);
        }

        double edgesPerSecond() {
            return edges / (edgeNanos / 1e9);
        }

        @Override
        public String toString() {
            return String.format("nodes=%d in %.1f s (%.0f nodes/s), edges=%d in %.1f s (%.0f edges/s), "
                            + "flush %.1f s, total %.1f s, file %.1f MiB",
                    nodes, nodeNanos / 1e9, nodesPerSecond(), edges, edgeNanos / 1e9, edgesPerSecond(),
                    flushNanos / 1e9, (nodeNanos + edgeNanos + flushNanos) / 1e9, fileBytes / 1048576.0);
        }
    }

    public static Path root() {
        return Path.of(System.getProperty("sable.bench.datasets",
                Path.of(System.getProperty("java.io.tmpdir"), "sable-graph-bench").toString()));
    }

    /**
     * The directory of the built graph with {@code nodes} nodes, building it first when no complete
     * one is cached. The build uses {@code config}; the caller reopens the directory itself.
     */
    public static Path prepare(int nodes, GraphConfig config) throws IOException {
        String key = "n" + nodes + "-" + codeDigest();
        Path root = root();
        Files.createDirectories(root);
        Path dir = root.resolve(key);
        // Datasets of other jars are stale: free their disk space (also those of other benchmarks
        // keyed "<name>-<digest>", and their ".building" directories).
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().contains("-" + codeDigest())) {
                    deleteRecursively(p);
                }
            }
        }
        if (Files.exists(dir.resolve(MARKER))) {
            System.out.printf("%n[dataset] reusing %s: %s%n", dir, readStats(dir));
            return dir;
        }
        deleteRecursively(dir);
        Path building = root.resolve(key + ".building");
        deleteRecursively(building);
        Files.createDirectories(building);
        BuildStats stats = build(building, nodes, config);
        writeStats(building, stats);
        Files.move(building, dir, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("%n[dataset] built %s: %s%n", dir, stats);
        return dir;
    }

    /** Builds the graph into an empty directory and closes it. */
    public static BuildStats build(Path dir, int n, GraphConfig config) {
        long t0 = System.nanoTime();
        long tick = t0;
        long nodeNanos;
        long edgeNanos;
        long flushNanos;
        long edges = 0;
        try (UnloggedGraph db = UnloggedGraph.open(dir, config)) {
            for (int l = 0; l < LABELS; l++) {
                db.createIndex(label(l), "group"); // what findByProperty looks up
            }
            SplittableRandom rnd = new SplittableRandom(SEED);
            for (int i = 0; i < n; i++) {
                long id = db.addNode(LABEL_SETS[i % LABELS],
                        Map.of("name", "n" + i, "group", (long) (i % GROUPS), "score", rnd.nextDouble()));
                if (id != i) {
                    throw new IllegalStateException("expected node ids 0.." + (n - 1) + " in order, got " + id + " for " + i);
                }
                if ((i + 1) % 100_000 == 0) {
                    long now = System.nanoTime();
                    System.out.printf("[dataset] %d nodes, %.0f nodes/s over the last 100000%n", i + 1, 100_000 / ((now - tick) / 1e9));
                    tick = now;
                }
            }
            long t1 = System.nanoTime();
            nodeNanos = t1 - t0;
            tick = t1;
            for (int i = 0; i < n; i++) {
                for (int e = 0; e < EDGES_PER_NODE; e++) {
                    db.addEdge(i, rnd.nextInt(n), EDGE_TYPE, Map.of());
                    edges++;
                    if (edges % 500_000 == 0) {
                        long now = System.nanoTime();
                        System.out.printf("[dataset] %d edges, %.0f edges/s over the last 500000 (page cache %s)%n",
                                edges, 500_000 / ((now - tick) / 1e9), db.pageCacheMetrics());
                        tick = now;
                    }
                }
            }
            long t2 = System.nanoTime();
            edgeNanos = t2 - t1;
            db.flush();
            flushNanos = System.nanoTime() - t2;
            System.out.printf("[dataset] page cache after build: %s hitRatio=%.4f%n",
                    db.pageCacheMetrics(), db.pageCacheMetrics().hitRatio());
        }
        return new BuildStats(n, edges, nodeNanos, edgeNanos, flushNanos, directorySize(dir));
    }

    /** A private copy of a prepared graph for benchmarks that write. */
    public static Path copyOf(Path dataset) throws IOException {
        Path copy = Files.createTempDirectory("sable-graph-bench-copy");
        try (Stream<Path> files = Files.list(dataset)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (Files.isRegularFile(f) && !name.equals(MARKER) && !name.equals(DirectoryLock.FILE_NAME)) {
                    Files.copy(f, copy.resolve(name));
                }
            }
        }
        return copy;
    }

    public static BuildStats readStats(Path dir) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(MARKER))) {
            p.load(in);
        }
        return new BuildStats(Long.parseLong(p.getProperty("nodes")), Long.parseLong(p.getProperty("edges")),
                Long.parseLong(p.getProperty("nodeNanos")), Long.parseLong(p.getProperty("edgeNanos")),
                Long.parseLong(p.getProperty("flushNanos")), Long.parseLong(p.getProperty("fileBytes")));
    }

    private static void writeStats(Path dir, BuildStats s) throws IOException {
        Properties p = new Properties();
        p.setProperty("nodes", Long.toString(s.nodes()));
        p.setProperty("edges", Long.toString(s.edges()));
        p.setProperty("nodeNanos", Long.toString(s.nodeNanos()));
        p.setProperty("edgeNanos", Long.toString(s.edgeNanos()));
        p.setProperty("flushNanos", Long.toString(s.flushNanos()));
        p.setProperty("fileBytes", Long.toString(s.fileBytes()));
        try (var out = Files.newOutputStream(dir.resolve(MARKER))) {
            p.store(out, "GraphDatasets build; " + s);
        }
    }

    public static long directorySize(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String digest;

    /** A short digest of the jar (or class directory name) that holds UnloggedGraph. */
    static synchronized String codeDigest() {
        if (digest != null) {
            return digest;
        }
        try {
            Path src = Path.of(UnloggedGraph.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (Files.isRegularFile(src)) {
                try (InputStream in = Files.newInputStream(src)) {
                    byte[] buf = new byte[1 << 16];
                    for (int r; (r = in.read(buf)) > 0; ) {
                        md.update(buf, 0, r);
                    }
                }
            } else {
                // Classes in a directory (an IDE run): key on the path only; delete the cache by hand.
                md.update(src.toString().getBytes(StandardCharsets.UTF_8));
            }
            digest = HexFormat.of().formatHex(md.digest(), 0, 6);
            return digest;
        } catch (IOException | URISyntaxException | NoSuchAlgorithmException | RuntimeException e) {
            digest = "nodigest";
            return digest;
        }
    }

    /** {@code clean}: deletes the dataset cache. {@code build N}: builds (or reuses) the N-node graph. */
    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("clean")) {
            deleteRecursively(root());
            System.out.println("deleted " + root());
        } else if (args.length == 2 && args[0].equals("build")) {
            prepare(Integer.parseInt(args[1]), GraphBenchmark.config());
        } else {
            System.err.println("usage: GraphDatasets clean | build <nodes>");
            System.exit(2);
        }
    }
}
