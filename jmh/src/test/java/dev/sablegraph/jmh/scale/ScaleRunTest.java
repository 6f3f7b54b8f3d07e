package dev.sablegraph.jmh.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.jmh.charts.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.sablegraph.concurrent.BulkLoader;
import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScaleRunTest {
    @Test
    void counts() {
        assertEquals(100_000, ScaleRun.parseCount("100K"));
        assertEquals(10_000_000, ScaleRun.parseCount("10m"));
        assertEquals(1_000_000, ScaleRun.parseCount("1_000_000"));
    }

    @Test
    void optionsNeedNodesAndDir() {
        assertThrows(IllegalArgumentException.class, () -> ScaleRun.Options.parse(new String[] {"--nodes", "10"}));
        assertThrows(IllegalArgumentException.class, () -> ScaleRun.Options.parse(new String[] {"--bogus"}));
        ScaleRun.Options o = ScaleRun.Options.parse(new String[] {"--nodes", "1K", "--dir", "/x", "--cache-mb", "4"});
        assertEquals(1000, o.nodes());
        assertEquals(4L << 20, o.cacheBytes());
        assertEquals(5, o.edgesPerNode());
        assertEquals(0, o.checkpointLogBytes(), "the engine's default unless asked");
        assertEquals(2048L << 20, ScaleRun.Options.parse(new String[] {"--nodes", "1K", "--dir", "/x",
                "--checkpoint-log-mb", "2048"}).config().checkpointLogBytes());
        assertThrows(IllegalArgumentException.class, () -> ScaleRun.Options.parse(new String[] {"--nodes", "1K",
                "--dir", "/x", "--checkpoint-log-mb", "0"}));
    }

    /** A tiny end-to-end run: load, reopen, reads; then a second run reuses the load. */
    @Test
    void tinyRunLoadsMeasuresAndReuses(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("db");
        Path json = tmp.resolve("out.json");
        String[] args = {"--nodes", "300", "--cache-mb", "4", "--batch", "100", "--dir", dir.toString(), "--warmup-seconds",
            "0.05", "--measure-seconds", "0.05", "--json", json.toString()};
        ScaleRun.main(args);
        Map<?, ?> r = assertInstanceOf(Map.class, Json.parse(json));
        assertEquals("ScaleRun", r.get("tool"));
        assertEquals(300L, r.get("nodes"));
        assertEquals(1500L, r.get("edges"));
        Map<?, ?> load = (Map<?, ?>) r.get("load");
        assertEquals("false", load.get("reused"));
        assertEquals(1500.0, load.get("edges"));
        Map<?, ?> read1 = (Map<?, ?>) r.get("read1");
        assertTrue(((Long) read1.get("ops")) > 0);
        assertTrue(((Long) read1.get("p50Ns")) <= ((Long) read1.get("p99Ns")));
        assertEquals(2L, ((Map<?, ?>) r.get("readN")).get("threads"));
        assertTrue(Files.exists(dir.resolve(ScaleRun.MARKER)));

        ScaleRun.main(args);
        Map<?, ?> again = (Map<?, ?>) Json.parse(json);
        assertEquals("true", ((Map<?, ?>) again.get("load")).get("reused"));
    }

    /** A load stopped part-way and resumed builds exactly the graph an uninterrupted load builds. */
    @Test
    void stoppedLoadResumesToTheSameGraph(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole");
        Path parts = tmp.resolve("parts");
        String[] common = {"--nodes", "200", "--cache-mb", "4", "--batch", "64", "--load-only"};
        ScaleRun.run(concat(common, "--dir", whole.toString()));
        // 130 inserts: stops inside the node phase, then inside the edge phase (200 + 330), then finishes
        Map<String, Object> first = ScaleRun.run(concat(common, "--dir", parts.toString(), "--max-load-ops", "130"));
        assertEquals(false, first.get("complete"));
        assertEquals(130.0, ((Map<?, ?>) first.get("load")).get("nodesLoaded"));
        Map<String, Object> second = ScaleRun.run(concat(common, "--dir", parts.toString(), "--max-load-ops", "400"));
        assertEquals(false, second.get("complete"));
        assertEquals(200.0, ((Map<?, ?>) second.get("load")).get("nodesLoaded"));
        assertEquals(330.0, ((Map<?, ?>) second.get("load")).get("edgesLoaded"));
        // --read-incomplete measures the stopped load as it is, without loading more
        Map<String, Object> partial = ScaleRun.run(new String[] {"--nodes", "200", "--cache-mb", "4", "--dir", parts.toString(),
            "--read-incomplete", "--warmup-seconds", "0.02", "--measure-seconds", "0.02"});
        assertEquals(false, partial.get("complete"));
        assertEquals(true, partial.get("readOnIncompleteLoad"));
        assertEquals(330.0, ((Map<?, ?>) partial.get("load")).get("edgesLoaded"));
        assertEquals(2.0, ((Map<?, ?>) partial.get("load")).get("sessions"), "a reading run is no load session");
        assertTrue(((Long) ((Map<?, ?>) partial.get("read1")).get("ops")) > 0);
        Map<String, Object> third = ScaleRun.run(concat(common, "--dir", parts.toString()));
        assertEquals(true, third.get("complete"));
        assertEquals(3.0, ((Map<?, ?>) third.get("load")).get("sessions"));
        assertEquals(graph(whole), graph(parts));
        // a reader run then reuses the completed load
        Map<String, Object> reads = ScaleRun.run(new String[] {"--nodes", "200", "--cache-mb", "4", "--dir", parts.toString(),
            "--warmup-seconds", "0.02", "--measure-seconds", "0.02"});
        assertEquals("true", ((Map<?, ?>) reads.get("load")).get("reused"));
        assertTrue(((Long) ((Map<?, ?>) reads.get("read1")).get("ops")) > 0);
    }

    /**
     * ScaleCsv's files, stored row by row as {@code sable import} stores them (nodes in row order from
     * id 0, then the edges), hold the graph ScaleRun's own load builds; ScaleRun reads and verifies
     * them with {@code --read-imported}.
     */
    @Test
    void csvOfTheDatasetImportsToTheSameGraph(@TempDir Path tmp) throws Exception {
        Path loaded = tmp.resolve("loaded");
        ScaleRun.run(new String[] {"--nodes", "200", "--cache-mb", "4", "--batch", "64", "--load-only", "--dir", loaded.toString()});
        Path csv = tmp.resolve("csv");
        ScaleCsv.main(new String[] {"--nodes", "200", "--out", csv.toString()});
        List<String> nodeLines = Files.readAllLines(csv.resolve("nodes.csv"));
        List<String> edgeLines = Files.readAllLines(csv.resolve("relationships.csv"));
        assertEquals(":ID,:LABEL,name,group:long,score:double", nodeLines.get(0));
        assertEquals(":START_ID,:END_ID,:TYPE", edgeLines.get(0));
        assertEquals(201, nodeLines.size());
        assertEquals(1001, edgeLines.size());
        Path imported = tmp.resolve("imported");
        try (BulkLoader loader = BulkLoader.create(imported, GraphConfig.builder().pageCacheBytes(4 << 20).build())) {
            for (String line : nodeLines.subList(1, nodeLines.size())) {
                String[] f = line.split(",");
                long id = loader.addNode(Set.of(f[1]), Map.of("name", f[2], "group", Long.parseLong(f[3]),
                        "score", Double.parseDouble(f[4])));
                assertEquals(Long.parseLong(f[0]), id);
            }
            for (String line : edgeLines.subList(1, edgeLines.size())) {
                String[] f = line.split(",");
                loader.addEdge(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2], Map.of());
            }
            loader.finish();
        }
        assertEquals(graph(loaded), graph(imported));
        String[] read = {"--nodes", "200", "--cache-mb", "4", "--dir", imported.toString(), "--read-imported"};
        Map<String, Object> verified = ScaleRun.run(concat(read, "--verify"));
        assertEquals(1000L, ((Map<?, ?>) verified.get("verified")).get("edges"));
        Map<String, Object> r = ScaleRun.run(concat(read, "--warmup-seconds", "0.02", "--measure-seconds", "0.02"));
        assertEquals(true, ((Map<?, ?>) r.get("load")).get("imported"));
        assertTrue(((Long) ((Map<?, ?>) r.get("read1")).get("ops")) > 0);
        assertTrue(((Long) ((Map<?, ?>) r.get("readN")).get("ops")) > 0);
        // the dataset's size is checked: fewer nodes than the database holds is refused
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ScaleRun.run(new String[] {"--nodes", "150",
            "--cache-mb", "4", "--dir", imported.toString(), "--read-imported", "--measure-seconds", "0.02"}));
        assertTrue(e.getMessage().contains("more than"), e.getMessage());
        // and a ScaleRun load is not read as an imported one
        assertThrows(IllegalStateException.class, () -> ScaleRun.run(new String[] {"--nodes", "200", "--cache-mb", "4",
            "--dir", loaded.toString(), "--read-imported"}));
        // --verify on ScaleRun's own load too
        Map<String, Object> own = ScaleRun.run(new String[] {"--nodes", "200", "--cache-mb", "4", "--dir", loaded.toString(), "--verify"});
        assertEquals(200L, ((Map<?, ?>) own.get("verified")).get("nodes"));
    }

    @Test
    void namesMatchExactly() {
        assertTrue(ScaleReads.nameMatches("n123", 123));
        assertTrue(ScaleReads.nameMatches("n0", 0));
        assertFalse(ScaleReads.nameMatches("n12", 123));
        assertFalse(ScaleReads.nameMatches("n1234", 123));
        assertFalse(ScaleReads.nameMatches("x123", 123));
        assertFalse(ScaleReads.nameMatches(123L, 123));
        assertFalse(ScaleReads.nameMatches(null, 123));
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Every node's name and outgoing edge targets (by name), in id order. */
    private static List<String> graph(Path dir) {
        List<String> out = new ArrayList<>();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, GraphConfig.builder().pageCacheBytes(4 << 20).build());
                Transaction tx = db.begin()) {
            for (int l = 0; l < 10; l++) {
                for (Node n : tx.nodesByLabel("L" + l)) {
                    StringBuilder sb = new StringBuilder(String.valueOf(n.properties().get("name"))).append(" ->");
                    for (Edge e : tx.edges(n.id(), Direction.OUTGOING, "LINK")) {
                        sb.append(' ').append(tx.getNode(e.to()).orElseThrow().properties().get("name"));
                    }
                    out.add(sb.toString());
                }
            }
        }
        out.sort(null);
        assertEquals(200, out.size());
        return out;
    }

    @Test
    void refusesAForeignDirectory(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("precious.txt"), "mine");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ScaleRun.main(new String[] {"--nodes", "10", "--dir", tmp.toString(), "--cache-mb", "4"}));
        assertTrue(e.getMessage().contains("refusing"), e.getMessage());
        assertTrue(Files.exists(tmp.resolve("precious.txt")));
    }
}
