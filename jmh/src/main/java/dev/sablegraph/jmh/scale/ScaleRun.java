package dev.sablegraph.jmh.scale;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.jmh.charts.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How cost grows with size: bulk load of {@code N} nodes with {@value #DEFAULT_EDGES_PER_NODE} edges
 * each through the public API, then, after a close and reopen (cold page cache), random
 * {@code getNode} latency on one thread and throughput on two, and the process's memory against
 * the configured page cache.
 *
 * <pre>
 * java -Xmx1g -XX:MaxDirectMemorySize=160m -cp jmh/target/benchmarks.jar dev.sablegraph.jmh.scale.ScaleRun \
 *     --nodes 1000000 --cache-mb 128 --dir /tmp/scale-data/n1000000 [--json out.json] [--durability SYNC|ASYNC]
 *     [--batch 2000] [--warmup-seconds 10] [--measure-seconds 20] [--threads 2] [--load-only] [--note TEXT]
 *     [--max-load-seconds S] [--max-load-ops K] [--node-cache-entries N] [--read-incomplete]
 *     [--read-imported] [--verify]
 * </pre>
 *
 * <p><b>Dataset</b> (seeded, {@value #SEED}): node {@code i} has label {@code "L" + i % 10} and the
 * properties {@code name = "n" + i}, {@code group = (long) i % 1000}, {@code score} (random double);
 * then, in source order, each node gets {@code edgesPerNode} outgoing {@code LINK} edges to uniformly
 * random <em>other</em> nodes. Transactions of {@code --batch} operations each (nodes first, then
 * edges), committed with the configured durability. A directory whose load completed (marker file
 * {@value #MARKER}, written after a clean close) is reused, with the load figures it recorded.
 * A load can be stopped and resumed: each batch's transaction also records the progress in one node
 * labelled {@value #PROGRESS_LABEL} (so progress and data commit together); {@code --max-load-seconds S},
 * {@code --max-load-ops K} or a file {@code STOP} in the directory stop it after the current insert
 * (the open batch is committed, the database closed cleanly), and rerunning the same command
 * resumes it, replaying the seeded random stream to where it stopped. Rates are over the
 * accumulated loading time of all sessions. Reads are measured only once the load is complete, or,
 * with {@code --read-incomplete} (which does not load), on a stopped load once all its nodes are in
 * (flagged {@code readOnIncompleteLoad} in the result). Loading needs a heap above half the page
 * cache: a checkpoint copies up to that many dirty pages onto the heap.
 *
 * <p><b>Imported</b>: {@code --read-imported} reads a database that {@code sable import} built from
 * {@link ScaleCsv}'s files of the same dataset (node {@code i} is node id {@code i}; checked: nodes
 * {@code 0} and {@code N - 1} are there with their names, node {@code N} is not) instead of loading
 * one, with the same read phases; the result's {@code load} is {@code {"imported": true, ...}}. The
 * Neo4j peer of these reads is {@code Neo4jScaleReads} in jmh-peers. {@code --verify} (with a
 * ScaleRun load or an imported one) checks the whole graph against the dataset instead of measuring
 * reads: every node's labels and properties and its outgoing edges.
 *
 * <p><b>Reads</b> ({@link ScaleReads}, shared with the Neo4j peer): a read is begin, {@code getNode}
 * of a uniformly random node, read its properties (the name is checked against the id), close. Each read is timed with {@link System#nanoTime()}
 * around the whole transaction and recorded in a {@link LatencyHistogram} (no sampling: every read).
 * Phases: warm-up ({@code --warmup-seconds}, reported separately: the cold start), then one thread
 * for {@code --measure-seconds}, then {@code --threads} threads for as long. Only the page cache is
 * cold after the reopen: the operating system may still cache the file ({@code diskReadBytes} from
 * {@code /proc/self/io} tells how many bytes really came from the device).
 *
 * <p><b>Memory</b>: {@code VmRSS} and {@code VmHWM} from {@code /proc/self/status} after each phase,
 * against the configured page cache, the heap limit ({@code -Xmx}) and {@code -XX:MaxDirectMemorySize};
 * overhead = RSS - page cache. Run each size in a fresh JVM with explicit limits.
 *
 * <p>Output: progress on stdout, then one JSON object on a line starting with {@code RESULT }; the
 * same object is written to {@code --json FILE}.
 */
public final class ScaleRun {
    static final int DEFAULT_EDGES_PER_NODE = 5;
    static final long SEED = ScaleDataset.SEED;
    static final String MARKER = "scale-load.properties";
    static final String STARTED = "scale-load.started";
    static final String EDGE_TYPE = ScaleDataset.EDGE_TYPE;
    private static final int LABELS = ScaleDataset.LABELS;

    private ScaleRun() {}

    /** Command-line settings. */
    record Options(long nodes, int edgesPerNode, long cacheBytes, Path dir, Durability durability, int batch,
            double warmupSeconds, double measureSeconds, int threads, Path json, boolean loadOnly, String note,
            double maxLoadSeconds, long maxLoadOps, long nodeCacheEntries, boolean readIncomplete, boolean readImported,
            boolean verify, long checkpointLogBytes) {

        static Options parse(String[] args) {
            long nodes = -1;
            int edgesPerNode = DEFAULT_EDGES_PER_NODE;
            long cacheMb = GraphConfig.DEFAULT_PAGE_CACHE_BYTES >> 20;
            Path dir = null;
            Durability durability = Durability.SYNC;
            int batch = 2000;
            double warmup = 10;
            double measure = 20;
            int threads = 2;
            Path json = null;
            boolean loadOnly = false;
            String note = "";
            double maxLoad = 0;
            long maxOps = 0;
            long nodeCache = -1;
            boolean readIncomplete = false;
            boolean readImported = false;
            boolean verify = false;
            long checkpointLogMb = 0;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--nodes" -> nodes = parseCount(value(args, ++i, a));
                    case "--edges-per-node" -> edgesPerNode = Integer.parseInt(value(args, ++i, a));
                    case "--cache-mb" -> cacheMb = Long.parseLong(value(args, ++i, a));
                    case "--dir" -> dir = Path.of(value(args, ++i, a));
                    case "--durability" -> durability = Durability.valueOf(value(args, ++i, a).toUpperCase(Locale.ROOT));
                    case "--batch" -> batch = Integer.parseInt(value(args, ++i, a));
                    case "--warmup-seconds" -> warmup = Double.parseDouble(value(args, ++i, a));
                    case "--measure-seconds" -> measure = Double.parseDouble(value(args, ++i, a));
                    case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                    case "--json" -> json = Path.of(value(args, ++i, a));
                    case "--load-only" -> loadOnly = true;
                    case "--note" -> note = value(args, ++i, a);
                    case "--max-load-seconds" -> maxLoad = Double.parseDouble(value(args, ++i, a));
                    case "--max-load-ops" -> maxOps = parseCount(value(args, ++i, a));
                    case "--node-cache-entries" -> nodeCache = parseCount(value(args, ++i, a));
                    case "--read-incomplete" -> readIncomplete = true;
                    case "--read-imported" -> readImported = true;
                    case "--verify" -> verify = true;
                    case "--checkpoint-log-mb" -> {
                        checkpointLogMb = Long.parseLong(value(args, ++i, a));
                        if (checkpointLogMb <= 0) {
                            throw new IllegalArgumentException("--checkpoint-log-mb must be positive, was " + checkpointLogMb);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + a + " (use --nodes, "
                            + "--edges-per-node, --cache-mb, --dir, --durability, --batch, --warmup-seconds, "
                            + "--measure-seconds, --threads, --json, --load-only, --max-load-seconds, --max-load-ops, "
                            + "--node-cache-entries, --read-incomplete, --read-imported, --verify, --note, "
                            + "--checkpoint-log-mb)");
                }
            }
            if (nodes < 2 || dir == null) {
                throw new IllegalArgumentException("--nodes N (at least 2) and --dir DIR are required");
            }
            if (nodes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("--nodes at most " + Integer.MAX_VALUE);
            }
            if (batch < 1 || edgesPerNode < 0 || threads < 1 || warmup < 0 || measure <= 0) {
                throw new IllegalArgumentException("--batch and --threads must be positive, --edges-per-node and "
                        + "--warmup-seconds not negative, --measure-seconds positive");
            }
            if (readImported && (loadOnly || readIncomplete)) {
                throw new IllegalArgumentException("--read-imported reads a database ScaleRun did not load: "
                        + "not with --load-only or --read-incomplete");
            }
            return new Options(nodes, edgesPerNode, cacheMb << 20, dir, durability, batch, warmup, measure, threads,
                    json, loadOnly, note, maxLoad, maxOps, nodeCache, readIncomplete, readImported, verify,
                    checkpointLogMb << 20);
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }

        GraphConfig config() {
            GraphConfig.Builder b = GraphConfig.builder().pageCacheBytes(cacheBytes).durability(durability);
            if (nodeCacheEntries >= 0) {
                b.nodeCacheEntries(nodeCacheEntries);
            }
            if (checkpointLogBytes > 0) {
                b.checkpointLogBytes(checkpointLogBytes); // also what makes the spill file due for a checkpoint, if above the cache size
            }
            return b.build();
        }
    }

    /** {@code 100000}, {@code 100K}, {@code 1M}, {@code 10M}. */
    public static long parseCount(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT).replace("_", "");
        long mult = 1;
        if (t.endsWith("K")) {
            mult = 1_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("M")) {
            mult = 1_000_000;
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * mult;
    }

    public static void main(String[] args) throws Exception {
        run(args);
    }

    /** Runs and returns the result object (also printed and written to {@code --json}). */
    static Map<String, Object> run(String[] args) throws Exception {
        Options o = Options.parse(args);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "ScaleRun");
        result.put("formatVersion", 1L);
        result.put("timestamp", Instant.now().toString());
        result.put("note", o.note());
        result.put("nodes", o.nodes());
        result.put("edgesPerNode", (long) o.edgesPerNode());
        result.put("edges", o.nodes() * o.edgesPerNode());
        result.put("seed", SEED);
        result.put("pageCacheBytes", o.cacheBytes());
        result.put("durability", o.durability().name());
        result.put("batch", (long) o.batch());
        result.put("checkpointLogBytes", o.config().checkpointLogBytes());
        result.put("nodeCacheEntries", o.config().nodeCacheEntries());
        result.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        result.put("cores", (long) Runtime.getRuntime().availableProcessors());
        result.put("jvmLimits", jvmLimits());
        log("start: %s, loadavg %s", o, loadavg());
        if (o.readImported()) {
            readImported(o, result);
            return finish(o, result);
        }
        if (!Files.exists(o.dir().resolve(MARKER)) && !o.readIncomplete()
                && Runtime.getRuntime().maxMemory() < o.cacheBytes() / 2 + (256L << 20)) {
            log("WARNING: loading with -Xmx %s and a %s page cache: a checkpoint copies up to half the cache's pages "
                    + "onto the heap, so the heap should exceed half the cache plus about 256 MiB", mib(Runtime.getRuntime().maxMemory()),
                    mib(o.cacheBytes()));
        }

        Properties loaded = loadIfNeeded(o);
        Map<String, Object> load = new LinkedHashMap<>();
        for (String k : new java.util.TreeSet<>(loaded.stringPropertyNames())) {
            String v = loaded.getProperty(k);
            load.put(k, looksNumeric(v) ? (Object) Double.parseDouble(v) : v);
        }
        result.put("load", load);
        result.put("dataBytes", directorySize(o.dir()));
        result.put("files", fileSizes(o.dir()));
        result.put("memoryAfterLoad", memory(o.cacheBytes()));

        boolean complete = "true".equals(loaded.getProperty("complete"));
        result.put("complete", complete);
        boolean allNodes = Long.parseLong(loaded.getProperty("nodesLoaded", loaded.getProperty("nodes"))) == o.nodes();
        if (!o.loadOnly() && (complete || (o.readIncomplete() && allNodes))) {
            if (!complete) {
                log("load incomplete (%s of %s edges): measuring reads anyway (--read-incomplete)",
                        loaded.getProperty("edgesLoaded"), loaded.getProperty("edges"));
                result.put("readOnIncompleteLoad", true);
            }
            long base = Long.parseLong(loaded.getProperty("firstNodeId"));
            readPhases(o, base, result);
        } else if (!complete) {
            log("load incomplete: no read measurements (rerun the same command to resume the load; "
                    + "--read-incomplete measures reads once all nodes are in)");
        }
        return finish(o, result);
    }

    /**
     * {@code --read-imported}: the dataset as {@link ScaleCsv} writes it, imported by {@code sable
     * import} (node {@code i} has id {@code i}); read (or {@code --verify}) without loading.
     */
    private static void readImported(Options o, Map<String, Object> result) throws Exception {
        if (!Files.exists(o.dir().resolve("data.sable"))) {
            throw new IllegalStateException(o.dir() + " holds no database (no data.sable): import one with sable import");
        }
        if (Files.exists(o.dir().resolve(MARKER)) || Files.exists(o.dir().resolve(STARTED))) {
            throw new IllegalStateException(o.dir() + " holds a load of ScaleRun's own: read it without --read-imported");
        }
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("imported", true);
        load.put("firstNodeId", 0L);
        result.put("load", load);
        result.put("dataBytes", directorySize(o.dir()));
        result.put("files", fileSizes(o.dir()));
        result.put("complete", true);
        readPhases(o, 0, result);
    }

    private static Map<String, Object> finish(Options o, Map<String, Object> result) throws IOException {
        report(result, o.cacheBytes(), o.json());
        return result;
    }

    /**
     * Ends a result as ScaleRun does: adds {@code loadavgEnd} and {@code memory}, prints it on a line
     * starting with {@code RESULT }, writes it to {@code json} (unless null) and prints the summary.
     * A result without a load of ScaleRun's own has {@code load.imported = true}.
     */
    public static void report(Map<String, Object> result, long cacheBytes, Path json) throws IOException {
        result.put("loadavgEnd", loadavg());
        result.put("memory", memory(cacheBytes));
        String line = Json.write(result);
        System.out.println("RESULT " + line);
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(json, line + "\n");
            log("wrote %s", json);
        }
        summary(result);
    }

    private static boolean looksNumeric(String v) {
        return v.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
    }

    // ---- load ----

    /**
     * The load's recorded figures: loads (or resumes a stopped load) unless a complete load of the
     * same dataset is there. {@code complete=false} in the result when this session stopped early.
     */
    static Properties loadIfNeeded(Options o) throws IOException {
        Path marker = o.dir().resolve(MARKER);
        if (Files.exists(marker)) {
            Properties p = readProperties(marker);
            if (Long.parseLong(p.getProperty("nodes")) == o.nodes()
                    && Long.parseLong(p.getProperty("edgesPerNode")) == o.edgesPerNode()
                    && Long.parseLong(p.getProperty("seed")) == SEED) {
                log("reusing the complete load in %s (loaded %s)", o.dir(), p.getProperty("finished"));
                p.setProperty("reused", "true");
                p.setProperty("complete", "true");
                return p;
            }
            throw new IllegalStateException(o.dir() + " holds another dataset (" + p + "): use another --dir");
        }
        boolean resume = false;
        if (Files.isDirectory(o.dir())) {
            boolean ours = Files.exists(o.dir().resolve(STARTED));
            try (Stream<Path> s = Files.list(o.dir())) {
                if (s.findAny().isPresent() && !ours) {
                    throw new IllegalStateException(o.dir() + " is not empty and holds no ScaleRun load: refusing to touch it");
                }
            }
            if (ours) {
                Properties started = readProperties(o.dir().resolve(STARTED));
                resume = String.valueOf(o.nodes()).equals(started.getProperty("nodes"))
                        && String.valueOf(o.edgesPerNode()).equals(started.getProperty("edgesPerNode"))
                        && String.valueOf(SEED).equals(started.getProperty("seed"));
                if (!resume) {
                    log("%s holds an incomplete load of another dataset or an older format: deleting it", o.dir());
                    deleteContents(o.dir());
                }
            }
        }
        if (!resume) {
            Files.createDirectories(o.dir());
            Properties started = new Properties();
            started.setProperty("nodes", Long.toString(o.nodes()));
            started.setProperty("edgesPerNode", Integer.toString(o.edgesPerNode()));
            started.setProperty("seed", Long.toString(SEED));
            started.setProperty("started", Instant.now().toString());
            try (OutputStream out = Files.newOutputStream(o.dir().resolve(STARTED))) {
                started.store(out, "ScaleRun load in progress: progress is kept in the database (label "
                        + PROGRESS_LABEL + "); rerun the same command to resume");
            }
        }
        Properties p = load(o, resume);
        p.setProperty("reused", "false");
        if (p.getProperty("complete").equals("true")) {
            try (OutputStream out = Files.newOutputStream(marker)) {
                p.store(out, "ScaleRun load, complete");
            }
            Files.delete(o.dir().resolve(STARTED));
        }
        return p;
    }

    /** Label of the one node holding the load's progress, updated in every load transaction. */
    static final String PROGRESS_LABEL = "ScaleRunProgress";

    /** Where a load stands; kept as properties of the progress node, so it commits with each batch. */
    private static final class LoadState {
        long progressId = -1;
        long base = -1;
        long nodesLoaded;
        long edgesLoaded;
        long nodeNanos;
        long edgeNanos;
        long commits;
        long sessions;

        Map<String, Object> asProperties() {
            return Map.of("base", base, "nodesLoaded", nodesLoaded, "edgesLoaded", edgesLoaded, "nodeNanos", nodeNanos,
                    "edgeNanos", edgeNanos, "commits", commits, "sessions", sessions);
        }

        static LoadState of(Node n) {
            LoadState s = new LoadState();
            s.progressId = n.id();
            Map<String, Object> p = n.properties();
            s.base = (Long) p.get("base");
            s.nodesLoaded = (Long) p.get("nodesLoaded");
            s.edgesLoaded = (Long) p.get("edgesLoaded");
            s.nodeNanos = (Long) p.get("nodeNanos");
            s.edgeNanos = (Long) p.get("edgeNanos");
            s.commits = (Long) p.get("commits");
            s.sessions = (Long) p.get("sessions");
            return s;
        }
    }

    /**
     * Tells the load loop to stop (before its next insert): after {@code --max-load-seconds} or
     * {@code --max-load-ops} inserts in this session, or once a file {@code STOP} appears in the directory.
     */
    private static final class StopCheck {
        private final long deadline;
        private final long maxOps;
        private final Path stopFile;
        private long ops;
        private long nextFileCheck;
        String reason;

        private final boolean noLoad;

        StopCheck(Options o, long start) {
            deadline = o.maxLoadSeconds() > 0 ? start + (long) (o.maxLoadSeconds() * 1e9) : Long.MAX_VALUE;
            maxOps = o.maxLoadOps() > 0 ? o.maxLoadOps() : Long.MAX_VALUE;
            stopFile = o.dir().resolve("STOP");
            noLoad = o.readIncomplete();
        }

        boolean stop() {
            if (noLoad) {
                reason = "--read-incomplete: measuring what is loaded, not loading";
                return true;
            }
            if (ops++ >= maxOps) {
                reason = "--max-load-ops reached";
                return true;
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                reason = "--max-load-seconds reached";
                return true;
            }
            if (now >= nextFileCheck) {
                nextFileCheck = now + 1_000_000_000L;
                if (Files.exists(stopFile)) {
                    reason = "STOP file found";
                    return true;
                }
            }
            return false;
        }
    }

    private static Properties load(Options o, boolean resume) throws IOException {
        int n = (int) o.nodes();
        SplittableRandom rnd = ScaleDataset.stream();
        List<Set<String>> labels = new ArrayList<>();
        for (int i = 0; i < LABELS; i++) {
            labels.add(Set.of(ScaleDataset.label(i)));
        }
        String loadavgStart = loadavg();
        long sessionStart = System.nanoTime();
        StopCheck stop = new StopCheck(o, sessionStart);
        long total = (long) n * o.edgesPerNode();
        long checkpoints;
        long forces;
        PageCacheMetrics pcm;
        LoadState st;
        ConcurrentGraphDB db = ConcurrentGraphDB.open(o.dir(), o.config());
        long tClose;
        try {
            if (resume) {
                try (Transaction tx = db.begin()) {
                    List<Node> found = tx.nodesByLabel(PROGRESS_LABEL);
                    if (found.size() != 1) {
                        throw new IllegalStateException(o.dir() + ": expected one " + PROGRESS_LABEL + " node, found "
                                + found.size() + "; delete the directory and load again");
                    }
                    st = LoadState.of(found.get(0));
                }
                // Replay the random stream up to where the load stopped.
                for (long i = 0; i < st.nodesLoaded; i++) {
                    rnd.nextDouble();
                }
                for (long e = 0; e < st.edgesLoaded; e++) {
                    rnd.nextInt(n - 1);
                }
                log("resuming: %,d of %,d nodes and %,d of %,d edges loaded in %d earlier session(s)", st.nodesLoaded, n,
                        st.edgesLoaded, total, st.sessions);
            } else {
                st = new LoadState();
                try (Transaction tx = db.begin()) {
                    st.progressId = tx.addNode(Set.of(PROGRESS_LABEL), st.asProperties());
                    tx.commit();
                }
            }
            if (!o.readIncomplete()) {
                st.sessions++;
            }
            Progress progress = new Progress(System.nanoTime(), st.nodesLoaded);
            Batches nodes = new Batches(db, st, o.batch(), ns -> st.nodeNanos += ns);
            while (st.nodesLoaded < n && !stop.stop()) {
                int i = (int) st.nodesLoaded;
                long id = nodes.tx().addNode(labels.get(i % LABELS), ScaleDataset.nodeProperties(i, rnd));
                if (i == 0) {
                    st.base = id;
                } else if (id != st.base + i) {
                    throw new IllegalStateException("node ids are not consecutive: node " + i + " got id " + id
                            + ", the first got " + st.base + " (ScaleRun needs base + i to find nodes again)");
                }
                st.nodesLoaded++;
                nodes.added(st.nodesLoaded == n);
                progress.tick("nodes", st.nodesLoaded, n, db);
            }
            nodes.finish(); // stopped in the middle of a batch
            if (st.nodesLoaded == n && nodes.committedAny()) {
                log("nodes done: %,d in %.1f s of loading (%,.0f nodes/s), loadavg %s", n, st.nodeNanos / 1e9,
                        n / (st.nodeNanos / 1e9), loadavg());
            }
            progress = new Progress(System.nanoTime(), st.edgesLoaded);
            Batches edges = new Batches(db, st, o.batch(), ns -> st.edgeNanos += ns);
            while (st.nodesLoaded == n && st.edgesLoaded < total && !stop.stop()) {
                int i = (int) (st.edgesLoaded / o.edgesPerNode());
                int target = ScaleDataset.edgeTarget(i, n, rnd);
                edges.tx().addEdge(st.base + i, st.base + target, EDGE_TYPE, Map.of());
                st.edgesLoaded++;
                edges.added(st.edgesLoaded == total);
                progress.tick("edges", st.edgesLoaded, total, db);
            }
            edges.finish();
            if (st.edgesLoaded == total && st.edgeNanos > 0) {
                log("edges done: %,d in %.1f s of loading (%,.0f edges/s), loadavg %s", total, st.edgeNanos / 1e9,
                        total / (st.edgeNanos / 1e9), loadavg());
            }
            if (stop.reason != null) {
                log("stopping the load (%s) at %,d of %,d nodes, %,d of %,d edges; rerun the same command to resume",
                        stop.reason, st.nodesLoaded, n, st.edgesLoaded, total);
            }
            checkpoints = db.checkpoints();
            forces = db.logForces();
            pcm = db.pageCacheMetrics();
            tClose = System.nanoTime();
        } finally {
            db.close();
        }
        double closeSeconds = (System.nanoTime() - tClose) / 1e9;
        log("closed in %.1f s", closeSeconds);
        boolean complete = st.nodesLoaded == n && st.edgesLoaded == total;
        Map<String, Object> mem = memory(o.cacheBytes());
        Properties p = new Properties();
        p.setProperty("complete", Boolean.toString(complete));
        p.setProperty("nodes", Long.toString(n));
        p.setProperty("edgesPerNode", Integer.toString(o.edgesPerNode()));
        p.setProperty("edges", Long.toString(total));
        p.setProperty("nodesLoaded", Long.toString(st.nodesLoaded));
        p.setProperty("edgesLoaded", Long.toString(st.edgesLoaded));
        p.setProperty("seed", Long.toString(SEED));
        p.setProperty("firstNodeId", Long.toString(st.base));
        p.setProperty("batch", Integer.toString(o.batch()));
        p.setProperty("durability", o.durability().name());
        p.setProperty("loadPageCacheBytes", Long.toString(o.cacheBytes()));
        p.setProperty("sessions", Long.toString(st.sessions));
        p.setProperty("commits", Long.toString(st.commits));
        p.setProperty("lastSessionLogForces", Long.toString(forces));
        p.setProperty("lastSessionCheckpoints", Long.toString(checkpoints));
        p.setProperty("nodeSeconds", fmt(st.nodeNanos / 1e9));
        p.setProperty("edgeSeconds", fmt(st.edgeNanos / 1e9));
        p.setProperty("closeSeconds", fmt(closeSeconds));
        p.setProperty("totalSeconds", fmt((st.nodeNanos + st.edgeNanos) / 1e9 + closeSeconds));
        p.setProperty("lastSessionSeconds", fmt((System.nanoTime() - sessionStart) / 1e9));
        p.setProperty("nodesPerSecond", fmt(st.nodeNanos == 0 ? 0 : st.nodesLoaded / (st.nodeNanos / 1e9)));
        p.setProperty("edgesPerSecond", fmt(st.edgeNanos == 0 ? 0 : st.edgesLoaded / (st.edgeNanos / 1e9)));
        p.setProperty("lastSessionPageCacheHitRatio", fmt(pcm.hitRatio()));
        p.setProperty("lastSessionPageCacheMisses", Long.toString(pcm.misses()));
        p.setProperty("lastSessionPageCacheFlushes", Long.toString(pcm.flushes()));
        p.setProperty("loadavgStart", loadavgStart);
        p.setProperty("loadavgEnd", loadavg());
        if (!o.readIncomplete()) { // figures of this session's loading JVM
            p.setProperty("loaderVmHwmBytes", String.valueOf(mem.get("vmHwmBytes")));
            p.setProperty("loaderMaxHeapBytes", Long.toString(Runtime.getRuntime().maxMemory()));
        }
        p.setProperty("finished", Instant.now().toString());
        p.setProperty("fileBytesAfterLoad", Long.toString(directorySize(o.dir())));
        if (stop.reason != null) {
            p.setProperty("stoppedBecause", stop.reason);
        }
        return p;
    }

    /** Commits a batch together with the progress it brings (one atomic transaction). */
    private static void commitBatch(Transaction tx, LoadState st) {
        st.commits++;
        for (Map.Entry<String, Object> e : st.asProperties().entrySet()) {
            tx.setNodeProperty(st.progressId, e.getKey(), e.getValue());
        }
        tx.commit();
        tx.close();
    }

    /**
     * The transactions of one load phase: a commit every {@code batch} operations, and the phase's
     * loading time added to its counter. The time up to a commit is added before it, so the
     * progress that batch records ({@link #commitBatch}) counts the batch's own loading.
     */
    private static final class Batches {
        private final ConcurrentGraphDB db;
        private final LoadState st;
        private final int batch;
        private final java.util.function.LongConsumer addNanos;
        private Transaction tx;
        private int inTx;
        private long mark = System.nanoTime();
        private boolean committedAny;

        Batches(ConcurrentGraphDB db, LoadState st, int batch, java.util.function.LongConsumer addNanos) {
            this.db = db;
            this.st = st;
            this.batch = batch;
            this.addNanos = addNanos;
        }

        Transaction tx() {
            if (tx == null) {
                tx = db.begin();
            }
            return tx;
        }

        /** Counts one operation of the open transaction; commits when the batch is full or {@code last}. */
        void added(boolean last) {
            if (++inTx == batch || last) {
                elapse();
                commitBatch(tx, st);
                elapse();
                tx = null;
                inTx = 0;
                committedAny = true;
            }
        }

        /** Commits a batch the load stopped in the middle of (its commit time is not counted). */
        void finish() {
            if (tx != null) {
                elapse();
                commitBatch(tx, st);
                tx = null;
            }
        }

        /** Whether a full batch committed in this session. */
        boolean committedAny() {
            return committedAny;
        }

        private void elapse() {
            long now = System.nanoTime();
            addNanos.accept(now - mark);
            mark = now;
        }
    }

    /** Prints progress every 10 s: done, rate over the interval, page cache, loadavg. */
    private static final class Progress {
        private long lastNanos;
        private long lastDone;
        private final long checkEvery = 1024;

        Progress(long start, long done) {
            lastNanos = start;
            lastDone = done;
        }

        void tick(String what, long done, long total, ConcurrentGraphDB db) {
            if ((done & (checkEvery - 1)) != 0) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastNanos < 10_000_000_000L) {
                return;
            }
            double rate = (done - lastDone) / ((now - lastNanos) / 1e9);
            PageCacheMetrics m = db.pageCacheMetrics();
            log("%s %,d / %,d (%.1f %%), %,.0f %s/s over the last %.0f s; page cache hit %.4f dirty %d; checkpoints %d; "
                            + "RSS %s; loadavg %s", what, done, total, 100.0 * done / total, rate, what,
                    (now - lastNanos) / 1e9, m.hitRatio(), m.dirtyPages(), db.checkpoints(),
                    mib(procStatus("VmRSS")), loadavg());
            lastNanos = now;
            lastDone = done;
        }
    }

    // ---- reads ----

    private static void readPhases(Options o, long base, Map<String, Object> result) throws Exception {
        int n = (int) o.nodes();
        long t0 = System.nanoTime();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(o.dir(), o.config())) {
            result.put("openSeconds", (System.nanoTime() - t0) / 1e9);
            result.put("memoryAfterOpen", memory(o.cacheBytes()));
            if (o.readImported()) {
                checkImportedSize(db, n);
            }
            if (o.verify()) {
                result.put("verified", verify(db, base, n, o.edgesPerNode()));
                return;
            }
            ScaleReads.phases(i -> readOne(db, base, i), n, o.warmupSeconds(), o.measureSeconds(), o.threads(),
                    () -> {
                        PageCacheMetrics m = db.pageCacheMetrics();
                        return new ScaleReads.CacheCounts(m.hits(), m.misses());
                    }, result);
            result.put("pageCacheFrames", db.pageCacheMetrics().frames());
        }
    }

    /** The timed read: begin, {@code getNode}, check the name, read the properties, close. */
    private static long readOne(ConcurrentGraphDB db, long base, int i) {
        long sink = 0;
        try (Transaction tx = db.begin()) {
            Node node = tx.getNode(base + i).orElseThrow(() -> new IllegalStateException("node " + (base + i) + " missing"));
            Object name = node.properties().get("name");
            if (!ScaleReads.nameMatches(name, i)) {
                throw ScaleReads.wrongNode(base + i, name, i);
            }
            for (Object v : node.properties().values()) {
                sink += v.hashCode();
            }
        }
        return sink;
    }

    /**
     * An imported database must hold exactly the {@code --nodes} nodes of the dataset (ids 0 to n - 1):
     * checks the first and the last, and that there is none after them.
     */
    private static void checkImportedSize(ConcurrentGraphDB db, int n) {
        try (Transaction tx = db.begin()) {
            for (int i : new int[] {0, n - 1}) {
                Object name = tx.getNode(i).orElseThrow(() -> new IllegalStateException(
                        "node " + i + " missing: the database holds fewer than --nodes " + n + " nodes")).properties().get("name");
                if (!ScaleReads.nameMatches(name, i)) {
                    throw ScaleReads.wrongNode(i, name, i);
                }
            }
            if (tx.getNode(n).isPresent()) {
                throw new IllegalStateException("the database holds more than --nodes " + n + " nodes");
            }
        }
    }

    /** Checks the whole graph against the dataset ({@link ScaleVerifier}). */
    private static Map<String, Object> verify(ConcurrentGraphDB db, long base, int n, int edgesPerNode) {
        return ScaleVerifier.verify((from, to, check) -> {
            try (Transaction tx = db.begin()) {
                for (int i = from; i < to; i++) {
                    long id = base + i;
                    Node node = tx.getNode(id).orElseThrow(() -> new IllegalStateException("node " + id + " missing"));
                    List<ScaleVerifier.StoredEdge> out = tx.edges(id, Direction.OUTGOING, null).stream()
                            .map(e -> new ScaleVerifier.StoredEdge(e.type(), e.properties(), e.to())).toList();
                    check.accept(new ScaleVerifier.StoredNode(node.labels(), node.properties(), out), i);
                }
            }
        }, base, n, edgesPerNode);
    }

    // ---- memory and the machine ----

    /** The process's memory ({@code /proc/self/status}, heap, direct buffers) against a page cache of {@code cacheBytes}. */
    public static Map<String, Object> memory(long cacheBytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        long rss = procStatus("VmRSS");
        long hwm = procStatus("VmHWM");
        m.put("vmRssBytes", rss);
        m.put("vmHwmBytes", hwm);
        m.put("pageCacheBytes", cacheBytes);
        m.put("rssMinusCacheBytes", rss < 0 ? -1L : rss - cacheBytes);
        m.put("hwmMinusCacheBytes", hwm < 0 ? -1L : hwm - cacheBytes);
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        m.put("heapUsedBytes", heap.getUsed());
        m.put("heapCommittedBytes", heap.getCommitted());
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        m.put("nonHeapCommittedBytes", nonHeap.getCommitted());
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                m.put("directUsedBytes", pool.getMemoryUsed());
            }
        }
        return m;
    }

    /** The heap and direct memory limits, the collectors and the JVM's arguments. */
    public static Map<String, Object> jvmLimits() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            m.put("maxDirectMemorySize", Long.parseLong(hs.getVMOption("MaxDirectMemorySize").getValue()));
            m.put("gc", ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList());
        } catch (RuntimeException e) {
            m.put("maxDirectMemorySize", -1L);
        }
        m.put("inputArguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
        return m;
    }

    /** A field of /proc/self/status in bytes (its kB figure × 1024), or -1 where there is none. */
    static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** The load averages of {@code /proc/loadavg}, or {@code ?}. */
    public static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    // ---- files ----

    /** The bytes of the regular files under {@code dir}. */
    public static long directorySize(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The size of each file or directory (its files' bytes) in {@code dir}, by name. */
    public static Map<String, Object> fileSizes(Path dir) throws IOException {
        Map<String, Object> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                m.put(p.getFileName().toString(), Files.isDirectory(p) ? directorySize(p) : Files.size(p));
            }
        }
        return new LinkedHashMap<>(m);
    }

    private static void deleteContents(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static Properties readProperties(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    // ---- output ----

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** A progress line on standard output, with the time. */
    public static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[scale %tT] %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    @SuppressWarnings("unchecked")
    private static void summary(Map<String, Object> r) {
        Map<String, Object> load = (Map<String, Object>) r.get("load");
        boolean imported = Boolean.TRUE.equals(load.get("imported"));
        Map<String, Object> mem = (Map<String, Object>) r.get("memory");
        Map<String, Object> limits = (Map<String, Object>) r.get("jvmLimits");
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nnodes %,d, edges %,d, data %s, page cache %s, -Xmx %s, MaxDirectMemorySize %s%n",
                (Long) r.get("nodes"), (Long) r.get("edges"), mib((Long) r.get("dataBytes")), mib((Long) r.get("pageCacheBytes")),
                mib((Long) limits.get("maxHeapBytes")), mib((Long) limits.get("maxDirectMemorySize"))));
        if (imported) {
            sb.append(String.format(Locale.ROOT, "load: imported (not loaded here)%n"));
        } else {
            sb.append(String.format(Locale.ROOT, "load%s: %,.0f nodes/s, %,.0f edges/s, total %.1f s%s%n",
                    "true".equals(load.get("reused")) ? " (recorded earlier, reused)" : "",
                    (Double) load.get("nodesPerSecond"), (Double) load.get("edgesPerSecond"), (Double) load.get("totalSeconds"),
                    "true".equals(load.get("complete")) ? "" : String.format(Locale.ROOT,
                            " -- INCOMPLETE: %,.0f of %,d nodes and %,.0f of %,d edges loaded", (Double) load.get("nodesLoaded"),
                            (Long) r.get("nodes"), (Double) load.get("edgesLoaded"), (Long) r.get("edges"))));
        }
        for (String k : new String[] {"read1", "readN"}) {
            Map<String, Object> p = (Map<String, Object>) r.get(k);
            if (p != null) {
                sb.append(String.format(Locale.ROOT, "%s: %,.0f reads/s, p50 %.2f us, p90 %.2f us, p99 %.2f us, p99.9 %.2f us%n",
                        k, (Double) p.get("opsPerSecond"), (Long) p.get("p50Ns") / 1e3, (Long) p.get("p90Ns") / 1e3,
                        (Long) p.get("p99Ns") / 1e3, (Long) p.get("p999Ns") / 1e3));
            }
        }
        sb.append(String.format(Locale.ROOT, "RSS %s (peak %s) = page cache %s + %s overhead (peak %s)%n",
                mib((Long) mem.get("vmRssBytes")), mib((Long) mem.get("vmHwmBytes")), mib((Long) mem.get("pageCacheBytes")),
                mib((Long) mem.get("rssMinusCacheBytes")), mib((Long) mem.get("hwmMinusCacheBytes"))));
        System.out.print(sb);
    }
}
