package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.testkit.FaultInjectingChannelFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit that throws leaves nothing behind: not in this process (later commits, reads, the
 * conflict check), not in the data file after a checkpoint, not after reopening. And a failure
 * caused by the input leaves the database fully usable.
 */
class FailedCommitTest {
    @TempDir
    Path dir;

    /** The smallest cache the configuration allows (16 pages of 8 KiB): a few hundred nodes overflow it. */
    private static GraphConfig tinyCache() {
        return GraphConfig.builder().pageCacheBytes(16 * 8192).build();
    }

    private static long commitNode(ConcurrentGraphDB db, String label) {
        try (Transaction tx = db.begin()) {
            long id = tx.addNode(Set.of(label), Map.of("name", label));
            tx.commit();
            return id;
        }
    }

    private static void assertClean(ConcurrentGraphDB db) {
        IntegrityReport report = db.checkIntegrity();
        assertTrue(report.isClean(), report.toString());
    }

    /** Adds {@code n} nodes with a few properties each: more pages than the tiny cache holds. */
    private static void addMany(Transaction tx, int n) {
        for (int i = 0; i < n; i++) {
            tx.addNode(Set.of("Big", "L" + (i % 7)), Map.of("i", (long) i, "name", "node-" + i, "pad", "x".repeat(40)));
        }
    }

    /**
     * Fails the next write of the page cache's spill file: a commit whose pages overflow the cache
     * meets it. The file is empty after a checkpoint, so the commit's first spill grows it, through
     * a write (copies into the grown file go through its mapping, which faults cannot reach).
     */
    private static FaultInjectingChannelFactory spillFaults() {
        return new FaultInjectingChannelFactory().faultsOnly(p -> p.getFileName().toString().equals("spill.pages"));
    }

