package dev.sablegraph.jmh;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.CheckpointMetrics;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.jmh.scale.LatencyHistogram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What an online backup costs the commits running beside it, and how fast it copies.
 *
 * <pre>
 * java -Xmx1g -cp jmh/target/benchmarks.jar dev.sablegraph.jmh.BackupUnderLoad --dir /tmp/backup-bench \
 *     [--size-mb 1024] [--threads 4] [--seconds 10] [--cache-mb 128] [--keep]
 * </pre>
 *
 * <p><b>Database</b>: {@value #ACCOUNTS} small {@code Account} nodes, then {@code Ballast} nodes with a
 * 1,500-byte random value (five to a page, incompressible) in transactions of {@value #BATCH},
 * under {@code ASYNC}, until the data file holds {@code --size-mb}. The directory is reused when a
 * load into it completed ({@value #LOADED} marker).
 *
 * <p><b>Measurement</b>: reopened under {@code SYNC}; {@code --threads} writers commit small
 * transactions in a closed loop (each sets a counter on one random account), every commit timed
 * around {@code commit()} and recorded in a {@link LatencyHistogram} of its phase: 3 s of warm-up
 * (not reported), {@code --seconds} before the backup, the backup itself ({@link
 * ConcurrentGraphDB#backup} on the main thread, timed), and {@code --seconds} after. Reported per
 * phase: commits/s and commit latency p50, p99, p99.9 and max; for the backup: its duration, the
 * copy's size and MiB/s, and the checkpoint switches during it (its own is the one pause commits
 * take for it).
 * The copy is opened once to check it holds every account, then deleted unless {@code --keep}.
 */
public final class BackupUnderLoad {
    static final int ACCOUNTS = 10_000;
    static final int BATCH = 2_000;
    static final int BALLAST_BYTES = 1_500;
    static final String LOADED = "backup-bench.loaded";
    private static final String[] PHASES = {"warm-up", "before", "during backup", "after"};

    private BackupUnderLoad() {}

    record Options(Path dir, long sizeMb, int threads, double seconds, long cacheMb, boolean keep) {
        static Options parse(String[] args) {
            Path dir = null;
            long sizeMb = 1024;
            int threads = 4;
            double seconds = 10;
            long cacheMb = GraphConfig.DEFAULT_PAGE_CACHE_BYTES >> 20;
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--dir" -> dir = Path.of(args[++i]);
                    case "--size-mb" -> sizeMb = Long.parseLong(args[++i]);
                    case "--threads" -> threads = Integer.parseInt(args[++i]);
                    case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                    case "--cache-mb" -> cacheMb = Long.parseLong(args[++i]);
                    case "--keep" -> keep = true;
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]
                            + "; usage: --dir DIR [--size-mb N] [--threads T] [--seconds S] [--cache-mb M] [--keep]");
                }
            }
            if (dir == null) {
                throw new IllegalArgumentException("--dir DIR is required");
            }
            return new Options(dir, sizeMb, threads, seconds, cacheMb, keep);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path db = o.dir().resolve("db");
        Path copy = o.dir().resolve("copy");
        deleteTree(copy);
        GraphConfig.Builder config = GraphConfig.builder().pageCacheBytes(o.cacheMb() << 20);
        load(db, o.sizeMb(), config.durability(Durability.ASYNC).build());

        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db, config.durability(Durability.SYNC).build())) {
            long[] accounts = accounts(graph);
            Writers writers = new Writers(graph, accounts, o.threads());
            writers.start();
            sleep(3);
            writers.enter(1);
            sleep(o.seconds());
            CheckpointMetrics before = graph.checkpointMetrics();
            long t0 = System.nanoTime();
            writers.enter(2);
            graph.backup(copy);
            long backupNanos = System.nanoTime() - t0;
            writers.enter(3);
            CheckpointMetrics during = graph.checkpointMetrics();
            sleep(o.seconds());
            writers.stop();

            long copyBytes = treeBytes(copy);
            double seconds = backupNanos / 1e9;
            System.out.printf(Locale.ROOT, "database: data file %.0f MiB, %d writer threads, SYNC, page cache %d MiB%n",
                    Files.size(db.resolve("data.sable")) / 1048576.0, o.threads(), o.cacheMb());
            for (int p = 1; p < PHASES.length; p++) {
                LatencyHistogram h = writers.histogram(p);
                System.out.printf(Locale.ROOT, "%-14s %7.1f s %9.0f commits/s  p50 %7.0f us  p99 %8.0f us  p99.9 %8.0f us"
                        + "  max %8.0f us%n", PHASES[p], writers.seconds(p), h.count() / writers.seconds(p),
                        h.percentile(50) / 1e3, h.percentile(99) / 1e3, h.percentile(99.9) / 1e3, h.max() / 1e3);
            }
            long checkpoints = during.checkpoints() - before.checkpoints();
            System.out.printf(Locale.ROOT, "backup: %.2f s, copy %.0f MiB, %.0f MiB/s; checkpoints during it: %d"
                    + " (the backup's own included), their switches %d us in all%n", seconds, copyBytes / 1048576.0,
                    copyBytes / 1048576.0 / seconds, checkpoints, during.totalSwitchMicros() - before.totalSwitchMicros());
        }
        try (ConcurrentGraphDB restored = ConcurrentGraphDB.open(copy, config.build()); Transaction tx = restored.begin()) {
            int found = tx.nodesByLabel("Account").size();
            if (found != ACCOUNTS) {
                throw new AssertionError("the copy holds " + found + " accounts, not " + ACCOUNTS);
            }
            System.out.println("the copy opens and holds every account");
        }
        if (!o.keep()) {
            deleteTree(copy);
        }
    }

    /** Writer threads committing one small update each, timed into the histogram of the current phase. */
    private static final class Writers {
        final ConcurrentGraphDB db;
        final long[] accounts;
        final List<Thread> threads = new ArrayList<>();
        final List<LatencyHistogram[]> histograms = new ArrayList<>();
        final long[] phaseStart = new long[PHASES.length + 1];
        final AtomicBoolean stop = new AtomicBoolean();
        volatile int phase;

        Writers(ConcurrentGraphDB db, long[] accounts, int count) {
            this.db = db;
            this.accounts = accounts;
            for (int t = 0; t < count; t++) {
                LatencyHistogram[] mine = new LatencyHistogram[PHASES.length];
                for (int p = 0; p < mine.length; p++) {
                    mine[p] = new LatencyHistogram();
                }
                histograms.add(mine);
                int seed = t;
                threads.add(new Thread(() -> run(mine, seed), "writer-" + t));
            }
        }

        void start() {
            enter(0);
            threads.forEach(Thread::start);
        }

        /** Starts phase {@code p}: commits that begin from now on are timed into its histograms. */
        void enter(int p) {
            phaseStart[p] = System.nanoTime();
            phase = p;
        }

        void run(LatencyHistogram[] mine, int seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            long n = 0;
            while (!stop.get()) {
                int p = phase;
                try (Transaction tx = db.begin()) {
                    tx.setNodeProperty(accounts[rnd.nextInt(accounts.length)], "n", n++);
                    long t0 = System.nanoTime();
                    tx.commit();
                    mine[p].record(System.nanoTime() - t0);
                } catch (dev.sablegraph.core.WriteConflictException conflict) {
                    // two writers picked the same account: not a commit, not timed
                }
            }
        }

        LatencyHistogram histogram(int p) {
            LatencyHistogram all = new LatencyHistogram();
            histograms.forEach(h -> all.add(h[p]));
            return all;
        }

        /** Seconds phase {@code p} lasted. */
        double seconds(int p) {
            return (phaseStart[p + 1] - phaseStart[p]) / 1e9;
        }

        void stop() throws InterruptedException {
            phaseStart[PHASES.length] = System.nanoTime();
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    /** Loads the database unless an earlier run completed it. */
    private static void load(Path db, long sizeMb, GraphConfig config) throws IOException {
        if (Files.exists(db.resolve(LOADED)) && Files.readString(db.resolve(LOADED)).trim().equals(Long.toString(sizeMb))) {
            return;
        }
        deleteTree(db);
        long t0 = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(42);
        byte[] value = new byte[BALLAST_BYTES];
        long ballast = 0;
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db, config)) {
            try (Transaction tx = graph.begin()) {
                for (int i = 0; i < ACCOUNTS; i++) {
                    tx.addNode(Set.of("Account"), Map.of("no", (long) i, "n", 0L));
                }
                tx.commit();
            }
            while (Files.size(db.resolve("data.sable")) < sizeMb << 20) {
                try (Transaction tx = graph.begin()) {
                    for (int i = 0; i < BATCH; i++) {
                        rnd.nextBytes(value);
                        tx.addNode(Set.of("Ballast"), Map.of("no", ballast++, "blob", value));
                    }
                    tx.commit();
                }
            }
        }
        Files.writeString(db.resolve(LOADED), Long.toString(sizeMb));
        System.out.printf(Locale.ROOT, "loaded %d ballast nodes in %.1f s%n", ballast, (System.nanoTime() - t0) / 1e9);
    }

    private static long[] accounts(ConcurrentGraphDB db) {
        try (Transaction tx = db.begin()) {
            return tx.nodesByLabel("Account").stream().mapToLong(n -> n.id()).toArray();
        }
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    private static long treeBytes(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
