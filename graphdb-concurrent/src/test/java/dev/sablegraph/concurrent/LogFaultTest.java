package dev.sablegraph.concurrent;

import dev.sablegraph.internal.durability.CommitJournal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.WriteConflictException;
import dev.sablegraph.testkit.FaultInjectingChannelFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** I/O faults of the write-ahead log, seen through the public API. */
class LogFaultTest {
    @TempDir
    Path dir;

    private ConcurrentGraphDB open(FaultInjectingChannelFactory channels) {
        return ConcurrentGraphDB.open(dir, GraphConfig.builder().pageCacheBytes(16L << 20).build(), channels);
    }

    private static long commitNode(ConcurrentGraphDB db, long seq) {
        try (Transaction tx = db.begin()) {
            long id = tx.addNode(Set.of("Item"), Map.of("seq", seq));
            tx.commit();
            return id;
        }
    }

    private static FaultInjectingChannelFactory logFaults() {
        return new FaultInjectingChannelFactory().faultsOnly(p -> p.getFileName().toString().startsWith("wal-"));
    }

    private static void commitTwenty(ConcurrentGraphDB db, List<Long> committed) {
        for (int i = 0; i < 20; i++) {
            committed.add(commitNode(db, i));
        }
    }

    private static void injectLogFault(FaultInjectingChannelFactory channels, String fault) {
        switch (fault) {
            case "write" -> channels.failWrite(1);
            case "force" -> channels.failForce(1);
            default -> channels.diskFullAfter(10);
        }
    }

    /**
     * A commit whose log write or force failed threw, so it must not come back at the next open,
     * although its record may have reached the file before the failure.
     */
    @ParameterizedTest
    @ValueSource(strings = {"write", "force"})
    void aCommitWhoseLogWriteOrForceFailedIsAbsentAfterReopen(String fault) {
        FaultInjectingChannelFactory channels = logFaults();
        List<Long> committed = new ArrayList<>();
        ConcurrentGraphDB db = open(channels);
        try {
            commitTwenty(db, committed);
            injectLogFault(channels, fault);
            assertThrows(GraphException.class, () -> commitNode(db, 100));
        } finally {
            try {
                db.close();
            } catch (RuntimeException expected) {
                // the failed log cannot flush at close
            }
        }
        try (ConcurrentGraphDB reopened = ConcurrentGraphDB.open(dir); Transaction tx = reopened.begin()) {
            assertEquals(committed.size(), tx.nodesByLabel("Item").size(), "exactly the commits that returned");
            for (long id : committed) {
                assertTrue(tx.getNode(id).isPresent());
            }
            assertTrue(reopened.checkIntegrity().isClean());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"write", "force", "disk full"})
    void aFailedLogRefusesWritesStaysReadableAndLosesNothingCommitted(String fault) {
        FaultInjectingChannelFactory channels = logFaults();
        List<Long> committed = new ArrayList<>();
        ConcurrentGraphDB db = open(channels);
        try {
            commitTwenty(db, committed);
            injectLogFault(channels, fault);
            GraphException first = assertThrows(GraphException.class, () -> commitNode(db, 100));
            assertFalse(first instanceof WriteConflictException, "an I/O failure is not a conflict");
            GraphException later = assertThrows(GraphException.class, () -> commitNode(db, 101));
            assertTrue(later.getMessage().contains("refuses writes") && later.getMessage().contains("reopen"),
                    later.getMessage());
            try (Transaction tx = db.begin()) {
                for (long id : committed) {
                    assertTrue(tx.getNode(id).isPresent(), "still readable after the failure");
                }
                assertEquals(committed.size(), tx.nodesByLabel("Item").size());
            }
        } finally {
            db.close();
        }
        try (ConcurrentGraphDB reopened = ConcurrentGraphDB.open(dir); Transaction tx = reopened.begin()) {
            for (long id : committed) {
                assertTrue(tx.getNode(id).isPresent(), "commit " + id + " survived the failure and the reopen");
            }
            long id = tx.addNode(Set.of("Item"), Map.of("seq", 200L));
            tx.commit();
            assertTrue(id > committed.get(committed.size() - 1));
        }
    }

    /** The engine we started from forced a file of the wrong name: here the forced file is the log. */
    @Test
    void syncCommitsForceTheLogSegmentHoldingTheirRecords() throws IOException {
        FaultInjectingChannelFactory channels = new FaultInjectingChannelFactory();
        try (ConcurrentGraphDB db = open(channels)) {
            commitNode(db, 0);
            Path segment = onlySegment();
            int before = channels.forces(segment);
            int eventsBefore = channels.events().size();
            long sizeBefore = Files.size(segment);
            for (int i = 1; i <= 50; i++) {
                commitNode(db, i);
                assertTrue(channels.forces(segment) >= before + i, "commit " + i + " forced " + segment);
            }
            assertEquals(segment, onlySegment(), "the records went to this segment");
            assertEquals(sizeBefore, Files.size(segment), "preallocated: forcing never grows the file");
            List<Path> otherForced = channels.events().subList(eventsBefore, channels.events().size()).stream()
                    .filter(e -> e.kind() == FaultInjectingChannelFactory.Kind.FORCE)
                    .map(FaultInjectingChannelFactory.Event::path)
                    .filter(p -> !p.equals(segment)).distinct().toList();
            assertEquals(List.of(), otherForced, "commits force the segment and nothing else");
        }
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(CommitJournal.WAL_DIRECTORY))) {
            List<Path> segments = files.filter(p -> p.getFileName().toString().matches("wal-[0-9a-f]{16}\\.log")).toList();
            assertEquals(1, segments.size(), segments.toString());
            return segments.get(0);
        }
    }
}
