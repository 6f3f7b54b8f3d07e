package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.DatabaseLockedException;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.durability.CommitJournal;
import dev.sablegraph.testkit.FaultInjectingChannelFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Sable logs (docs/operations.md, "Logging"), seen through {@code java.util.logging}, which
 * is where {@code System.Logger} sends it by default: a handler on the {@code dev.sablegraph}
 * logger collects every record of its children.
 */
class LoggingTest {
    private static final GraphConfig QUIET = GraphConfig.builder().pageCacheBytes(16L << 20).gcIntervalMillis(600_000)
            .checkpointLogBytes(1L << 40).build();

    @TempDir
    Path dir;

    private final Logger sable = Logger.getLogger("dev.sablegraph"); // a strong reference keeps its level
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler collector = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level levelBefore;
    private boolean parentHandlersBefore;

    @BeforeEach
    void collect() {
        levelBefore = sable.getLevel();
        parentHandlersBefore = sable.getUseParentHandlers();
        sable.setUseParentHandlers(false); // to the collector only, not also to the console
        sable.setLevel(Level.ALL);
        collector.setLevel(Level.ALL);
        sable.addHandler(collector);
    }

    @AfterEach
    void stopCollecting() {
        sable.removeHandler(collector);
        sable.setLevel(levelBefore);
        sable.setUseParentHandlers(parentHandlersBefore);
    }

