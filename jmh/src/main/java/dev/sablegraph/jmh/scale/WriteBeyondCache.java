package dev.sablegraph.jmh.scale;

import dev.sablegraph.jmh.charts.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Transactional writes on a graph that outgrows the page cache, the same workload on every engine
 * through its public API ({@link WriteEngine}; this main drives Sable, {@code Neo4jWriteBeyondCache}
 * in {@code jmh-peers} drives Neo4j embedded with the same code).
 *
 * <pre>
 * java -Xmx2g -cp jmh/target/benchmarks.jar dev.sablegraph.jmh.scale.WriteBeyondCache --dir D
 *     [--nodes 200K] [--edges 1M] [--tx-size 2000] [--cache-mb 24] [--threads 1]
 *     [--probes updates,bigtx,hugetx] [--update-threads 20] [--update-seconds 30] [--update-warmup-seconds 5]
 *     [--big-tx-edges 10000] [--huge-tx-edges 1M] [--huge-tx-max-seconds 600] [--json FILE] [--keep] [--note TEXT]
 * </pre>
 *
 * <ol>
 *   <li><b>load</b>: the index on {@code :Person(name)} is created on the empty database (and awaited),
 *       then {@code --nodes} {@code Person} nodes ({@code name}, {@code age}), then {@code --edges}
 *       {@code KNOWS} edges between uniformly random distinct nodes ({@link WriteWorkload}, seed
 *       {@value #SEED}), in transactions of {@code --tx-size} operations, committed durably,
 *       on {@code --threads} threads taking the next batch in turn. Every commit is timed
 *       ({@code commit()} alone, and the whole transaction).</li>
 *   <li><b>updates</b>: {@code --update-threads} threads, each committing one transaction that sets
 *       {@code age} of one uniformly random node, for {@code --update-seconds} after a warm-up;
 *       a write conflict is counted and not retried.</li>
 *   <li><b>bigtx</b>: one transaction of {@code --big-tx-edges} random edges (seed + 1), same cache;
 *       records whether it commits or what it throws, and whether the database still commits after.</li>
 *   <li><b>hugetx</b>: closes, reopens with the engine's default page cache, and tries one
 *       transaction of {@code --huge-tx-edges} edges (seed + 2), given at most
 *       {@code --huge-tx-max-seconds}: past that the result says so and the process ends.</li>
 * </ol>
 *
 * <p>The directory must be empty or absent; it is deleted at the end unless {@code --keep}.
 * Output: progress on stdout, then one JSON object on a line starting with {@code RESULT }, also
 * written to {@code --json FILE}.
 */
public final class WriteBeyondCache {
    static final long SEED = 42L;
    static final Set<String> PROBES = Set.of("updates", "bigtx", "hugetx");

    private WriteBeyondCache() {}

    /** Command-line settings. */
    record Options(int nodes, int edges, int txSize, long cacheBytes, Path dir, int threads, Set<String> probes,
            int updateThreads, double updateSeconds, double updateWarmupSeconds, int bigTxEdges, int hugeTxEdges,
            double hugeTxMaxSeconds, Path json, boolean keep, String note, long sableCheckpointLogBytes) {

        static Options parse(String[] args) {
            int nodes = 200_000;
            int edges = 1_000_000;
            int txSize = 2000;
            long cacheMb = 24;
            Path dir = null;
            int threads = 1;
            Set<String> probes = new LinkedHashSet<>(List.of("updates", "bigtx", "hugetx"));
            int updateThreads = 20;
            double updateSeconds = 30;
            double updateWarmup = 5;
            int bigTx = 10_000;
            int hugeTx = 1_000_000;
            double hugeMax = 600;
            Path json = null;
            boolean keep = false;
            String note = "";
            long sableCheckpointLogMb = 0;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--nodes" -> nodes = intCount(value(args, ++i, a), a);
                    case "--edges" -> edges = intCount(value(args, ++i, a), a);
                    case "--tx-size" -> txSize = intCount(value(args, ++i, a), a);
                    case "--cache-mb" -> cacheMb = Long.parseLong(value(args, ++i, a));
                    case "--dir" -> dir = Path.of(value(args, ++i, a));
                    case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                    case "--probes" -> probes = probes(value(args, ++i, a));
                    case "--update-threads" -> updateThreads = Integer.parseInt(value(args, ++i, a));
                    case "--update-seconds" -> updateSeconds = Double.parseDouble(value(args, ++i, a));
                    case "--update-warmup-seconds" -> updateWarmup = Double.parseDouble(value(args, ++i, a));
                    case "--big-tx-edges" -> bigTx = intCount(value(args, ++i, a), a);
                    case "--huge-tx-edges" -> hugeTx = intCount(value(args, ++i, a), a);
                    case "--huge-tx-max-seconds" -> hugeMax = Double.parseDouble(value(args, ++i, a));
                    case "--json" -> json = Path.of(value(args, ++i, a));
                    case "--keep" -> keep = true;
                    case "--note" -> note = value(args, ++i, a);
                    case "--sable-checkpoint-log-mb" -> sableCheckpointLogMb = Long.parseLong(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown argument " + a + " (use --nodes, --edges, "
                            + "--tx-size, --cache-mb, --dir, --threads, --probes, --update-threads, --update-seconds, "
                            + "--update-warmup-seconds, --big-tx-edges, --huge-tx-edges, --huge-tx-max-seconds, --json, "
                            + "--keep, --note, --sable-checkpoint-log-mb)");
                }
            }
            if (dir == null) {
                throw new IllegalArgumentException("--dir DIR is required");
            }
            if (nodes < 2 || txSize < 1 || cacheMb < 1 || threads < 1 || updateThreads < 1 || updateSeconds <= 0
                    || updateWarmup < 0 || hugeMax <= 0) {
                throw new IllegalArgumentException("--nodes must be at least 2; --tx-size, --cache-mb, --threads, "
                        + "--update-threads, --update-seconds, --huge-tx-max-seconds positive; --update-warmup-seconds "
                        + "not negative");
            }
            return new Options(nodes, edges, txSize, cacheMb << 20, dir, threads, probes, updateThreads, updateSeconds,
                    updateWarmup, bigTx, hugeTx, hugeMax, json, keep, note, sableCheckpointLogMb << 20);
        }

        Options withoutProbes() {
            return new Options(nodes, edges, txSize, cacheBytes, dir, threads, Set.of(), updateThreads, updateSeconds,
                    updateWarmupSeconds, bigTxEdges, hugeTxEdges, hugeTxMaxSeconds, json, keep, note,
                    sableCheckpointLogBytes);
        }

        private static Set<String> probes(String list) {
            Set<String> s = new LinkedHashSet<>();
            for (String p : list.split(",")) {
                String t = p.trim();
                if (t.isEmpty() || t.equals("none")) {
                    continue;
                }
                if (!PROBES.contains(t)) {
                    throw new IllegalArgumentException("--probes: unknown probe " + t + " (use " + PROBES + " or none)");
                }
                s.add(t);
            }
            return s;
        }

        private static int intCount(String s, String flag) {
            long v = ScaleRun.parseCount(s);
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(flag + " must be within 0.." + Integer.MAX_VALUE + ", was " + s);
            }
            return (int) v;
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }
    }

    public static void main(String[] args) throws Exception {
        long checkpointLogBytes = Options.parse(args).sableCheckpointLogBytes();
        run(args, (dir, cacheBytes) -> SableWriteEngine.open(dir, cacheBytes, checkpointLogBytes));
    }

    /** Runs the workload on the engine {@code opener} opens; returns the result (also printed). */
    public static Map<String, Object> run(String[] args, WriteEngine.Opener opener) throws Exception {
        Options o = Options.parse(args);
        prepareDirectory(o.dir());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "WriteBeyondCache");
        result.put("timestamp", Instant.now().toString());
        result.put("note", o.note());
        result.put("arguments", List.of(args));
        result.put("nodes", (long) o.nodes());
        result.put("edges", (long) o.edges());
        result.put("txSize", (long) o.txSize());
        result.put("pageCacheBytes", o.cacheBytes());
        result.put("loadThreads", (long) o.threads());
        result.put("seed", SEED);
        result.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        result.put("cores", (long) Runtime.getRuntime().availableProcessors());
        result.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        result.put("jvmArguments", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        WriteWorkload w = WriteWorkload.generate(o.nodes(), o.edges(), SEED);
        long[] ids = new long[o.nodes()];
        WriteEngine engine = opener.open(o.dir(), o.cacheBytes());
        result.put("engine", engine.name());
        ScaleRun.log("%s: start %s, loadavg %s", engine.name(), o, ScaleRun.loadavg());
        boolean halted = false;
        try {
            long t0 = System.nanoTime();
            engine.createNameIndex();
            result.put("indexSeconds", (System.nanoTime() - t0) / 1e9);
            Map<String, Object> load = load(engine, w, ids, o);
            result.put("load", load);
            result.put("dataBytesAfterLoad", diskUsage(o.dir()));
            boolean nodesIn = ((Map<?, ?>) load.get("nodes")).get("failure") == null;
            if (!nodesIn) {
                o = o.withoutProbes(); // the probes pick random loaded nodes
            }
            if (o.probes().contains("updates")) {
                result.put("updates", updates(engine, ids, o));
            }
            if (o.probes().contains("bigtx")) {
                result.put("bigTx", LargeTransaction.run(engine, ids, o.bigTxEdges(), SEED + 1, "big transaction"));
            }
            result.put("engineMetricsAtEnd", engine.metrics());
        } finally {
            engine.close();
        }
        result.put("dataBytesAfterClose", diskUsage(o.dir()));
        if (o.probes().contains("hugetx") && o.hugeTxEdges() > 0) {
            halted = hugeTransaction(opener, ids, o, result);
        }
        result.put("loadavgEnd", ScaleRun.loadavg());
        String line = Json.write(result);
        System.out.println("RESULT " + line);
        if (o.json() != null) {
            Path parent = o.json().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(o.json(), line + "\n");
        }
        summary(result);
        if (!o.keep()) {
            deleteRecursively(o.dir());
        }
        if (halted) {
            System.out.flush();
            Runtime.getRuntime().halt(0); // the huge transaction is still running on its thread
        }
        return result;
    }

    private static void prepareDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalStateException(dir + " is not empty: WriteBeyondCache loads into a new directory");
                }
            }
        }
        Files.createDirectories(dir);
    }

    // ---- load ----

    private static Map<String, Object> load(WriteEngine engine, WriteWorkload w, long[] ids, Options o)
            throws InterruptedException {
        Map<String, Object> m = new LinkedHashMap<>();
        LoadBatches.Result nodes = LoadBatches.run(engine, "nodes", w.nodes, o.txSize(), o.threads(), (tx, from, to) -> {
            for (int i = from; i < to; i++) {
                ids[i] = tx.addPerson(WriteWorkload.name(i), w.ages[i]);
            }
        });
        m.put("nodes", nodes.asMap());
        if (!nodes.complete()) {
            m.put("complete", false);
            m.put("failure", nodes.failure());
            return m;
        }
        LoadBatches.Result edges = LoadBatches.run(engine, "edges", w.edges.size(), o.txSize(), o.threads(), (tx, from, to) -> {
            for (int e = from; e < to; e++) {
                tx.addKnows(ids[w.edges.from()[e]], ids[w.edges.to()[e]]);
            }
        });
        m.put("edges", edges.asMap());
        m.put("complete", edges.complete());
        if (!edges.complete()) {
            m.put("failure", edges.failure());
        }
        double seconds = nodes.seconds() + edges.seconds();
        long commits = nodes.commits() + edges.commits();
        long checkpoints = nodes.checkpoints() + edges.checkpoints();
        m.put("seconds", seconds);
        m.put("opsPerSecond", (nodes.ops() + edges.ops()) / seconds);
        m.put("commits", commits);
        m.put("checkpoints", checkpoints);
        m.put("checkpointsPer1000Commits", checkpoints < 0 ? -1.0 : 1000.0 * checkpoints / commits);
        LatencyHistogram all = new LatencyHistogram();
        all.add(nodes.commitLatency());
        all.add(edges.commitLatency());
        m.put("commitLatency", latency(all));
        m.put("engineMetrics", engine.metrics());
        ScaleRun.log("%s load%s: %,.0f ops/s over %.1f s (nodes %,.0f/s, edges %,.0f/s), %,d commits, %d checkpoints; "
                        + "commit p50 %s p99 %s p99.9 %s max %s", engine.name(), edges.complete() ? "" : " (STOPPED)",
                (nodes.ops() + edges.ops()) / seconds, seconds,
                nodes.opsPerSecond(), edges.opsPerSecond(), commits, checkpoints, ms(all.percentile(50)),
                ms(all.percentile(99)), ms(all.percentile(99.9)), ms(all.max()));
        return m;
    }

    // ---- sustained single-node updates ----

    private static Map<String, Object> updates(WriteEngine engine, long[] ids, Options o) throws InterruptedException {
        int threads = o.updateThreads();
        long start = System.nanoTime();
        long measureFrom = start + (long) (o.updateWarmupSeconds() * 1e9);
        long end = measureFrom + (long) (o.updateSeconds() * 1e9);
        List<Updater> updaters = new ArrayList<>();
        List<Thread> running = new ArrayList<>();
        String loadBefore = ScaleRun.loadavg();
        long[] checkpointsAt = {-1, -1};
        for (int t = 0; t < threads; t++) {
            Updater u = new Updater(engine, ids, new SplittableRandom(SEED + 100 + t), measureFrom, end);
            updaters.add(u);
            Thread th = new Thread(u, "updater-" + t);
            running.add(th);
            th.start();
        }
        Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
        checkpointsAt[0] = engine.checkpoints();
        for (Thread th : running) {
            th.join();
        }
        checkpointsAt[1] = engine.checkpoints();
        LatencyHistogram all = new LatencyHistogram();
        long commits = 0;
        long conflicts = 0;
        for (Updater u : updaters) {
            if (u.failure != null) {
                throw new IllegalStateException("updater failed", u.failure);
            }
            all.add(u.latency);
            commits += u.commits;
            conflicts += u.conflicts;
        }
        double seconds = o.updateSeconds();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threads", (long) threads);
        m.put("seconds", seconds);
        m.put("commits", commits);
        m.put("commitsPerSecond", commits / seconds);
        m.put("conflicts", conflicts);
        long checkpoints = checkpointsAt[0] < 0 ? -1 : checkpointsAt[1] - checkpointsAt[0];
        m.put("checkpoints", checkpoints);
        m.put("transactionLatency", latency(all));
        m.put("loadavgBefore", loadBefore);
        m.put("loadavgAfter", ScaleRun.loadavg());
        ScaleRun.log("%s updates, %d threads: %,.0f commits/s, %d conflicts, %d checkpoints; tx p50 %s p99 %s max %s",
                engine.name(), threads, commits / seconds, conflicts, checkpoints, ms(all.percentile(50)),
                ms(all.percentile(99)), ms(all.max()));
        return m;
    }

    /** One updating thread: a transaction per random node; counted from {@code measureFrom} on. */
    private static final class Updater implements Runnable {
        private final WriteEngine engine;
        private final long[] ids;
        private final SplittableRandom rnd;
        private final long measureFrom;
        private final long end;
        final LatencyHistogram latency = new LatencyHistogram();
        long commits;
        long conflicts;
        Throwable failure;

        Updater(WriteEngine engine, long[] ids, SplittableRandom rnd, long measureFrom, long end) {
            this.engine = engine;
            this.ids = ids;
            this.rnd = rnd;
            this.measureFrom = measureFrom;
            this.end = end;
        }

        @Override
        public void run() {
            try {
                for (long now = System.nanoTime(); now < end; ) {
                    long id = ids[rnd.nextInt(ids.length)];
                    long age = 18 + rnd.nextInt(73);
                    long s = System.nanoTime();
                    boolean committed;
                    try (WriteEngine.Tx tx = engine.begin()) {
                        tx.setAge(id, age);
                        tx.commit();
                        committed = true;
                    } catch (RuntimeException e) {
                        if (!engine.isRetryable(e)) {
                            throw e;
                        }
                        committed = false;
                    }
                    now = System.nanoTime();
                    if (s >= measureFrom && now < end) {
                        if (committed) {
                            latency.record(now - s);
                            commits++;
                        } else {
                            conflicts++;
                        }
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    // ---- the huge transaction, on the engine's default page cache ----

    /** Returns true when the transaction did not end in time (the caller then halts the process). */
    private static boolean hugeTransaction(WriteEngine.Opener opener, long[] ids, Options o, Map<String, Object> result)
            throws Exception {
        WriteEngine engine = opener.open(o.dir(), 0);
        AtomicReference<Map<String, Object>> outcome = new AtomicReference<>();
        Thread worker = new Thread(() -> outcome.set(LargeTransaction.run(engine, ids, o.hugeTxEdges(), SEED + 2,
                "huge transaction (default page cache)")), "huge-transaction");
        worker.setDaemon(true);
        worker.start();
        worker.join((long) (o.hugeTxMaxSeconds() * 1000));
        if (worker.isAlive()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("edges", (long) o.hugeTxEdges());
            m.put("outcome", "not finished within " + o.hugeTxMaxSeconds() + " s (stopped; the process ends)");
            result.put("hugeTx", m);
            ScaleRun.log("%s huge transaction: not finished within %.0f s", engine.name(), o.hugeTxMaxSeconds());
            return true;
        }
        result.put("hugeTx", outcome.get());
        engine.close();
        return false;
    }

    // ---- figures ----

    static Map<String, Object> latency(LatencyHistogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.count());
        m.put("meanNs", h.mean());
        m.put("p50Ns", h.percentile(50));
        m.put("p99Ns", h.percentile(99));
        m.put("p999Ns", h.percentile(99.9));
        m.put("maxNs", h.max());
        return m;
    }

    /** Bytes on disk: the total, the sum per directory, and each file of at least 1 MiB, by path below {@code dir}. */
    static Map<String, Object> diskUsage(Path dir) throws IOException {
        Map<String, Object> files = new TreeMap<>();
        Map<String, Long> byDirectory = new TreeMap<>();
        long total = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) {
                    long size = Files.size(p);
                    total += size;
                    Path parent = dir.relativize(p).getParent();
                    byDirectory.merge(parent == null ? "." : parent.toString(), size, Long::sum);
                    if (size >= 1 << 20) {
                        files.put(dir.relativize(p).toString(), size);
                    }
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("totalBytes", total);
        m.put("byDirectory", new LinkedHashMap<String, Object>(byDirectory));
        m.put("filesOver1MiB", new LinkedHashMap<>(files));
        return m;
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void summary(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> load = (Map<String, Object>) r.get("load");
        Map<String, Object> lat = (Map<String, Object>) load.get("commitLatency");
        Map<String, Object> nodes = (Map<String, Object>) load.get("nodes");
        Map<String, Object> edges = (Map<String, Object>) load.get("edges");
        Map<String, Object> disk = (Map<String, Object>) r.get("dataBytesAfterClose");
        sb.append(String.format(Locale.ROOT, "%n%s: %,d nodes + %,d edges, tx %d, page cache %d MiB, %d load thread(s)%n",
                r.get("engine"), r.get("nodes"), r.get("edges"), r.get("txSize"), (Long) r.get("pageCacheBytes") >> 20,
                r.get("loadThreads")));
        if (load.get("failure") != null) {
            sb.append("load STOPPED: ").append(load.get("failure")).append(String.format(Locale.ROOT, "%n"));
        }
        if (edges == null) {
            System.out.print(sb);
            return;
        }
        sb.append(String.format(Locale.ROOT, "load: nodes %,.0f/s, edges %,.0f/s, whole load %,.0f ops/s (%.1f s); "
                        + "commit p50 %s p99 %s p99.9 %s max %s; %d checkpoints (%.1f per 1,000 commits); data %.1f MiB%n",
                nodes.get("opsPerSecond"), edges.get("opsPerSecond"), load.get("opsPerSecond"), load.get("seconds"),
                ms((Long) lat.get("p50Ns")), ms((Long) lat.get("p99Ns")), ms((Long) lat.get("p999Ns")),
                ms((Long) lat.get("maxNs")), load.get("checkpoints"), load.get("checkpointsPer1000Commits"),
                (Long) disk.get("totalBytes") / 1048576.0));
        Map<String, Object> up = (Map<String, Object>) r.get("updates");
        if (up != null) {
            Map<String, Object> ul = (Map<String, Object>) up.get("transactionLatency");
            sb.append(String.format(Locale.ROOT, "updates: %d threads, %,.0f commits/s, p50 %s p99 %s, %d conflicts%n",
                    up.get("threads"), up.get("commitsPerSecond"), ms((Long) ul.get("p50Ns")), ms((Long) ul.get("p99Ns")),
                    up.get("conflicts")));
        }
        for (String k : new String[] {"bigTx", "hugeTx"}) {
            Map<String, Object> t = (Map<String, Object>) r.get(k);
            if (t != null) {
                sb.append(String.format(Locale.ROOT, "%s: %s edges: %s%n", k, t.get("edges"), t.get("outcome")));
            }
        }
        System.out.print(sb);
    }
}
