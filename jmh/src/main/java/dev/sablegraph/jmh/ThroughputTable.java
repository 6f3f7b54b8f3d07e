package dev.sablegraph.jmh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The README's main job: runs {@link ConcurrentThroughput} for every lock strategy at several thread
 * counts and prints one table of medians (ops/s). Short by default; {@code --long} for the
 * iteration counts used in docs/benchmarks.md.
 *
 * <pre>java -cp jmh/target/benchmarks.jar dev.sablegraph.jmh.ThroughputTable [--long] [--threads 1,2,10,50]
 *     [--ops read,write,mixed] [--strategies GLOBAL_MUTEX,READ_WRITE,OPTIMISTIC] [--durability SYNC|ASYNC]
 *     [--json FILE]</pre>
 */
public final class ThroughputTable {
    private ThroughputTable() {}

    public static void main(String[] args) throws RunnerException {
        boolean longRun = false;
        List<Integer> threads = List.of(1, 2, 10, 50);
        List<String> ops = List.of("read", "write", "mixed");
        List<String> strategies = List.of("GLOBAL_MUTEX", "READ_WRITE", "OPTIMISTIC");
        String json = null;
        String durability = "SYNC";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--long" -> longRun = true;
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--ops" -> ops = List.of(args[++i].split(","));
                case "--strategies" -> strategies = List.of(args[++i].split(","));
                case "--json" -> json = args[++i];
                case "--durability" -> durability = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --long, --threads, --ops, --strategies, --durability, --json)");
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        for (int t : threads) {
            run(ConcurrentThroughput.class.getName() + "\\.(" + String.join("|", ops) + ")$", strategies, durability, t,
                    longRun, json == null ? null : perRun(json, "-t" + t), medians);
            // The map floor does not depend on the strategy: one run of it.
            run(ConcurrentThroughput.class.getName() + "\\.mapFloor$", List.of(strategies.get(0)), durability, t,
                    longRun, json == null ? null : perRun(json, "-floor-t" + t), medians);
        }
        print(medians, threads, ops, strategies, durability);
    }

    /** The result file of one run: {@code suffix} before the extension ({@code out.json} → {@code out-t1.json}). */
    static String perRun(String json, String suffix) {
        int dot = json.endsWith(".json") ? json.length() - 5 : json.length();
        return json.substring(0, dot) + suffix + ".json";
    }

    private static void run(String include, List<String> strategies, String durability, int t, boolean longRun,
            String json, Map<String, Double> medians) throws RunnerException {
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .include(include)
                .param("lockStrategy", strategies.toArray(new String[0]))
                .param("durability", durability)
                .threads(t)
                .forks(1)
                .warmupIterations(longRun ? 3 : 2)
                .warmupTime(TimeValue.seconds(longRun ? 2 : 1))
                .measurementIterations(longRun ? 5 : 3)
                .measurementTime(TimeValue.seconds(longRun ? 2 : 1))
                .shouldFailOnError(true);
        if (json != null) {
            opts.result(json).resultFormat(ResultFormatType.JSON);
        }
        Collection<RunResult> results = new Runner(opts.build()).run();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            String strategy = method.equals("mapFloor") ? "(map floor)" : r.getParams().getParam("lockStrategy");
            medians.put(strategy + "|" + method + "|" + t, median(r.getAggregatedResult()));
        }
    }

    private static double median(BenchmarkResult result) {
        double[] scores = result.getIterationResults().stream()
                .mapToDouble(it -> it.getPrimaryResult().getScore()).toArray();
        Arrays.sort(scores);
        int n = scores.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? scores[n / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2;
    }

    private static void print(Map<String, Double> medians, List<Integer> threads, List<String> ops, List<String> strategies,
            String durability) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "%nSable concurrent_throughput: ops/s, median of iterations, durability %s, %d cores, %s%n", durability,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version")));
        out.append(String.format(Locale.ROOT, "%-14s %-7s", "strategy", "op"));
        for (int t : threads) {
            out.append(String.format(Locale.ROOT, " %13s", t + (t == 1 ? " thread" : " threads")));
        }
        out.append('\n');
        List<String> rows = new ArrayList<>(strategies);
        rows.add("(map floor)");
        for (String strategy : rows) {
            for (String op : strategy.equals("(map floor)") ? List.of("mapFloor") : ops) {
                out.append(String.format(Locale.ROOT, "%-14s %-7s", strategy, op.equals("mapFloor") ? "read" : op));
                for (int t : threads) {
                    Double v = medians.get(strategy + "|" + op + "|" + t);
                    out.append(String.format(Locale.ROOT, " %13s", v == null ? "-" : String.format(Locale.ROOT, "%,.0f", v)));
                }
                out.append('\n');
            }
        }
        System.out.print(out);
    }
}
