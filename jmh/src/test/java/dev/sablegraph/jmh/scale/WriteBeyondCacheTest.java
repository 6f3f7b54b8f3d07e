package dev.sablegraph.jmh.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.IndexState;
import dev.sablegraph.core.Node;
import dev.sablegraph.jmh.charts.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBeyondCacheTest {
    @Test
    void optionsHaveTheBaselineDefaultsAndRejectBadInput() {
        WriteBeyondCache.Options o = WriteBeyondCache.Options.parse(new String[] {"--dir", "/x"});
        assertEquals(200_000, o.nodes());
        assertEquals(1_000_000, o.edges());
        assertEquals(2000, o.txSize());
        assertEquals(24L << 20, o.cacheBytes());
        assertEquals(1, o.threads());
        assertEquals(Set.of("updates", "bigtx", "hugetx"), o.probes());
        assertEquals(Set.of(), WriteBeyondCache.Options.parse(new String[] {"--dir", "/x", "--probes", "none"}).probes());
        assertThrows(IllegalArgumentException.class, () -> WriteBeyondCache.Options.parse(new String[] {}));
        assertThrows(IllegalArgumentException.class, () -> WriteBeyondCache.Options.parse(new String[] {"--bogus"}));
        assertThrows(IllegalArgumentException.class,
                () -> WriteBeyondCache.Options.parse(new String[] {"--dir", "/x", "--probes", "reads"}));
        assertThrows(IllegalArgumentException.class,
                () -> WriteBeyondCache.Options.parse(new String[] {"--dir", "/x", "--tx-size", "0"}));
    }

    @Test
    void theWorkloadIsSeededAndHasNoSelfLoops() {
        WriteWorkload a = WriteWorkload.generate(50, 2000, 7);
        WriteWorkload b = WriteWorkload.generate(50, 2000, 7);
        assertTrue(Arrays.equals(a.ages, b.ages));
        assertTrue(Arrays.equals(a.edges.from(), b.edges.from()));
        assertTrue(Arrays.equals(a.edges.to(), b.edges.to()));
        assertFalse(Arrays.equals(a.edges.to(), WriteWorkload.generate(50, 2000, 8).edges.to()));
        for (int e = 0; e < 2000; e++) {
            assertNotEquals(a.edges.from()[e], a.edges.to()[e]);
            assertTrue(a.edges.to()[e] >= 0 && a.edges.to()[e] < 50);
        }
    }

    /** A tiny run on two load threads writes exactly the workload, the probes' edges, and the index. */
    @Test
    void tinyRunWritesTheWholeWorkload(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("db");
        Path json = tmp.resolve("out.json");
        WriteBeyondCache.main(new String[] {"--nodes", "300", "--edges", "1500", "--tx-size", "100", "--cache-mb", "4",
            "--threads", "2", "--update-threads", "3", "--update-seconds", "0.2", "--update-warmup-seconds", "0",
            "--big-tx-edges", "200", "--huge-tx-edges", "400", "--dir", dir.toString(), "--json", json.toString(),
            "--keep"});
        Map<?, ?> r = assertInstanceOf(Map.class, Json.parse(json));
        assertEquals("sable", r.get("engine"));
        Map<?, ?> load = (Map<?, ?>) r.get("load");
        assertEquals(18L, load.get("commits")); // 3 batches of nodes, 15 of edges
        assertEquals(1500L, ((Map<?, ?>) load.get("edges")).get("ops"));
        assertEquals(18L, ((Map<?, ?>) load.get("commitLatency")).get("count"));
        assertTrue((Long) ((Map<?, ?>) r.get("updates")).get("commits") > 0);
        assertEquals(true, ((Map<?, ?>) r.get("bigTx")).get("committed"));
        assertEquals(true, ((Map<?, ?>) r.get("hugeTx")).get("committed"));
        assertTrue((Long) ((Map<?, ?>) r.get("dataBytesAfterClose")).get("totalBytes") > 0);

        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir); Transaction tx = db.begin()) {
            List<Node> people = tx.nodesByLabel("Person");
            assertEquals(300, people.size());
            long edges = 0;
            for (Node n : people) {
                edges += tx.edges(n.id(), Direction.OUTGOING, "KNOWS").size();
            }
            assertEquals(1500 + 200 + 400, edges);
            assertEquals(1, tx.findNodes("Person", "name", "p17").size());
            assertEquals(IndexState.ONLINE, db.indexes().get(0).state());
        }
        Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
}
