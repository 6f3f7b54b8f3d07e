package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import dev.sablegraph.internal.durability.BackupCopier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConcurrentGraphDB#backup}: the copy opens as a database of its own with the content at
 * the call; the source goes on; bad targets are refused before anything changes; a checkpoint that
 * overwrites pages while they are being copied does not leak its pages into the copy; a failed
 * backup leaves nothing behind.
 */
class BackupTest {
    private static final GraphConfig SMALL = GraphConfig.builder().pageCacheBytes(16 << 20).build();

    @TempDir
    Path tmp;

    private Path source() {
        return tmp.resolve("db");
    }

    /** Nodes 0..n-1 with {@code version} and a payload, chained by NEXT edges. */
    private static long[] populate(ConcurrentGraphDB db, int n, String version) {
        long[] ids = new long[n];
        try (Transaction tx = db.begin()) {
            for (int i = 0; i < n; i++) {
                ids[i] = tx.addNode(Set.of("Item"), Map.of("no", (long) i, "version", version, "payload",
                        "x".repeat(200)));
                if (i > 0) {
                    tx.addEdge(ids[i - 1], ids[i], "NEXT", Map.of("w", (long) i));
                }
            }
            tx.commit();
        }
        return ids;
    }

    private static void setVersion(ConcurrentGraphDB db, long[] ids, String version) {
        try (Transaction tx = db.begin()) {
            for (long id : ids) {
                tx.setNodeProperty(id, "version", version);
            }
            tx.commit();
        }
    }

    /** Every Item's no → version, and the number of NEXT edges. */
    private static Map<Long, String> content(ConcurrentGraphDB db) {
        Map<Long, String> out = new TreeMap<>();
        try (Transaction tx = db.begin()) {
            long edges = 0;
            for (Node n : tx.nodesByLabel("Item")) {
                out.put((Long) n.properties().get("no"), (String) n.properties().get("version"));
                edges += tx.edges(n.id(), Direction.OUTGOING, "NEXT").size();
            }
            out.put(-1L, "edges=" + edges);
        }
        return out;
    }

    /** Equal maps, or a short report of how they differ (the maps have thousands of entries). */
    private static void assertSameContent(Map<Long, String> expected, Map<Long, String> actual) {
        List<String> differences = new java.util.ArrayList<>();
        for (Map.Entry<Long, String> e : expected.entrySet()) {
            if (!e.getValue().equals(actual.get(e.getKey()))) {
                differences.add(e.getKey() + ": " + e.getValue() + " != " + actual.get(e.getKey()));
            }
        }
        assertTrue(differences.isEmpty() && expected.size() == actual.size(), () -> differences.size()
                + " entries differ, first: " + differences.stream().limit(5).toList() + "; sizes " + expected.size()
                + " and " + actual.size());
    }

