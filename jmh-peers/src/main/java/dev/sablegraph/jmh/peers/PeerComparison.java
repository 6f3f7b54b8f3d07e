package dev.sablegraph.jmh.peers;

import dev.sablegraph.jmh.ConcurrentThroughput;
import dev.sablegraph.jmh.SingleThreadWarmUp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Sable ({@link ConcurrentThroughput}, {@code OPTIMISTIC}, {@code SYNC}) against Neo4j embedded
 * ({@link Neo4jConcurrentThroughput}) in one command: for each (workload, threads) cell it runs
 * the Sable benchmark, then the Neo4j one, each in its own JMH fork, and prints one table of
 * medians with the ratio and the target. Defaults: {@code read} and {@code mixed} at 1 and
 * 50 threads, {@code write} at 1 and 20 threads; 5 warm-up and 5 measured iterations of 2 s per
 * cell, and 10 s of single-threaded warm-up in every fork, Sable's and Neo4j's, before JMH's
 * warm-up ({@link SingleThreadWarmUp}).
 *
 * <pre>java -cp jmh-peers/target/peers-benchmarks.jar dev.sablegraph.jmh.peers.PeerComparison
 *     [--quick] [--ops read,mixed,write] [--read-threads 1,50] [--write-threads 1,20]
 *     [--wi 5] [--w 2] [--i 5] [--r 2] [--jit-warmup 10] [--json FILE] [--sable-jvm-args "ARGS"]</pre>
 *
 * {@code --read-threads} applies to every workload except {@code write}; {@code --ops} may also
 * name {@code twoHop}, {@code propertyLookup}, {@code labelScan} (no target). {@code --quick}: 1
 * warm-up and 2 measured iterations of 1 s, 2 s of single-threaded warm-up (a smoke test, not a result).
 * {@code --sable-jvm-args} appends JVM flags to the Sable forks only (e.g. a flight recording).
 */
public final class PeerComparison {
    private PeerComparison() {}

    /** The targets: Sable / Neo4j at these (workload, threads) cells. */
    static final Map<String, Double> TARGETS = Map.of(
            "read|1", 5.0, "read|50", 5.0,
            "mixed|1", 5.0, "mixed|50", 5.0,
            "write|20", 3.0);

    record Cell(String op, int threads) {}

    record Score(double median, double min, double max, int n) {
        static Score of(BenchmarkResult r) {
            double[] s = r.getIterationResults().stream().mapToDouble(it -> it.getPrimaryResult().getScore()).sorted().toArray();
            int n = s.length;
            double median = n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            return new Score(median, n == 0 ? Double.NaN : s[0], n == 0 ? Double.NaN : s[n - 1], n);
        }
    }

