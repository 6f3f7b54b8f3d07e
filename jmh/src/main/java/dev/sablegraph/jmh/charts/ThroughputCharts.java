package dev.sablegraph.jmh.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Throughput-against-threads charts (SVG) from JMH JSON result files: one chart per benchmark
 * method (and durability, and mode), one line per lock strategy, and one line per engine for
 * results of peer benchmarks (classes in package {@value #PEERS_PACKAGE}, with the same method
 * names), so Sable and the peers share the axes.
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.sablegraph.jmh.charts.ThroughputCharts --out docs/charts \
 *     [--note "2 vCPUs, shared"] [--prefix throughput] [--label Neo4jConcurrentThroughput="Neo4j 5.26"] \
 *     results1.json [results2.json ...]
 * </pre>
 *
 * <ul>
 *   <li>Input: what JMH writes with {@code -rf json}; {@code ThroughputTable --json F.json} writes
 *       such files too (one per thread count, {@code F-t1.json}, {@code F-floor-t1.json}, ...): pass
 *       them all.</li>
 *   <li>Points: JMH's score (the mean of the measured iterations); error bars: JMH's
 *       {@code scoreError} (half-width of its 99.9 % confidence interval), omitted when JMH wrote
 *       {@code "NaN"} (a single iteration).</li>
 *   <li>Series: Sable results by their {@code lockStrategy} parameter (plus any other parameter that
 *       varies within the chart, except {@code durability}, which is in the title); {@code mapFloor}
 *       joins the {@code read} chart as the {@code ConcurrentHashMap} floor; peer results by engine:
 *       {@code --label}, else the {@code engine} (and {@code engineVersion}) parameters, else the class
 *       name without its {@code ConcurrentThroughput} suffix. A peer result without a
 *       {@code durability} parameter appears in the charts of every durability.</li>
 *   <li>X axis: the thread counts present, evenly spaced (categorical); y axis from 0.</li>
 *   <li>Two results for the same series and thread count (say, the same file passed twice, or two
 *       runs mixed) are an error: chart one run at a time.</li>
 *   <li>Files are named {@code <prefix>-<method>-<durability>.svg} ({@code -<mode>} added for modes
 *       other than throughput).</li>
 * </ul>
 */
public final class ThroughputCharts {
    static final String PEERS_PACKAGE = "dev.sablegraph.jmh.peers";
    private static final String FLOOR_METHOD = "mapFloor";

    private static final Map<String, String> WORKLOADS = Map.of(
            "read", "one transaction per operation: begin, getNode of a random node, read its properties",
            "write", "one transaction per operation: begin, addNode (1 label, 2 properties), commit",
            "mixed", "one transaction per operation: 80 % read, 20 % write",
            "twoHop", "one transaction per operation: nodes within 2 hops of a random node",
            "propertyLookup", "one transaction per operation: findNodes by label and property, one hit",
            "labelScan", "one transaction per operation: stream and count all nodes of a label");

    private ThroughputCharts() {}

    public static void main(String[] args) throws IOException {
        try {
            List<Path> written = run(args);
            if (written.isEmpty()) {
                System.err.println("no results to chart");
                System.exit(1);
            }
        } catch (IllegalArgumentException | Json.JsonException e) {
            System.err.println("ThroughputCharts: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Parses the arguments, writes the charts and returns their paths. */
    public static List<Path> run(String[] args) throws IOException {
        Path out = null;
        String note = "";
        String prefix = "throughput";
        Map<String, String> labels = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--note" -> note = value(args, ++i, a);
                case "--prefix" -> prefix = value(args, ++i, a);
                case "--label" -> {
                    String v = value(args, ++i, a);
                    int eq = v.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--label needs CLASS=TEXT, got " + v);
                    }
                    labels.put(v.substring(0, eq), v.substring(eq + 1));
                }
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + a + " (use --out DIR, --note TEXT, "
                                + "--prefix NAME, --label CLASS=TEXT, then JMH JSON files)");
                    }
                    files.add(Path.of(a));
                }
            }
        }
        if (out == null || files.isEmpty()) {
            throw new IllegalArgumentException("usage: ThroughputCharts --out DIR [--note TEXT] [--prefix NAME] "
                    + "[--label CLASS=TEXT] results.json...");
        }
        List<JmhResult> results = new ArrayList<>();
        for (Path f : files) {
            results.addAll(JmhResult.read(f));
        }
        List<String> sources = files.stream().map(f -> f.getFileName().toString()).toList();
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, LineChart> e : charts(results, note, labels, sources).entrySet()) {
            Path file = out.resolve(prefix + "-" + e.getKey() + ".svg");
            Files.writeString(file, e.getValue().toSvg());
            written.add(file);
            System.out.println("wrote " + file + ": " + summary(e.getValue()));
        }
        return written;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /** The charts for these results, keyed by file stem ({@code <method>-<durability>[-<mode>]}). */
    static Map<String, LineChart> charts(List<JmhResult> results, String note, Map<String, String> labels,
            List<String> sources) {
        // Chart keys from the Sable (non-peer) results and the peers that carry a durability.
        record Key(String method, String durability, String mode, String unit) {
            String stem() {
                return method + "-" + durability.toLowerCase(Locale.ROOT) + (mode.equals("thrpt") ? "" : "-" + mode);
            }
        }
        Map<Key, List<JmhResult>> groups = new TreeMap<>((a, b) -> a.stem().compareTo(b.stem()) != 0
                ? a.stem().compareTo(b.stem()) : a.unit().compareTo(b.unit()));
        List<JmhResult> peersWithoutDurability = new ArrayList<>();
        for (JmhResult r : results) {
            String method = chartMethod(r);
            String durability = r.params().get("durability");
            if (durability == null && isPeer(r)) {
                peersWithoutDurability.add(r);
                continue;
            }
            groups.computeIfAbsent(new Key(method, durability == null ? "default" : durability, r.mode(), r.unit()),
                    k -> new ArrayList<>()).add(r);
        }
        for (JmhResult r : peersWithoutDurability) {
            boolean placed = false;
            for (Map.Entry<Key, List<JmhResult>> g : groups.entrySet()) {
                Key k = g.getKey();
                if (k.method().equals(chartMethod(r)) && k.mode().equals(r.mode()) && k.unit().equals(r.unit())) {
                    g.getValue().add(r);
                    placed = true;
                }
            }
            if (!placed) {
                groups.computeIfAbsent(new Key(chartMethod(r), "default", r.mode(), r.unit()), k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, LineChart> charts = new LinkedHashMap<>();
        for (Map.Entry<Key, List<JmhResult>> g : groups.entrySet()) {
            Key k = g.getKey();
            // A group holding only the floor has nothing to compare against: no chart.
            if (g.getValue().stream().allMatch(r -> r.method().equals(FLOOR_METHOD))) {
                continue;
            }
            String stem = k.stem();
            if (charts.containsKey(stem)) {
                stem = stem + "-" + k.unit().replaceAll("[^A-Za-z0-9]+", "_");
            }
            charts.put(stem, chart(k.method(), k.durability(), k.mode(), k.unit(), g.getValue(), note, labels, sources));
        }
        return charts;
    }

    private static String chartMethod(JmhResult r) {
        return r.method().equals(FLOOR_METHOD) ? "read" : r.method();
    }

    static boolean isPeer(JmhResult r) {
        return r.packageName().equals(PEERS_PACKAGE) || r.packageName().startsWith(PEERS_PACKAGE + ".");
    }

    private static LineChart chart(String method, String durability, String mode, String unit, List<JmhResult> rs,
            String note, Map<String, String> labels, List<String> sources) {
        // Parameters (other than durability) whose value differs among the Sable results go into series names.
        Map<String, Set<String>> values = new TreeMap<>();
        for (JmhResult r : rs) {
            if (isPeer(r) || r.method().equals(FLOOR_METHOD)) {
                continue;
            }
            r.params().forEach((p, v) -> values.computeIfAbsent(p, x -> new TreeSet<>()).add(v));
        }
        List<String> varying = new ArrayList<>();
        values.forEach((p, vs) -> {
            if (!p.equals("durability") && !p.equals("lockStrategy") && vs.size() > 1) {
                varying.add(p);
            }
        });
        TreeSet<Integer> threads = new TreeSet<>();
        rs.forEach(r -> threads.add(r.threads()));
        List<Integer> threadList = new ArrayList<>(threads);

        Map<String, Map<Integer, JmhResult>> bySeries = new LinkedHashMap<>();
        Map<String, String> kind = new LinkedHashMap<>();
        // Order: Sable strategies in the order met, then the floor, then peers.
        List<JmhResult> ordered = new ArrayList<>();
        rs.stream().filter(r -> !isPeer(r) && !r.method().equals(FLOOR_METHOD)).forEach(ordered::add);
        rs.stream().filter(r -> r.method().equals(FLOOR_METHOD)).forEach(ordered::add);
        rs.stream().filter(ThroughputCharts::isPeer).forEach(ordered::add);
        for (JmhResult r : ordered) {
            String name = seriesName(r, varying, labels);
            kind.putIfAbsent(name, isPeer(r) ? "peer" : r.method().equals(FLOOR_METHOD) ? "floor" : "sable");
            JmhResult prev = bySeries.computeIfAbsent(name, x -> new TreeMap<>()).put(r.threads(), r);
            if (prev != null) {
                throw new IllegalArgumentException("two results for \"" + name + "\" at " + r.threads() + " threads in the "
                        + method + " chart: " + prev.source() + " and " + r.source() + " (chart one run at a time)");
            }
        }
        List<LineChart.Series> series = new ArrayList<>();
        for (Map.Entry<String, Map<Integer, JmhResult>> e : bySeries.entrySet()) {
            List<LineChart.Point> pts = new ArrayList<>();
            for (JmhResult r : e.getValue().values()) {
                pts.add(new LineChart.Point(threadList.indexOf(r.threads()), r.score(), r.scoreError()));
            }
            String k = kind.get(e.getKey());
            series.add(new LineChart.Series(e.getKey(), pts, k.equals("peer") ? "dashed" : k.equals("floor") ? "dotted" : "solid",
                    k.equals("peer") ? "square" : "circle"));
        }
        String cls = rs.stream().filter(r -> !isPeer(r)).map(JmhResult::className).findFirst().orElse(rs.get(0).className());
        String what = mode.equals("thrpt") ? "throughput" : mode;
        String title = cls + "." + method + ": " + what + " vs threads, durability " + durability;
        List<String> subtitle = new ArrayList<>();
        if (WORKLOADS.containsKey(method)) {
            subtitle.add(WORKLOADS.get(method));
        }
        subtitle.add("points: JMH score (mean of iterations); bars: JMH scoreError (99.9 % CI; arrowhead: clipped)");
        String info = runInfo(rs);
        if (!info.isEmpty()) {
            subtitle.add(info);
        }
        if (!note.isEmpty()) {
            subtitle.add(note);
        }
        // The files this chart's points came from (a result's source is "<file> [<index>]").
        Set<String> files = new TreeSet<>();
        for (JmhResult r : rs) {
            String f = r.source().replaceAll(" \\[\\d+\\]$", "");
            files.add(Path.of(f).getFileName().toString());
        }
        List<String> footer = List.of("Generated by dev.sablegraph.jmh.charts.ThroughputCharts from "
                + String.join(", ", files.isEmpty() ? sources : files));
        List<String> categories = threadList.stream().map(String::valueOf).toList();
        return new LineChart(title, subtitle, "threads (evenly spaced, not to scale)", unit, categories, series,
                LineChart.wrap(footer.get(0), 140));
    }

    private static String runInfo(List<JmhResult> rs) {
        Set<String> info = new LinkedHashSet<>();
        for (JmhResult r : rs) {
            Map<String, String> m = r.run();
            if (m.containsKey("measurementIterations")) {
                info.add(m.get("warmupIterations") + "×" + m.get("warmupTime") + " warm-up, " + m.get("measurementIterations")
                        + "×" + m.get("measurementTime") + " measured, " + m.getOrDefault("forks", "?") + " fork; JMH "
                        + m.getOrDefault("jmhVersion", "?") + ", JDK " + m.getOrDefault("jdkVersion", "?"));
            }
        }
        return String.join(" | ", info);
    }

    static String seriesName(JmhResult r, List<String> varying, Map<String, String> labels) {
        if (isPeer(r)) {
            String fq = r.benchmark().substring(0, r.benchmark().lastIndexOf('.'));
            String label = labels.get(fq);
            if (label == null) {
                label = labels.get(r.className());
            }
            if (label == null && r.params().containsKey("engine")) {
                label = r.params().get("engine")
                        + (r.params().containsKey("engineVersion") ? " " + r.params().get("engineVersion") : "");
            }
            if (label == null) {
                String c = r.className();
                for (String suffix : List.of("ConcurrentThroughput", "Throughput", "Benchmark")) {
                    if (c.endsWith(suffix) && c.length() > suffix.length()) {
                        c = c.substring(0, c.length() - suffix.length());
                        break;
                    }
                }
                label = c;
            }
            List<String> extra = new ArrayList<>();
            r.params().forEach((p, v) -> {
                if (!p.equals("durability") && !p.equals("engine") && !p.equals("engineVersion") && varying.contains(p)) {
                    extra.add(p + "=" + v);
                }
            });
            return extra.isEmpty() ? label : label + " (" + String.join(", ", extra) + ")";
        }
        if (r.method().equals(FLOOR_METHOD)) {
            return "ConcurrentHashMap floor";
        }
        List<String> parts = new ArrayList<>();
        if (r.params().containsKey("lockStrategy")) {
            parts.add(r.params().get("lockStrategy"));
        }
        for (String p : varying) {
            if (r.params().containsKey(p)) {
                parts.add(p + "=" + r.params().get(p));
            }
        }
        return "Sable" + (parts.isEmpty() ? "" : " " + String.join(" ", parts));
    }

    private static String summary(LineChart c) {
        StringBuilder sb = new StringBuilder(c.title());
        for (LineChart.Series s : c.series()) {
            sb.append("\n    ").append(String.format(Locale.ROOT, "%-26s", s.name()));
            for (LineChart.Point p : s.points()) {
                sb.append(String.format(Locale.ROOT, " %s:%s", c.categories().get(p.x()), LineChart.format(p.y())));
            }
        }
        return sb.toString();
    }
}