    private static void assertClean(ConcurrentGraphDB db) {
        IntegrityReport report = db.checkIntegrity();
        assertTrue(report.isClean(), report::toString);
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void theCopyOpensWithTheContentAtTheCallAndTheSourceGoesOn() throws IOException {
        Path target = tmp.resolve("copy");
        Map<Long, String> atBackup;
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(source(), SMALL)) {
            long[] ids = populate(db, 300, "v1");
            atBackup = content(db);

            db.backup(target);

            setVersion(db, ids, "v2"); // the source goes on, and the copy does not see it
            assertEquals("v2", content(db).get(0L));
            assertClean(db);
        }
        assertFalse(Files.exists(tmp.resolve("copy" + ".backup-in-progress")), "no temporary directory is left");
        assertTrue(Files.readString(target.resolve("backup-info")).contains("online backup of " + source()));
        try (ConcurrentGraphDB copy = ConcurrentGraphDB.open(target, SMALL)) {
            assertSameContent(atBackup, content(copy));
            assertClean(copy);
            try (Transaction tx = copy.begin()) { // a database of its own: it takes commits
                tx.addNode(Set.of("Item"), Map.of("no", 1000L, "version", "copy"));
                tx.commit();
            }
        }
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(source(), SMALL)) {
            assertFalse(content(db).containsKey(1000L), "the copy shares nothing with the source");
            assertEquals("v2", content(db).get(0L));
        }
    }

    @Test
    void aBackupOfAnEmptyDatabaseOpens() {
        Path target = tmp.resolve("copy");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(source(), SMALL)) {
            db.backup(target);
        }
        try (ConcurrentGraphDB copy = ConcurrentGraphDB.open(target, SMALL)) {
            assertEquals(Map.of(-1L, "edges=0"), content(copy));
            assertClean(copy);
        }
    }

    @Test
    void anExistingTargetIsRefusedBeforeAnythingChanges() throws IOException {
        Path target = Files.createDirectory(tmp.resolve("copy"));
        Files.writeString(target.resolve("keep.txt"), "mine");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(source(), SMALL)) {
            populate(db, 10, "v1");
            long checkpoints = db.checkpoints();
            List<String> before = listing(tmp);

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> db.backup(target));

            assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            assertEquals(before, listing(tmp), "nothing was created or changed");
            assertEquals(checkpoints, db.checkpoints(), "not even a checkpoint ran");
            assertEquals("mine", Files.readString(target.resolve("keep.txt")));
            populate(db, 1, "after"); // still usable
        }
    }

    @Test
    void aTargetWhoseParentIsMissingOrThatLiesInsideTheDatabaseIsRefused() throws IOException {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(source(), SMALL)) {
            Path orphan = tmp.resolve("missing").resolve("copy");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> db.backup(orphan));
            assertTrue(e.getMessage().contains(orphan.toString()) && e.getMessage().contains("does not exist"),
                    e.getMessage());
            assertFalse(Files.exists(tmp.resolve("missing")));

            Path inside = source().resolve("backup");
            e = assertThrows(IllegalArgumentException.class, () -> db.backup(inside));
            assertTrue(e.getMessage().contains("inside the database directory"), e.getMessage());
            assertFalse(Files.exists(inside));

            assertThrows(IllegalArgumentException.class, () -> db.backup(null));
        }
    }

    @Test
    void aClosedDatabaseIsNotBackedUp() {
        ConcurrentGraphDB db = ConcurrentGraphDB.open(source(), SMALL);
        db.close();
        assertThrows(IllegalStateException.class, () -> db.backup(tmp.resolve("copy")));
        assertFalse(Files.exists(tmp.resolve("copy")));
    }

    /**
     * The copy is paused after its first page, while a commit changes every node and a checkpoint
     * writes all those pages in place: each page the copy had not reached yet must be saved to it
     * before it is overwritten. Without that, the copy holds a mix of both versions (a test of the
     * protocol, run with the saving switched off, fails here).
     */
    @Test
    void pagesACheckpointOverwritesDuringTheCopyReachTheCopyAsTheyWere() {
        Path target = tmp.resolve("copy");
        Map<Long, String> atBackup;
        AtomicInteger chunks = new AtomicInteger();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(source(), SMALL)) {
            long[] ids = populate(db, 2000, "v1");
            atBackup = content(db);
            long checkpointsBefore = db.checkpoints();

            db.backup(target, new BackupCopier.Pacing(1, () -> {
                if (chunks.incrementAndGet() == 1) {
                    setVersion(db, ids, "v2");
                    db.checkpoint();
                }
            }));

            assertTrue(chunks.get() > 50, "the data file was copied a page at a time: " + chunks.get());
            assertTrue(db.checkpoints() >= checkpointsBefore + 2, "the backup's checkpoint and the one during the copy");
            assertEquals("v2", content(db).get(0L));
            assertClean(db);
        }
        try (ConcurrentGraphDB copy = ConcurrentGraphDB.open(target, SMALL)) {
            assertSameContent(atBackup, content(copy));
            assertClean(copy);
        }
    }

    @Test
    void twoBackupsAtOnceEachHoldTheStateAtTheirStart() throws Exception {
        Map<Long, String> atBackup;
        java.util.concurrent.CountDownLatch bothCopying = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.CountDownLatch changed = new java.util.concurrent.CountDownLatch(1);
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(source(), SMALL)) {
            long[] ids = populate(db, 2000, "v1");
            atBackup = content(db);
            List<Thread> backups = new java.util.ArrayList<>();
            java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
            for (String name : List.of("a", "b")) {
                AtomicInteger chunks = new AtomicInteger();
                Thread t = new Thread(() -> {
                    try {
                        db.backup(tmp.resolve(name), new BackupCopier.Pacing(1, () -> {
                            if (chunks.incrementAndGet() == 1) {
                                bothCopying.countDown();
                                await(changed);
                            }
                        }));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                backups.add(t);
                t.start();
            }
            await(bothCopying); // both copies have begun from the same state: change it under them
            setVersion(db, ids, "v2");
            db.checkpoint();
            changed.countDown();
            for (Thread t : backups) {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "backups failed: " + failures);
        }
        for (String name : List.of("a", "b")) {
            try (ConcurrentGraphDB copy = ConcurrentGraphDB.open(tmp.resolve(name), SMALL)) {
                assertSameContent(atBackup, content(copy));
                assertClean(copy);
            }
        }
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            assertTrue(latch.await(60, java.util.concurrent.TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** An interrupt is the caller's business: the backup completes and the interrupt status is kept. */
    @Test
    void anInterruptedCallerGetsItsBackupAndKeepsItsInterrupt() {
        Path target = tmp.resolve("copy");
        Map<Long, String> atBackup;
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(source(), SMALL)) {
            populate(db, 500, "v1");
            atBackup = content(db);
            Thread.currentThread().interrupt();
            try {
                db.backup(target);
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt status is kept (and cleared here)");
            }
        }
        try (ConcurrentGraphDB copy = ConcurrentGraphDB.open(target, SMALL)) {
            assertSameContent(atBackup, content(copy));
        }
    }

    @Test
    void aFailedBackupLeavesNothingAndTheDatabaseGoesOn() {
        Path target = tmp.resolve("copy");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(source(), SMALL)) {
            long[] ids = populate(db, 500, "v1");
            RuntimeException e = assertThrows(RuntimeException.class, () -> db.backup(target,
                    new BackupCopier.Pacing(8192, () -> {
                        throw new GraphException("disk full (injected)");
                    })));
            assertTrue(e.getMessage().contains("disk full (injected)"), e.getMessage());
            assertTrue(e.getMessage().contains("nothing was left at " + target), e.getMessage());
            assertFalse(Files.exists(target));
            assertFalse(Files.exists(tmp.resolve("copy.backup-in-progress")), "the temporary directory was removed");

            setVersion(db, ids, "v2"); // commits and checkpoints go on, with no watcher left behind
            db.checkpoint();
            assertClean(db);
            db.backup(target); // and the same target can be used again
        }
        try (ConcurrentGraphDB copy = ConcurrentGraphDB.open(target, SMALL)) {
            assertEquals("v2", content(copy).get(0L));
            assertClean(copy);
        }
    }

    @Test
    void aTemporaryDirectoryLeftByADeadBackupIsReplacedAndAForeignOneIsRefused() throws IOException {
        Path target = tmp.resolve("copy");
        Path leftover = Files.createDirectory(tmp.resolve("copy.backup-in-progress"));
        Files.writeString(leftover.resolve("backup-info"), "Sable online backup of elsewhere");
        Files.writeString(leftover.resolve("data.sable"), "half a copy");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(source(), SMALL)) {
            populate(db, 50, "v1");
            db.backup(target);
            assertFalse(Files.exists(leftover));

            Path other = tmp.resolve("other");
            Path foreign = Files.createDirectory(tmp.resolve("other.backup-in-progress"));
            Files.writeString(foreign.resolve("notes.txt"), "not a backup");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> db.backup(other));
            assertTrue(e.getMessage().contains("was not left by a backup"), e.getMessage());
            assertEquals("not a backup", Files.readString(foreign.resolve("notes.txt")));
        }
        try (ConcurrentGraphDB copy = ConcurrentGraphDB.open(target, SMALL)) {
            assertEquals(50, content(copy).size() - 1);
        }
    }

    @Test
    void aClosedDatabaseIsCopiedVerbatimAndAnOpenOneIsRefused() {
        Path target = tmp.resolve("copy");
        Map<Long, String> content;
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(source(), SMALL)) {
            populate(db, 300, "v1");
            content = content(db);
            assertThrows(dev.sablegraph.core.DatabaseLockedException.class,
                    () -> BackupCopier.copyClosed(source(), target, 4096));
            assertFalse(Files.exists(target));
        }
        BackupCopier.copyClosed(source(), target, 4096);
        try (ConcurrentGraphDB copy = ConcurrentGraphDB.open(target, SMALL)) {
            assertSameContent(content, content(copy));
            assertClean(copy);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackupCopier.copyClosed(tmp.resolve("nothing"), tmp.resolve("copy2"), 4096));
        assertTrue(e.getMessage().contains("no database"), e.getMessage());
    }
}