    /** Records at {@code level} or above, as "logger LEVEL message". */
    private List<String> atLeast(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue())
                .map(r -> r.getLoggerName() + " " + r.getLevel() + " " + r.getMessage()).collect(Collectors.toList());
    }

    private static void commitNodes(ConcurrentGraphDB db, int n) {
        for (int i = 0; i < n; i++) {
            try (Transaction tx = db.begin()) {
                tx.addNode(Set.of("Item"), Map.of("i", (long) i));
                tx.commit();
            }
        }
    }

    @Test
    void aNormalOpenAndCloseWriteTwoLinesAtInfo() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, QUIET)) {
            commitNodes(db, 5);
            db.checkpoint();
        }
        List<String> info = atLeast(Level.INFO).stream()
                .filter(line -> !line.startsWith("dev.sablegraph.checkpoint INFO")) // only a checkpoint over 1 s
                .collect(Collectors.toList());
        assertEquals(2, info.size(), info::toString);
        assertTrue(info.get(0).startsWith("dev.sablegraph.database INFO opened " + dir + " in "), info.get(0));
        assertTrue(info.get(0).contains("page cache 16 MiB, durability SYNC, lock strategy OPTIMISTIC"), info.get(0));
        assertTrue(info.get(0).endsWith("nothing to recover"), info.get(0));
        assertEquals("dev.sablegraph.database INFO closed " + dir, info.get(1));
        assertTrue(records.stream().anyMatch(r -> r.getLevel() == Level.FINE
                && r.getMessage().startsWith("opened " + dir + " with GraphConfig[")), "the whole configuration at DEBUG");
    }

    @Test
    void aCheckpointIsLoggedAtDebugWithItsSize() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, QUIET)) {
            commitNodes(db, 5);
            records.clear();
            db.checkpoint();
        }
        LogRecord r = records.stream().filter(x -> x.getLoggerName().equals("dev.sablegraph.checkpoint")).findFirst()
                .orElseThrow(() -> new AssertionError("no checkpoint line in " + atLeast(Level.ALL)));
        assertTrue(r.getMessage().matches("checkpoint of .*: [1-9][0-9]* pages \\([0-9]+ KiB\\) in [0-9]+ ms;"
                + " commits waited [0-9]+ µs for its switch"), r.getMessage());
        assertTrue(r.getLevel() == Level.FINE || r.getLevel() == Level.INFO, "INFO only when slow: " + r.getLevel());
    }

    @Test
    void recoveryIsReportedAtOpen() throws IOException {
        Path live = dir.resolve("live");
        Path crashed = dir.resolve("crashed");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(live, QUIET)) {
            commitNodes(db, 3);
            copyWithoutLock(live, crashed); // what a crash now would leave: the three commits only in the log
        }
        records.clear();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(crashed, QUIET); Transaction tx = db.begin()) {
            assertEquals(3, tx.nodesByLabel("Item").size());
        }
        String opened = atLeast(Level.INFO).get(0);
        assertTrue(opened.matches("dev\\.sablegraph\\.database INFO opened .*crashed in [0-9]+ ms \\(.*\\);"
                + " recovery replayed 3 commits \\([1-9][0-9]* bytes of log\\) in [0-9]+ ms"), opened);
    }

    @Test
    void aRefusedOpenIsAWarningNamingTheDirectoryAndTheReason() {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, QUIET)) {
            records.clear();
            assertThrows(DatabaseLockedException.class, () -> ConcurrentGraphDB.open(dir, QUIET));
        }
        List<String> warnings = atLeast(Level.WARNING);
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).startsWith("dev.sablegraph.database WARNING could not open " + dir
                + ": DatabaseLockedException: "), warnings.get(0));
    }

    @Test
    void aTransactionAbortedForItsAgeIsAWarningNamingItsThread() throws Exception {
        GraphConfig config = QUIET.toBuilder().maxTransactionAgeMillis(50).build();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config)) {
            Transaction[] held = new Transaction[1];
            Thread holder = new Thread(() -> held[0] = db.begin(), "nightly-export");
            holder.start();
            holder.join();
            Thread.sleep(100);
            db.collectGarbage();
            held[0].close();
        }
        List<String> warnings = atLeast(Level.WARNING);
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).matches("dev\\.sablegraph\\.transaction WARNING aborted a transaction open for"
                + " [0-9]+ ms, longer than maxTransactionAgeMillis \\(50\\); it was begun on thread nightly-export"),
                warnings.get(0));
    }

    @Test
    void aFailedLogForceIsAnErrorLoggedOnce() {
        FaultInjectingChannelFactory channels = logFaults();
        ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, QUIET, channels);
        try {
            commitNodes(db, 2);
            channels.failForce(1);
            assertThrows(GraphException.class, () -> commitNodes(db, 1));
            assertThrows(GraphException.class, () -> commitNodes(db, 1));
        } finally {
            closeFailed(db);
        }
        assertOneErrorFromTheLog();
    }

    /** Under ASYNC the log fails on the flusher thread; the commits after it are refused. */
    @Test
    void aLogThatFailsInTheBackgroundIsAnErrorLoggedOnce() throws Exception {
        FaultInjectingChannelFactory channels = logFaults();
        GraphConfig async = QUIET.toBuilder().durability(Durability.ASYNC).asyncFlushMillis(5).build();
        ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, async, channels);
        try {
            commitNodes(db, 2);
            channels.failWrite(1);
            assertThrows(GraphException.class, () -> {
                for (int i = 0; i < 100_000; i++) {
                    commitNodes(db, 1); // fails once the flusher's write has failed
                }
            });
        } finally {
            closeFailed(db);
        }
        assertOneErrorFromTheLog();
    }

    private static FaultInjectingChannelFactory logFaults() {
        return new FaultInjectingChannelFactory().faultsOnly(p -> p.getFileName().toString().startsWith("wal-"));
    }

    private static void closeFailed(ConcurrentGraphDB db) {
        try {
            db.close();
        } catch (RuntimeException expected) {
            // the failed log cannot flush at close
        }
    }

    private void assertOneErrorFromTheLog() {
        List<LogRecord> errors = records.stream().filter(r -> r.getLevel() == Level.SEVERE).collect(Collectors.toList());
        assertEquals(1, errors.size(), () -> atLeast(Level.SEVERE).toString());
        assertEquals("dev.sablegraph.database", errors.get(0).getLoggerName());
        String message = errors.get(0).getMessage();
        assertTrue(message.startsWith("write-ahead log " + dir.resolve(CommitJournal.WAL_DIRECTORY) + " failed: ")
                && message.endsWith("; the database refuses commits until it is reopened (reads go on)"), message);
        assertNotNull(errors.get(0).getThrown(), "with the cause");
    }

    private static void copyWithoutLock(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("LOCK")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
