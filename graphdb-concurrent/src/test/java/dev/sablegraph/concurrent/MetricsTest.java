package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.DatabaseLockedException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Metric;
import dev.sablegraph.core.MvccMetrics;
import dev.sablegraph.core.PageCacheMetrics;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import javax.management.Descriptor;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics as an operator sees them (docs/operations.md, "Metrics"): five MBeans per open
 * database under the documented names, with values that follow the work done, gone at close;
 * {@code metricsSnapshot()} and {@code forEachMetric} agree with them and with the typed accessors.
 */
class MetricsTest {
    private static final List<String> TYPES = List.of("PageCache", "Log", "Checkpoints", "Mvcc", "Transactions");
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path dir;

    /** No background collection or checkpoint: counters move only with the test's own work. */
    private static final GraphConfig QUIET = GraphConfig.builder().pageCacheBytes(16L << 20).gcIntervalMillis(600_000)
            .checkpointLogBytes(1L << 40).build();

    private static ObjectName name(Path directory, String type) throws Exception {
        return new ObjectName("dev.sablegraph:database=" + ObjectName.quote(directory.toAbsolutePath().normalize().toString())
                + ",type=" + type);
    }

    /** The types of the MBeans registered for {@code directory}. */
    private static Set<String> registeredTypes(Path directory) throws Exception {
        ObjectName pattern = new ObjectName("dev.sablegraph:database="
                + ObjectName.quote(directory.toAbsolutePath().normalize().toString()) + ",*");
        Set<String> types = new TreeSet<>();
        for (ObjectName n : SERVER.queryNames(pattern, null)) {
            types.add(n.getKeyProperty("type"));
        }
        return types;
    }

    private static long attribute(Path directory, String type, String attribute) throws Exception {
        return (Long) SERVER.getAttribute(name(directory, type), attribute);
    }

    private static long commitNodes(ConcurrentGraphDB db, int n) {
        long id = -1;
        for (int i = 0; i < n; i++) {
            try (Transaction tx = db.begin()) {
                id = tx.addNode(Set.of("Item"), Map.of("i", (long) i));
                tx.commit();
            }
        }
        return id;
    }