    @Test
    @Timeout(120)
    void aTransactionLargerThanThePageCacheCommitsWholeAndSurvivesReopen() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, tinyCache())) {
            try (Transaction tx = db.begin()) {
                addMany(tx, 600);
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                assertEquals(600, tx.nodesByLabel("Big").size());
            }
            assertTrue(db.metricsSnapshot().get("sable.pagecache.spill.writes").value() > 0,
                    "its pages went through the spill file");
            assertClean(db); // reads every stored node and edge, through the cache
            assertTrue(db.metricsSnapshot().get("sable.pagecache.spill.reads").value() > 0,
                    "the check read spilled pages back");
        }
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, tinyCache()); Transaction tx = db.begin()) {
            assertEquals(600, tx.nodesByLabel("Big").size(), "after reopen");
            assertEquals(600 / 7 + 1, tx.nodesByLabel("L0").size());
            assertClean(db);
        }
    }

    @Test
    @Timeout(120)
    void aCommitThatFailsWhileItsPagesSpillLeavesNothingAndTheDatabaseStaysUsable() {
        long before;
        long after;
        FaultInjectingChannelFactory channels = spillFaults();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, tinyCache(), channels)) {
            before = commitNode(db, "Before");
            try (Transaction tx = db.begin()) {
                addMany(tx, 600);
                db.checkpoint(); // waits out any background checkpoint, which must not take the injected failure
                channels.failWrite(1);
                GraphException e = assertThrows(GraphException.class, tx::commit);
                assertTrue(e.getMessage().contains("taken back whole"), e.getMessage());
            }
            try (Transaction tx = db.begin()) {
                assertEquals(List.of(), tx.nodesByLabel("Big"), "nothing of the failed commit is visible");
            }
            after = commitNode(db, "After"); // usable: no refusal, no conflict from left-overs
            db.checkpoint();                // a checkpoint must not write any page of the failed commit
            assertClean(db);
        }
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, tinyCache()); Transaction tx = db.begin()) {
            assertEquals(List.of(), tx.nodesByLabel("Big"), "nothing of the failed commit after reopen");
            assertTrue(tx.getNode(before).isPresent());
            assertTrue(tx.getNode(after).isPresent());
            assertEquals(2, Stream.of("Before", "After").mapToLong(l -> tx.nodesByLabel(l).size()).sum());
            assertClean(db);
        }
    }

    @Test
    @Timeout(120)
    void aFailedCommitLeavesNoVersionsThatMakeOthersConflict() {
        FaultInjectingChannelFactory channels = spillFaults();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, tinyCache(), channels)) {
            db.createIndex("Big", "i"); // index entries make the commit need more pages
            db.createIndex("Big", "pad");
            assertTrue(db.awaitIndexesOnline(java.time.Duration.ofMinutes(1)));
            long shared = commitNode(db, "Shared");
            try (Transaction tx = db.begin()) {
                tx.setNodeProperty(shared, "by", "failed");
                for (int i = 0; i < 600; i++) {
                    tx.addNode(Set.of("Big"), Map.of("i", (long) i, "pad", "y".repeat(60)));
                }
                db.checkpoint(); // waits out any background checkpoint, which must not take the injected failure
                channels.failWrite(1);
                assertThrows(GraphException.class, tx::commit);
            }
            try (Transaction tx = db.begin()) {
                assertEquals("Shared", tx.getNode(shared).orElseThrow().properties().get("name"));
                assertEquals(null, tx.getNode(shared).orElseThrow().properties().get("by"));
                tx.setNodeProperty(shared, "by", "later"); // no WriteConflictException from left-overs
                tx.commit();
            }
            assertClean(db);
        }
    }

    @Test
    @Timeout(120)
    void theWriteThatWouldMakeTheCommitRecordLargerThanALogSegmentIsRefusedAndTheRestCommits() {
        GraphConfig config = GraphConfig.builder().walSegmentBytes(1 << 16).build();
        long after;
        int taken = 0;
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config)) {
            try (Transaction tx = db.begin()) {
                IllegalArgumentException e = null;
                for (int i = 0; i < 2_600 && e == null; i++) {
                    try {
                        tx.addNode(Set.of("Big"), Map.of("i", (long) i, "name", "node-" + i));
                        taken++;
                    } catch (IllegalArgumentException refused) {
                        e = refused;
                    }
                }
                assertTrue(e != null && e.getMessage().contains("walSegmentBytes"), "refused at a write: " + e);
                assertTrue(taken > 1_000 && taken < 2_600, taken + " nodes taken");
                tx.commit(); // the refused write changed nothing: what was taken fits, and commits
            }
            after = commitNode(db, "After");
            assertClean(db);
        }
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config); Transaction tx = db.begin()) {
            assertEquals(taken, tx.nodesByLabel("Big").size());
            assertTrue(tx.getNode(after).isPresent());
        }
    }

    @Test
    @Timeout(120)
    void labelAndPropertyCountsAreCheckedAtTheExactBoundary() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            Set<String> labels = new HashSet<>();
            for (int i = 0; i < 65_535; i++) {
                labels.add("L" + i);
            }
            Map<String, Object> props = new HashMap<>();
            for (int i = 0; i < 65_535; i++) {
                props.put("k" + i, (long) i);
            }
            long manyLabels;
            long manyProps;
            try (Transaction tx = db.begin()) {
                // Index entries are per (label, property): one node with many of both would be 4 billion.
                manyLabels = tx.addNode(labels, Map.of());
                manyProps = tx.addNode(Set.of("P"), props);
                Set<String> oneTooMany = new HashSet<>(labels);
                oneTooMany.add("L65535");
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> tx.addNode(oneTooMany, Map.of()));
                assertTrue(e.getMessage().contains("65535"), e.getMessage());
                Map<String, Object> tooMany = new HashMap<>(props);
                tooMany.put("k65535", 1L);
                assertThrows(IllegalArgumentException.class, () -> tx.addNode(Set.of("X"), tooMany));
                assertThrows(IllegalArgumentException.class, () -> tx.setNodeProperty(manyProps, "k65535", 1L));
                assertThrows(IllegalArgumentException.class, () -> tx.addLabel(manyLabels, "L65535"));
                tx.commit(); // the refusals left the transaction usable
            }
            try (Transaction tx = db.begin()) {
                assertEquals(65_535, tx.getNode(manyLabels).orElseThrow().labels().size());
                assertEquals(65_535, tx.getNode(manyProps).orElseThrow().properties().size());
            }
        }
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir); Transaction tx = db.begin()) {
            assertEquals(65_535, tx.nodesByLabel("L17").get(0).labels().size(), "the database opens again");
        }
    }

    @Test
    @Timeout(60)
    void aStreamReadAfterItsTransactionEndedThrows() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            for (int i = 0; i < 20; i++) {
                commitNode(db, "Item");
            }
            Stream<dev.sablegraph.core.Node> stream;
            try (Transaction tx = db.begin()) {
                stream = tx.streamNodesByLabel("Item");
            }
            Stream<dev.sablegraph.core.Node> s = stream;
            assertThrows(IllegalStateException.class, () -> s.count());
        }
    }

    @Test
    @Timeout(120)
    void aCommitRacingAWriteOnTheSameTransactionFailsThatTransactionAlone() throws Exception {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            for (int round = 0; round < 200; round++) {
                Transaction tx = db.begin();
                for (int i = 0; i < 50; i++) {
                    tx.addNode(Set.of("Race"), Map.of("i", (long) i));
                }
                Thread writer = new Thread(() -> {
                    try {
                        for (int i = 0; i < 200; i++) {
                            tx.addNode(Set.of("Race"), Map.of("w", (long) i));
                        }
                    } catch (RuntimeException expected) {
                        // refused once the commit began: that is the point
                    }
                });
                writer.start();
                try {
                    tx.commit();
                } catch (RuntimeException misuse) {
                    // this transaction may fail; the database must not
                } finally {
                    writer.join();
                    tx.close();
                }
            }
            commitNode(db, "After"); // the database still takes commits
            assertClean(db);
        }
    }
}