    public static void main(String[] args) throws RunnerException, IOException {
        List<String> ops = List.of("read", "mixed", "write");
        List<Integer> readThreads = List.of(1, 50);
        List<Integer> writeThreads = List.of(1, 20);
        int wi = 5;
        int w = 2;
        int mi = 5;
        int r = 2;
        double jitWarmup = 10;
        String json = null;
        String sableJvmArgs = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> {
                    wi = 1;
                    w = 1;
                    mi = 2;
                    r = 1;
                    jitWarmup = 2;
                }
                case "--ops" -> ops = List.of(args[++i].split(","));
                case "--read-threads" -> readThreads = ints(args[++i]);
                case "--write-threads" -> writeThreads = ints(args[++i]);
                case "--wi" -> wi = Integer.parseInt(args[++i]);
                case "--w" -> w = Integer.parseInt(args[++i]);
                case "--i" -> mi = Integer.parseInt(args[++i]);
                case "--r" -> r = Integer.parseInt(args[++i]);
                case "--jit-warmup" -> jitWarmup = Double.parseDouble(args[++i]);
                case "--json" -> json = args[++i];
                case "--sable-jvm-args" -> sableJvmArgs = args[++i];
                default -> {
                    System.err.println("unknown argument " + args[i] + "; usage: PeerComparison [--quick] [--ops read,mixed,write]"
                            + " [--read-threads 1,50] [--write-threads 1,20] [--wi N] [--w SECONDS] [--i N] [--r SECONDS]"
                            + " [--jit-warmup SECONDS] [--json FILE] [--sable-jvm-args \"ARGS\"]");
                    System.exit(2);
                }
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (String op : ops) {
            for (int t : op.equals("write") ? writeThreads : readThreads) {
                cells.add(new Cell(op, t));
            }
        }
        String loadBefore = loadAverage();
        Instant start = Instant.now();
        System.out.printf("[peers] %d cells, load average before: %s%n", cells.size(), loadBefore);
        Map<Cell, Score> sable = new LinkedHashMap<>();
        Map<Cell, Score> neo4j = new LinkedHashMap<>();
        List<RunResult> all = new ArrayList<>();
        for (Cell c : cells) {
            ChainedOptionsBuilder s = options(wi, w, mi, r, c)
                    .include("^" + Pattern.quote(ConcurrentThroughput.class.getName() + "." + c.op()) + "$")
                    .param("lockStrategy", "OPTIMISTIC")
                    .param("durability", "SYNC");
            String warmUp = "-D" + SingleThreadWarmUp.SECONDS_PROPERTY + "=" + jitWarmup;
            List<String> sableArgs = new ArrayList<>(List.of(warmUp));
            if (sableJvmArgs != null) {
                sableArgs.addAll(List.of(sableJvmArgs.trim().split("\\s+")));
            }
            s.jvmArgsAppend(sableArgs.toArray(new String[0]));
            sable.put(c, run(s, all));
            List<String> neoArgs = new ArrayList<>(Neo4jConcurrentThroughput.JVM_FLAGS);
            neoArgs.add(warmUp);
            ChainedOptionsBuilder n = options(wi, w, mi, r, c)
                    .include("^" + Pattern.quote(Neo4jConcurrentThroughput.class.getName() + "." + c.op()) + "$")
                    .jvmArgsAppend(neoArgs.toArray(new String[0]));
            neo4j.put(c, run(n, all));
            System.out.printf("[peers] after %s x %d: load average %s%n", c.op(), c.threads(), loadAverage());
        }
        String loadAfter = loadAverage();
        if (json != null) {
            try (PrintStream out = new PrintStream(Files.newOutputStream(Path.of(json)), true, StandardCharsets.UTF_8)) {
                ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(all);
            }
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT,
                "%nSable (OPTIMISTIC, SYNC) vs Neo4j %s embedded: ops/s, median of %d iterations of %d s [min-max]%n",
                Neo4jDataset.NEO4J_VERSION, mi, r));
        table.append(String.format(Locale.ROOT, "%d cores, %s %s; wall %s; load average before %s, after %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), Duration.between(start, Instant.now()).withNanos(0), loadBefore,
                loadAfter));
        table.append("| workload | threads | Sable ops/s | Neo4j ops/s | ratio | target | met? |\n");
        table.append("|---|---:|---:|---:|---:|---:|---|\n");
        for (Cell c : cells) {
            Score a = sable.get(c);
            Score b = neo4j.get(c);
            double ratio = a.median() / b.median();
            Double target = TARGETS.get(c.op() + "|" + c.threads());
            table.append(String.format(Locale.ROOT, "| %s | %d | %s [%s-%s] | %s [%s-%s] | %.2f | %s | %s |%n",
                    c.op(), c.threads(), fmt(a.median()), fmt(a.min()), fmt(a.max()), fmt(b.median()), fmt(b.min()),
                    fmt(b.max()), ratio, target == null ? "-" : String.format(Locale.ROOT, "≥ %.0f×", target),
                    target == null ? "-" : ratio >= target ? "yes" : "**no**"));
        }
        System.out.print(table);
        if (json != null) {
            System.out.println("JMH results (JSON): " + json);
        }
    }

    private static ChainedOptionsBuilder options(int wi, int w, int mi, int r, Cell c) {
        return new OptionsBuilder()
                .threads(c.threads())
                .forks(1)
                .warmupIterations(wi)
                .warmupTime(TimeValue.seconds(w))
                .measurementIterations(mi)
                .measurementTime(TimeValue.seconds(r))
                .shouldFailOnError(true);
    }

    private static Score run(ChainedOptionsBuilder opts, List<RunResult> all) throws RunnerException {
        Collection<RunResult> results = new Runner(opts.build()).run();
        if (results.size() != 1) {
            throw new IllegalStateException("expected one benchmark, ran " + results.size());
        }
        RunResult result = results.iterator().next();
        all.add(result);
        return Score.of(result.getAggregatedResult());
    }

    private static List<Integer> ints(String s) {
        return Arrays.stream(s.split(",")).map(Integer::parseInt).toList();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
