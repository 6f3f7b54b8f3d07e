package dev.sablegraph.jmh.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputChartsTest {
    private static final String SABLE = "dev.sablegraph.jmh.ConcurrentThroughput.";
    private static final String NEO4J = "dev.sablegraph.jmh.peers.Neo4jConcurrentThroughput.";

    /** One result object as JMH writes it (abridged: the fields the charts read, plus a few they skip). */
    static String result(String benchmark, int threads, String strategy, String durability, double score, String error) {
        String params = strategy == null
                ? "\"durability\" : \"" + durability + "\""
                : "\"durability\" : \"" + durability + "\", \"lockStrategy\" : \"" + strategy + "\"";
        return """
                {
                    "jmhVersion" : "1.37", "benchmark" : "%s", "mode" : "thrpt", "threads" : %d, "forks" : 1,
                    "jvmArgs" : [ ], "jdkVersion" : "17.0.15", "warmupIterations" : 2, "warmupTime" : "1 s",
                    "measurementIterations" : 3, "measurementTime" : "1 s",
                    "params" : { %s },
                    "primaryMetric" : {
                        "score" : %s, "scoreError" : %s, "scoreConfidence" : [ 1.0E3, 2.0E3 ],
                        "scorePercentiles" : { "0.0" : 1.0, "50.0" : 2.0, "100.0" : 3.0 },
                        "scoreUnit" : "ops/s", "rawData" : [ [ %s, %s, %s ] ]
                    },
                    "secondaryMetrics" : { }
                }""".formatted(benchmark, threads, params, Double.toString(score), error, Double.toString(score),
                Double.toString(score), Double.toString(score));
    }

    static Path file(Path dir, String name, String... results) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "[\n" + String.join(",\n", results) + "\n]\n");
        return f;
    }

    /** What a chart's SVG says, read back from its data attributes: series name → (x label → y). */
    static Map<String, Map<String, Double>> seriesOf(String svg) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        Matcher g = Pattern.compile("<g class=\"series\" data-name=\"([^\"]*)\"[^>]*>(.*?)</g>", Pattern.DOTALL).matcher(svg);
        while (g.find()) {
            Map<String, Double> pts = new LinkedHashMap<>();
            Matcher p = Pattern.compile("data-x=\"([^\"]*)\" data-y=\"([^\"]*)\"").matcher(g.group(2));
            while (p.find()) {
                pts.put(p.group(1), Double.parseDouble(p.group(2)));
            }
            out.put(g.group(1), pts);
        }
        return out;
    }

    /** The pixel points of each series' polyline. */
    static Map<String, List<double[]>> polylines(String svg) {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        Matcher g = Pattern.compile("<g class=\"series\" data-name=\"([^\"]*)\"[^>]*>\\s*<polyline[^>]*points=\"([^\"]*)\"")
                .matcher(svg);
        while (g.find()) {
            List<double[]> pts = new ArrayList<>();
            for (String xy : g.group(2).trim().split(" ")) {
                String[] c = xy.split(",");
                pts.add(new double[] {Double.parseDouble(c[0]), Double.parseDouble(c[1])});
            }
            out.put(g.group(1), pts);
        }
        return out;
    }

    @Test
    void oneChartPerMethodWithASeriesPerStrategyAndPeer(@TempDir Path tmp) throws IOException {
        // As ThroughputTable --json writes it: one file per thread count, plus the floor's.
        Path t1 = file(tmp, "run-t1.json",
                result(SABLE + "read", 1, "GLOBAL_MUTEX", "SYNC", 1_000_000, "50000.0"),
                result(SABLE + "read", 1, "OPTIMISTIC", "SYNC", 1_200_000, "\"NaN\""),
                result(SABLE + "write", 1, "OPTIMISTIC", "SYNC", 9_000, "300.5"));
        Path t2 = file(tmp, "run-t2.json",
                result(SABLE + "read", 2, "GLOBAL_MUTEX", "SYNC", 700_000, "1.0E4"),
                result(SABLE + "read", 2, "OPTIMISTIC", "SYNC", 2_300_000, "2.5E5"),
                result(SABLE + "write", 2, "OPTIMISTIC", "SYNC", 11_000, "400"));
        Path t50 = file(tmp, "run-t50.json",
                result(SABLE + "read", 50, "GLOBAL_MUTEX", "SYNC", 900_000, "1.0E4"),
                result(SABLE + "read", 50, "OPTIMISTIC", "SYNC", 3_000_000, "2.5E5"));
        Path floor = file(tmp, "run-floor-t1.json", result(SABLE + "mapFloor", 1, "GLOBAL_MUTEX", "SYNC", 3_500_000, "1"));
        Path peers = file(tmp, "neo4j.json",
                result(NEO4J + "read", 1, null, "SYNC", 400_000, "2000"),
                result(NEO4J + "read", 50, null, "SYNC", 600_000, "3000"));
        Path out = tmp.resolve("charts");
        List<Path> written = ThroughputCharts.run(new String[] {"--out", out.toString(), "--note", "2 vCPUs <shared> & noisy",
            "--label", "Neo4jConcurrentThroughput=Neo4j 5.26",
            t1.toString(), t2.toString(), t50.toString(), floor.toString(), peers.toString()});
        assertEquals(Set.of("throughput-read-sync.svg", "throughput-write-sync.svg"),
                new TreeSet<>(written.stream().map(p -> p.getFileName().toString()).toList()));

        String read = Files.readString(out.resolve("throughput-read-sync.svg"));
        assertTrue(read.startsWith("<?xml"), "an SVG document");
        assertTrue(read.contains("<title>ConcurrentThroughput.read: throughput vs threads, durability SYNC</title>"), read);
        assertTrue(read.contains("2 vCPUs &lt;shared&gt; &amp; noisy"), "the note, escaped");
        Map<String, Map<String, Double>> s = seriesOf(read);
        assertEquals(List.of("Sable GLOBAL_MUTEX", "Sable OPTIMISTIC", "ConcurrentHashMap floor", "Neo4j 5.26"),
                List.copyOf(s.keySet()));
        assertEquals(Map.of("1", 1_000_000.0, "2", 700_000.0, "50", 900_000.0), s.get("Sable GLOBAL_MUTEX"));
        assertEquals(Map.of("1", 1_200_000.0, "2", 2_300_000.0, "50", 3_000_000.0), s.get("Sable OPTIMISTIC"));
        assertEquals(Map.of("1", 3_500_000.0), s.get("ConcurrentHashMap floor"));
        assertEquals(Map.of("1", 400_000.0, "50", 600_000.0), s.get("Neo4j 5.26"));
        // x axis: the thread counts, in order; y axis from 0
        assertEquals(List.of("1", "2", "50"), categories(read));
        assertTrue(read.contains("data-value=\"0.0\">0</text>"), "the y axis starts at 0");
        // polylines: left to right, higher values higher up (smaller SVG y)
        List<double[]> opt = polylines(read).get("Sable OPTIMISTIC");
        assertEquals(3, opt.size());
        assertTrue(opt.get(0)[0] < opt.get(1)[0] && opt.get(1)[0] < opt.get(2)[0]);
        assertTrue(opt.get(0)[1] > opt.get(1)[1] && opt.get(1)[1] > opt.get(2)[1]);
        List<double[]> neo = polylines(read).get("Neo4j 5.26");
        assertEquals(opt.get(0)[0], neo.get(0)[0], 20, "about the same x for the same thread count (series are dodged)");
        assertEquals(opt.get(2)[0], neo.get(1)[0], 20);
        // error bars where JMH gave an error, none for its "NaN"
        assertEquals(3 + 2 + 1 + 2, count(read, "class=\"error-bar"), "GLOBAL_MUTEX 3, OPTIMISTIC 2 (one NaN), floor 1, Neo4j 2");
        assertTrue(read.contains("stroke-dasharray=\"7,4\""), "peers dashed");

        String write = Files.readString(out.resolve("throughput-write-sync.svg"));
        assertEquals(Map.of("Sable OPTIMISTIC", Map.of("1", 9_000.0, "2", 11_000.0)), seriesOf(write));
        assertFalse(write.contains("Neo4j"));
        assertTrue(write.contains("from run-t1.json, run-t2.json</text>"), "the footer names the files charted");
    }

    private static List<String> categories(String svg) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<text class=\"category\"[^>]*>([^<]*)</text>").matcher(svg);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void hugeErrorBarsAreClippedNotAllowedToFlattenThePoints(@TempDir Path tmp) throws IOException {
        Path f = file(tmp, "r.json",
                result(SABLE + "read", 1, "OPTIMISTIC", "SYNC", 1_000_000, "1.7E7"),
                result(SABLE + "read", 2, "OPTIMISTIC", "SYNC", 2_000_000, "1.0E5"));
        ThroughputCharts.run(new String[] {"--out", tmp.toString(), f.toString()});
        String svg = Files.readString(tmp.resolve("throughput-read-sync.svg"));
        assertEquals(1, count(svg, "class=\"error-bar clipped\""));
        assertEquals(1, count(svg, "class=\"error-bar\""));
        List<double[]> pts = polylines(svg).get("Sable OPTIMISTIC");
        // the higher point sits in the upper part of the 340-pixel plot (unclipped: 38 px from the axis)
        double bottom = pts.get(0)[1] + (pts.get(0)[1] - pts.get(1)[1]); // y of 0: the 1M point is halfway
        assertTrue(bottom - pts.get(1)[1] > 200, "2M plotted at " + pts.get(1)[1] + ", axis at " + bottom);
    }

    @Test
    void durabilitiesGetTheirOwnCharts(@TempDir Path tmp) throws IOException {
        Path f = file(tmp, "w.json",
                result(SABLE + "write", 1, "OPTIMISTIC", "SYNC", 9_000, "1"),
                result(SABLE + "write", 1, "OPTIMISTIC", "ASYNC", 270_000, "1"));
        List<Path> written = ThroughputCharts.run(new String[] {"--out", tmp.toString(), "--prefix", "commits", f.toString()});
        assertEquals(Set.of("commits-write-sync.svg", "commits-write-async.svg"),
                new TreeSet<>(written.stream().map(p -> p.getFileName().toString()).toList()));
    }

    @Test
    void duplicatePointsAreAnError(@TempDir Path tmp) throws IOException {
        Path f = file(tmp, "a.json", result(SABLE + "read", 1, "OPTIMISTIC", "SYNC", 1, "1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ThroughputCharts.run(new String[] {"--out", tmp.toString(), f.toString(), f.toString()}));
        assertTrue(e.getMessage().contains("two results for \"Sable OPTIMISTIC\" at 1 threads"), e.getMessage());
    }

    @Test
    void malformedFileGivesItsNameAndPosition(@TempDir Path tmp) throws IOException {
        Path good = file(tmp, "good.json", result(SABLE + "read", 1, "OPTIMISTIC", "SYNC", 1, "1"));
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "[\n  { \"benchmark\" : \"x\", \"score\" : 1.5.2 }\n]\n");
        Json.JsonException e = assertThrows(Json.JsonException.class,
                () -> ThroughputCharts.run(new String[] {"--out", tmp.toString(), good.toString(), bad.toString()}));
        assertTrue(e.getMessage().startsWith(bad.toString() + ": line 2, column 37"), e.getMessage());
    }

    @Test
    void wellFormedButNotJmhNamesTheEntry(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("other.json");
        Files.writeString(f, "[ {\"benchmark\": \"a.B.c\", \"mode\": \"thrpt\", \"threads\": \"2\"} ]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ThroughputCharts.run(new String[] {"--out", tmp.toString(), f.toString()}));
        assertTrue(e.getMessage().startsWith(f + " [0]: \"threads\""), e.getMessage());
        Files.writeString(f, "{\"tool\": \"ScaleRun\"}");
        e = assertThrows(IllegalArgumentException.class,
                () -> ThroughputCharts.run(new String[] {"--out", tmp.toString(), f.toString()}));
        assertTrue(e.getMessage().contains("expected a JSON array"), e.getMessage());
    }

    @Test
    void ticksStartAtZeroAndCoverTheMaximum() {
        for (double max : new double[] {0.7, 9, 10, 11, 999, 1234, 3.3e6, 4.9e7}) {
            double[] t = LineChart.ticks(max);
            assertEquals(0.0, t[0]);
            assertTrue(t[t.length - 1] >= max, "covers " + max);
            assertTrue(t.length >= 4 && t.length <= 11, t.length + " ticks for " + max);
        }
        assertEquals("1.5M", LineChart.format(1_500_000));
        assertEquals("950", LineChart.format(950));
        assertEquals("2K", LineChart.format(2000));
    }
}
