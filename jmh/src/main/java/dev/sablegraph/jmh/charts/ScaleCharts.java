package dev.sablegraph.jmh.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Charts of how cost grows with size, from the JSON objects {@code dev.sablegraph.jmh.scale.ScaleRun}
 * writes (one per file, or several in an array): read latency percentiles (one thread) against the
 * number of nodes, read throughput (one and N threads), and load rates.
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.sablegraph.jmh.charts.ScaleCharts --out docs/charts [--note TEXT] \
 *     scale-100k.json scale-1m.json scale-10m.json
 * </pre>
 *
 * Writes {@code scale-read-latency.svg}, {@code scale-read-throughput.svg} and
 * {@code scale-load-rate.svg}. Runs without read figures ({@code --load-only}) appear in the load
 * chart only. {@code --later FILE} (repeatable) adds the load rates of a later version's runs at
 * some of the same sizes to the load chart, as series of their own named by {@code --later-label}
 * (the first runs' by {@code --label}), so that a change's effect shows beside what it changed.
 */
public final class ScaleCharts {
    private ScaleCharts() {}

    public static void main(String[] args) throws IOException {
        try {
            run(args);
        } catch (IllegalArgumentException | Json.JsonException e) {
            System.err.println("ScaleCharts: " + e.getMessage());
            System.exit(2);
        }
    }

    /** One ScaleRun result, as far as the charts need it. */
    record Run(String source, long nodes, long cacheBytes, long dataBytes, Map<String, Object> json) {}

    public static List<Path> run(String[] args) throws IOException {
        Path out = null;
        String note = "";
        String label = "first";
        String laterLabel = "later";
        List<Path> files = new ArrayList<>();
        List<Path> laterFiles = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--note" -> note = args[++i];
                case "--label" -> label = args[++i];
                case "--later" -> laterFiles.add(Path.of(args[++i]));
                case "--later-label" -> laterLabel = args[++i];
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + args[i]
                                + " (use --out DIR, --note TEXT, --label TEXT, --later FILE, --later-label TEXT)");
                    }
                    files.add(Path.of(args[i]));
                }
            }
        }
        if (out == null || files.isEmpty()) {
            throw new IllegalArgumentException("usage: ScaleCharts --out DIR [--note TEXT] scale-result.json...");
        }
        List<Run> runs = runs(files);
        List<Run> later = runs(laterFiles);
        for (Run r : later) {
            if (position(runs, r) < 0) {
                throw new IllegalArgumentException(r.source() + ": no first run of " + r.nodes() + " nodes to chart it beside");
            }
        }
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        Labels labels = new Labels(later.isEmpty() ? "" : ", " + label, ", " + laterLabel);
        for (Map.Entry<String, LineChart> e : charts(runs, later, labels, note).entrySet()) {
            Path file = out.resolve(e.getKey() + ".svg");
            Files.writeString(file, e.getValue().toSvg());
            written.add(file);
            System.out.println("wrote " + file);
        }
        return written;
    }

    /** What the load chart appends to the series names of the first and of the later runs. */
    record Labels(String first, String later) {}

    /** The runs in {@code files}, by size; two of one size are an error. */
    private static List<Run> runs(List<Path> files) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (Path f : files) {
            Object doc = Json.parse(f);
            List<?> items = doc instanceof List<?> l ? l : List.of(doc);
            for (Object item : items) {
                runs.add(run(item, f.getFileName().toString()));
            }
        }
        runs.sort(Comparator.comparingLong(Run::nodes));
        for (int i = 1; i < runs.size(); i++) {
            if (runs.get(i).nodes() == runs.get(i - 1).nodes()) {
                throw new IllegalArgumentException("two results for " + runs.get(i).nodes() + " nodes: "
                        + runs.get(i - 1).source() + " and " + runs.get(i).source());
            }
        }
        return runs;
    }

    @SuppressWarnings("unchecked")
    private static Run run(Object item, String source) {
        if (!(item instanceof Map<?, ?> m) || !"ScaleRun".equals(m.get("tool"))) {
            throw new IllegalArgumentException(source + ": not a ScaleRun result (no \"tool\": \"ScaleRun\")");
        }
        return new Run(source, longOf(m, "nodes", source), longOf(m, "pageCacheBytes", source),
                longOf(m, "dataBytes", source), (Map<String, Object>) m);
    }

    private static long longOf(Map<?, ?> m, String key, String source) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException(source + ": \"" + key + "\" must be a number");
        }
        return n.longValue();
    }

    @SuppressWarnings("unchecked")
    private static double number(Map<String, Object> json, String section, String key) {
        Object s = json.get(section);
        if (!(s instanceof Map<?, ?> m) || !m.containsKey(key)) {
            return Double.NaN;
        }
        return Json.toDouble(((Map<String, Object>) m).get(key), section + "." + key);
    }

    static String sizeLabel(long nodes) {
        if (nodes % 1_000_000 == 0) {
            return nodes / 1_000_000 + "M";
        }
        if (nodes % 1_000 == 0) {
            return nodes / 1_000 + "K";
        }
        return Long.toString(nodes);
    }

    private static String mib(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    }

    /** Where the first run of {@code r}'s size sits among {@code runs}, or -1. */
    private static int position(List<Run> runs, Run r) {
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).nodes() == r.nodes()) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> footer(List<Run> runs) {
        return List.of("Generated by dev.sablegraph.jmh.charts.ScaleCharts from "
                + String.join(", ", runs.stream().map(Run::source).toList()));
    }

    static Map<String, LineChart> charts(List<Run> runs, List<Run> later, Labels labels, String note) {
        List<String> categories = runs.stream()
                .map(r -> sizeLabel(r.nodes()) + (Boolean.FALSE.equals(r.json().get("complete")) ? " *" : "") + "\n"
                        + mib(r.dataBytes()) + " on disk, cache " + mib(r.cacheBytes()))
                .toList();
        boolean partial = runs.stream().anyMatch(r -> Boolean.FALSE.equals(r.json().get("complete")));
        // The later runs add only load rates: only the load chart names them among its sources.
        List<String> footer = footer(runs);
        String sub = note.isEmpty() ? null : note;
        if (partial) {
            String star = "* load incomplete: all nodes, part of the edges (see the result file); load rates over what was loaded";
            sub = sub == null ? star : sub + "\n" + star;
        }
        Map<String, LineChart> charts = new java.util.LinkedHashMap<>();

        List<LineChart.Series> lat = new ArrayList<>();
        String[][] pcts = {{"p50Ns", "p50"}, {"p90Ns", "p90"}, {"p99Ns", "p99"}};
        for (String[] p : pcts) {
            lat.add(new LineChart.Series(p[1] + ", 1 thread", points(runs, "read1", p[0], 1e-3)));
        }
        if (lat.stream().anyMatch(s -> !s.points().isEmpty())) {
            charts.put("scale-read-latency", new LineChart("Read latency vs graph size (random getNode, 1 thread)",
                    lines("one transaction per read: begin, getNode of a uniformly random node, read its properties, close;",
                            "every read timed (nanoTime), after a warm-up; page cache cold at open; 5 edges per node", sub),
                    "nodes (data on disk, page cache)", "µs per read", categories, lat, footer));
        }
        List<LineChart.Series> thr = new ArrayList<>();
        thr.add(new LineChart.Series("1 thread", points(runs, "read1", "opsPerSecond", 1)));
        String n = runs.stream().map(r -> r.json().get("readN")).filter(x -> x instanceof Map).findFirst()
                .map(x -> String.valueOf(((Map<?, ?>) x).get("threads"))).orElse("N");
        thr.add(new LineChart.Series(n + " threads", points(runs, "readN", "opsPerSecond", 1)));
        if (thr.stream().anyMatch(s -> !s.points().isEmpty())) {
            charts.put("scale-read-throughput", new LineChart("Read throughput vs graph size (random getNode)",
                    lines("one transaction per read; measured after the 1-thread latency phase", sub),
                    "nodes (data on disk, page cache)", "reads/s", categories, thr, footer));
        }
        List<LineChart.Series> load = new ArrayList<>();
        load.add(new LineChart.Series("nodes/s" + labels.first(), points(runs, "load", "nodesPerSecond", 1)));
        load.add(new LineChart.Series("edges/s" + labels.first(), points(runs, "load", "edgesPerSecond", 1)));
        if (!later.isEmpty()) {
            load.add(new LineChart.Series("nodes/s" + labels.later(), laterPoints(runs, later, "nodesPerSecond")));
            load.add(new LineChart.Series("edges/s" + labels.later(), laterPoints(runs, later, "edgesPerSecond")));
        }
        charts.put("scale-load-rate", new LineChart("Bulk load rate vs graph size",
                lines("public API, transactions of a few thousand operations, nodes first, then 5 edges per node to random nodes",
                        sub),
                "nodes (data on disk, page cache)", "inserts/s", categories, load,
                footer(Stream.concat(runs.stream(), later.stream()).toList())));
        return charts;
    }

    private static List<String> lines(String a, String b) {
        List<String> l = new ArrayList<>();
        l.add(a);
        if (b != null) {
            l.addAll(List.of(b.split("\n")));
        }
        return l;
    }

    private static List<String> lines(String a, String b, String c) {
        List<String> l = lines(a, b);
        if (c != null) {
            l.addAll(List.of(c.split("\n")));
        }
        return l;
    }

    /** The later runs' load figure {@code key}, each at the position of the first run of its size. */
    private static List<LineChart.Point> laterPoints(List<Run> runs, List<Run> later, String key) {
        List<LineChart.Point> pts = new ArrayList<>();
        for (Run r : later) {
            double v = number(r.json(), "load", key);
            if (Double.isFinite(v)) {
                pts.add(new LineChart.Point(position(runs, r), v, Double.NaN));
            }
        }
        return pts;
    }

    private static List<LineChart.Point> points(List<Run> runs, String section, String key, double scale) {
        List<LineChart.Point> pts = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            double v = number(runs.get(i).json(), section, key);
            if (Double.isFinite(v)) {
                pts.add(new LineChart.Point(i, v * scale, Double.NaN));
            }
        }
        return pts;
    }
}