    @Test
    void fiveBeansUnderTheDocumentedNamesWhileOpenAndNoneAfterClose() throws Exception {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, QUIET)) {
            assertEquals(new TreeSet<>(TYPES), registeredTypes(dir));
            for (String type : TYPES) {
                assertTrue(SERVER.isRegistered(name(dir, type)), type);
            }
        }
        assertEquals(Set.of(), registeredTypes(dir));
    }

    @Test
    void countersFollowTheWorkDone() throws Exception {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, QUIET)) {
            int n = 25;
            long id = commitNodes(db, n);
            assertTrue(attribute(dir, "Transactions", "Commits") >= n);
            assertTrue(attribute(dir, "Log", "Records") >= n);
            assertTrue(attribute(dir, "Log", "AppendedBytes") > 0);
            long forces = attribute(dir, "Log", "Forces");
            assertTrue(forces >= 1 && forces <= attribute(dir, "Log", "Records") + 1, "group commit: " + forces);
            assertEquals(n, attribute(dir, "Mvcc", "LastCommit"));
            assertEquals(16L << 20, attribute(dir, "PageCache", "CapacityBytes"));

            long hits = attribute(dir, "PageCache", "Hits");
            try (Transaction tx = db.begin()) {
                assertTrue(tx.getNode(id).isPresent());
                assertEquals(n, tx.nodesByLabel("Item").size());
            }
            assertTrue(attribute(dir, "PageCache", "Hits") > hits, "a read hits the page cache");

            long rollbacks = attribute(dir, "Transactions", "Rollbacks");
            try (Transaction tx = db.begin()) {
                tx.addNode(Set.of("Never"), Map.of());
                tx.rollback();
            }
            assertEquals(rollbacks + 1, attribute(dir, "Transactions", "Rollbacks"));

            long checkpoints = attribute(dir, "Checkpoints", "Count");
            assertTrue(attribute(dir, "Checkpoints", "LogBytesSinceLast") > 0);
            db.checkpoint();
            assertEquals(checkpoints + 1, attribute(dir, "Checkpoints", "Count"));
            assertTrue(attribute(dir, "Checkpoints", "PagesWritten") > 0);
            assertEquals(0, attribute(dir, "Checkpoints", "LogBytesSinceLast"));
            assertEquals(0, attribute(dir, "Log", "UnforcedBytes"));
        }
    }

    @Test
    void twoDatabasesHaveTwoSetsThatMoveApart() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (ConcurrentGraphDB dbA = ConcurrentGraphDB.open(a, QUIET)) {
            try (ConcurrentGraphDB dbB = ConcurrentGraphDB.open(b, QUIET)) {
                assertEquals(new TreeSet<>(TYPES), registeredTypes(a));
                assertEquals(new TreeSet<>(TYPES), registeredTypes(b));
                commitNodes(dbA, 3);
                assertEquals(3, attribute(a, "Mvcc", "LastCommit"));
                assertEquals(0, attribute(b, "Mvcc", "LastCommit"));
            }
            assertEquals(Set.of(), registeredTypes(b));
            assertEquals(new TreeSet<>(TYPES), registeredTypes(a), "closing one leaves the other's");
        }
    }

    @Test
    void aRefusedOpenRegistersNothingAndLeavesTheOpenDatabasesBeans() throws Exception {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, QUIET)) {
            commitNodes(db, 2);
            assertThrows(DatabaseLockedException.class, () -> ConcurrentGraphDB.open(dir, QUIET));
            assertEquals(new TreeSet<>(TYPES), registeredTypes(dir));
            assertEquals(2, attribute(dir, "Mvcc", "LastCommit"), "still the first opener's");
        }
        assertEquals(Set.of(), registeredTypes(dir));
    }

    @Test
    void aDatabaseThatFailsToOpenRegistersNothing() throws Exception {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, QUIET)) {
            commitNodes(db, 1);
        }
        Path data = dir.resolve("data.sable");
        byte[] bytes = Files.readAllBytes(data);
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] ^= (byte) 0x5A;
        }
        Files.write(data, bytes);
        assertThrows(RuntimeException.class, () -> ConcurrentGraphDB.open(dir, QUIET));
        assertEquals(Set.of(), registeredTypes(dir));
    }

    @Test
    void reopeningAfterCloseRegistersAFreshSet() throws Exception {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, QUIET)) {
            commitNodes(db, 4);
            assertEquals(4, attribute(dir, "Transactions", "Commits"));
        }
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, QUIET)) {
            assertEquals(new TreeSet<>(TYPES), registeredTypes(dir));
            assertEquals(0, attribute(dir, "Transactions", "Commits"), "counters start at open");
            commitNodes(db, 1);
            assertEquals(1, attribute(dir, "Transactions", "Commits"));
        }
    }

    @Test
    void theSnapshotTheSinkAndTheBeansAgreeWithTheAccessors() throws Exception {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, QUIET)) {
            long id = commitNodes(db, 10);
            try (Transaction tx = db.begin()) {
                tx.getNode(id);
            }
            db.checkpoint();

            Map<String, Metric> snapshot = db.metricsSnapshot();
            PageCacheMetrics cache = db.pageCacheMetrics();
            MvccMetrics mvcc = db.metrics();
            assertEquals(cache.hits(), snapshot.get("sable.pagecache.hits").value());
            assertEquals(cache.misses(), snapshot.get("sable.pagecache.misses").value());
            assertEquals(cache.frames(), snapshot.get("sable.pagecache.capacity.pages").value());
            assertEquals(cache.dirtyPages(), snapshot.get("sable.pagecache.dirty.pages").value());
            assertEquals(db.logForces(), snapshot.get("sable.log.forces").value());
            assertEquals(db.checkpoints(), snapshot.get("sable.checkpoints.count").value());
            assertEquals(db.checkpointMetrics().pagesWritten(), snapshot.get("sable.checkpoints.pages.written").value());
            assertEquals(mvcc.lastCommit(), snapshot.get("sable.mvcc.last.commit").value());
            assertEquals(mvcc.reclamationLag(), snapshot.get("sable.mvcc.horizon.lag").value());
            assertEquals(mvcc.conflicts(), snapshot.get("sable.transactions.write.conflicts").value());
            assertEquals(10, snapshot.get("sable.transactions.commits").value(), "ten writers");
            assertEquals(1, snapshot.get("sable.transactions.rollbacks").value(), "the reader closed without commit");
            assertEquals(Metric.Kind.COUNTER, snapshot.get("sable.pagecache.hits").kind());
            assertEquals(Metric.Kind.GAUGE, snapshot.get("sable.pagecache.dirty.pages").kind());
            assertEquals("bytes", snapshot.get("sable.log.appended.bytes").unit());

            Map<String, Metric> sunk = new LinkedHashMap<>();
            db.forEachMetric(m -> sunk.put(m.name(), m));
            assertEquals(new ArrayList<>(snapshot.keySet()), new ArrayList<>(sunk.keySet()), "same metrics, same order");
            assertEquals(snapshot, sunk, "nothing moved in between");

            // every metric is an attribute of its group's bean: sable.<group>.<a.b> is attribute AB of type <Group>
            int attributes = 0;
            for (String type : TYPES) {
                for (MBeanAttributeInfo info : SERVER.getMBeanInfo(name(dir, type)).getAttributes()) {
                    if (info.getName().equals("OpenTransactions")) {
                        continue;
                    }
                    attributes++;
                    String metricName = "sable." + type.toLowerCase() + "."
                            + info.getName().replaceAll("(?<=[a-z])(?=[A-Z])", ".").toLowerCase();
                    Metric m = snapshot.get(metricName);
                    assertTrue(m != null, metricName + " is in the snapshot");
                    assertEquals(m.value(), attribute(dir, type, info.getName()), metricName);
                    Descriptor d = info.getDescriptor();
                    assertEquals(m.unit(), d.getFieldValue("units"), metricName);
                    assertEquals(m.kind() == Metric.Kind.COUNTER ? "counter" : "gauge", d.getFieldValue("metricType"));
                    assertFalse(info.isWritable());
                }
            }
            assertEquals(snapshot.size(), attributes, "and every attribute is a metric");
            assertThrows(UnsupportedOperationException.class, () -> snapshot.put("x", null));
        }
        ConcurrentGraphDB closed = ConcurrentGraphDB.open(dir, QUIET);
        closed.close();
        assertThrows(IllegalStateException.class, closed::metricsSnapshot);
        assertThrows(IllegalStateException.class, () -> closed.forEachMetric(m -> {}));
    }

    @Test
    void theTransactionsBeanShowsWhoHoldsTheHorizon() throws Exception {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, QUIET)) {
            long id = commitNodes(db, 1);
            CountDownLatch begun = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                try (Transaction tx = db.begin()) {
                    tx.getNode(id);
                    begun.countDown();
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "report-generator-7");
            holder.start();
            try {
                begun.await();
                commitNodes(db, 3); // commits the holder cannot see: it holds their old versions
                CompositeData row = holderRow(dir, "report-generator-7");
                long firstAge = (Long) row.get("ageMillis");
                assertEquals(1L, row.get("snapshot"));
                assertTrue(attribute(dir, "Transactions", "Open") >= 1);
                assertEquals(3, attribute(dir, "Mvcc", "HorizonLag"), "the holder is 3 commits behind");
                Thread.sleep(30);
                long laterAge = (Long) holderRow(dir, "report-generator-7").get("ageMillis");
                assertTrue(laterAge >= firstAge + 29, firstAge + " then " + laterAge);
                assertTrue(attribute(dir, "Transactions", "OldestAgeMillis") >= laterAge);
                assertEquals("report-generator-7", db.openTransactions().get(0).thread(), "the API lists it too");
            } finally {
                done.countDown();
                holder.join();
            }
            assertEquals(0, ((CompositeData[]) SERVER.getAttribute(name(dir, "Transactions"), "OpenTransactions")).length);
            assertEquals(0, attribute(dir, "Mvcc", "HorizonLag"));
        }
    }

    private static CompositeData holderRow(Path directory, String thread) throws Exception {
        CompositeData[] rows = (CompositeData[]) SERVER.getAttribute(name(directory, "Transactions"), "OpenTransactions");
        for (CompositeData row : rows) {
            if (thread.equals(row.get("thread"))) {
                return row;
            }
        }
        throw new AssertionError("no open transaction of thread " + thread + " among " + rows.length);
    }

    @Test
    void withJmxMetricsOffNoBeanIsRegisteredAndTheSnapshotStillWorks() throws Exception {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, QUIET.toBuilder().jmxMetrics(false).build())) {
            commitNodes(db, 2);
            assertEquals(Set.of(), registeredTypes(dir));
            assertEquals(2, db.metricsSnapshot().get("sable.transactions.commits").value());
        }
    }

    @Test
    void directoriesWithCharactersThatNeedQuotingGetTheirOwnNames() throws Exception {
        Path odd = dir.resolve("a,b=c:\"d\"*?");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(odd, QUIET)) {
            assertEquals(new TreeSet<>(TYPES), registeredTypes(odd));
            assertNotEquals(registeredTypes(dir), registeredTypes(odd));
        }
    }
}
