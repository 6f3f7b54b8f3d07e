package dev.sablegraph.jmh.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScaleChartsTest {
    private static String run(long nodes, long dataBytes, long p50, long p99, boolean reads) {
        String r = reads ? ", \"read1\": {\"threads\": 1, \"opsPerSecond\": 1.0E6, \"p50Ns\": " + p50 + ", \"p90Ns\": " + (p50 * 2)
                + ", \"p99Ns\": " + p99 + "}, \"readN\": {\"threads\": 2, \"opsPerSecond\": 1.5E6}" : "";
        return "{\"tool\": \"ScaleRun\", \"nodes\": " + nodes + ", \"pageCacheBytes\": 134217728, \"dataBytes\": " + dataBytes
                + ", \"load\": {\"nodesPerSecond\": 20000.0, \"edgesPerSecond\": 9000.5}" + r + "}";
    }

    @Test
    void latencyAgainstSize(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a.json");
        Path b = tmp.resolve("b.json");
        Path c = tmp.resolve("c.json");
        Files.writeString(b, run(1_000_000, 1L << 30, 900, 9_000, true) + "\n");
        Files.writeString(a, run(100_000, 100L << 20, 400, 2_000, true) + "\n");
        Files.writeString(c, run(10_000_000, 10L << 30, 0, 0, false).replace("{\"tool\"", "{\"complete\": false, \"tool\"") + "\n");
        List<Path> written = ScaleCharts.run(new String[] {"--out", tmp.toString(), a.toString(), c.toString(), b.toString()});
        assertEquals(3, written.size());
        String lat = Files.readString(tmp.resolve("scale-read-latency.svg"));
        Map<String, Map<String, Double>> s = ThroughputChartsTest.seriesOf(lat);
        assertEquals(Map.of("100K 100 MiB on disk, cache 128 MiB", 0.4, "1M 1.0 GiB on disk, cache 128 MiB", 0.9),
                s.get("p50, 1 thread"), "µs, sorted by size; the load-only run has no point");
        assertEquals(9.0, s.get("p99, 1 thread").get("1M 1.0 GiB on disk, cache 128 MiB"));
        String load = Files.readString(tmp.resolve("scale-load-rate.svg"));
        assertEquals(3, ThroughputChartsTest.seriesOf(load).get("edges/s").size());
        assertTrue(load.contains(">10M *</tspan>"), "an incomplete load is marked");
        assertTrue(load.contains("* load incomplete"), "and explained");
    }

    @Test
    void rejectsOtherJson(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("x.json");
        Files.writeString(f, "[]");
        // an empty array is no runs: nothing to chart but no error either
        Files.writeString(f, "{\"benchmark\": \"x\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScaleCharts.run(new String[] {"--out", tmp.toString(), f.toString()}));
        assertTrue(e.getMessage().contains("not a ScaleRun result"), e.getMessage());
    }

    @Test
    void laterRunsAreDrawnBesideTheFirstOfTheirSize(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a.json");
        Path b = tmp.resolve("b.json");
        Path later = tmp.resolve("later.json");
        Files.writeString(a, run(100_000, 100L << 20, 400, 2_000, true));
        Files.writeString(b, run(1_000_000, 1L << 30, 900, 9_000, true));
        Files.writeString(later, run(1_000_000, 1L << 30, 0, 0, false).replace("9000.5", "45000.0"));
        ScaleCharts.run(new String[] {"--out", tmp.toString(), "--label", "before", "--later", later.toString(),
                "--later-label", "after", a.toString(), b.toString()});
        Map<String, Map<String, Double>> s = ThroughputChartsTest.seriesOf(Files.readString(tmp.resolve("scale-load-rate.svg")));
        assertEquals(Map.of("1M 1.0 GiB on disk, cache 128 MiB", 45000.0), s.get("edges/s, after"));
        assertEquals(2, s.get("edges/s, before").size());
        Path stray = tmp.resolve("stray.json");
        Files.writeString(stray, run(10_000_000, 10L << 30, 0, 0, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScaleCharts.run(new String[] {
                "--out", tmp.toString(), "--later", stray.toString(), a.toString()}));
        assertTrue(e.getMessage().contains("no first run of 10000000 nodes"), e.getMessage());
    }
}
