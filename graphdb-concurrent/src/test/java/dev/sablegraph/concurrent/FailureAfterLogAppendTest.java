package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit (or schema change) that fails after its record reached the log (out of memory while its version chains
 * are pushed, most likely, in a huge transaction) cannot be taken back from the log: another
 * commit's force may already have made it durable. It must not be reported as taken back, and no
 * later commit may reuse its timestamp or go on from a store state that may hold half of it:
 * writes stop, and reopening recovers every commit that returned. Before, an Error there passed
 * through untouched, a RuntimeException was reported as "taken back whole", and the next commit
 * reused the failed one's timestamp.
 */
class FailureAfterLogAppendTest {
    @TempDir
    Path dir;

    private static long commitNode(ConcurrentGraphDB db, String name) {
        try (Transaction tx = db.begin()) {
            long id = tx.addNode(Set.of("N"), Map.of("name", name));
            tx.commit();
            return id;
        }
    }

    @Test
    void anErrorAfterTheAppendStopsWritesAndReopenRecoversEveryCommitThatReturned() {
        failAfterAppend(() -> new OutOfMemoryError("injected after the log append"));
    }

    @Test
    void anExceptionAfterTheAppendIsNotReportedAsTakenBack() {
        failAfterAppend(() -> new IllegalStateException("injected after the log append"));
    }

    @Test
    void aSchemaChangeThatFailsAfterTheAppendStopsWritesToo() {
        long first;
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            first = commitNode(db, "first");
            db.failAfterNextLogAppend(new OutOfMemoryError("injected after the schema record's append"));
            GraphException failed = assertThrows(GraphException.class, () -> db.createIndex("N", "name"));
            assertTrue(failed.getMessage().contains("refuses writes"), failed.getMessage());
            assertTrue(failed.getMessage().contains("schema change"), failed.getMessage());
            GraphException refused = assertThrows(GraphException.class, () -> commitNode(db, "later"));
            assertTrue(refused.getMessage().contains("refuses writes"), refused.getMessage());
        }
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            try (Transaction tx = db.begin()) {
                assertEquals("first", tx.getNode(first).orElseThrow().properties().get("name"));
            }
            assertTrue(db.checkIntegrity().isClean(), db.checkIntegrity().toString());
            commitNode(db, "after reopen");
        }
    }

    private void failAfterAppend(Supplier<Throwable> failure) {
        long first;
        long refusedLater = -1;
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            first = commitNode(db, "first");
            db.failAfterNextLogAppend(failure.get());

            GraphException failed = assertThrows(GraphException.class, () -> commitNode(db, "failed"));
            assertTrue(failed.getMessage().contains("refuses writes"), failed.getMessage());
            assertTrue(failed.getMessage().contains("injected after the log append"), failed.getMessage());

            try (Transaction tx = db.begin()) {
                refusedLater = tx.addNode(Set.of("N"), Map.of("name", "later"));
                GraphException refused = assertThrows(GraphException.class, tx::commit);
                assertTrue(refused.getMessage().contains("refuses writes"), refused.getMessage());
            }
            try (Transaction tx = db.begin()) {
                assertTrue(tx.getNode(first).isPresent(), "reads go on");
            }
        }
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir)) {
            try (Transaction tx = db.begin()) {
                assertEquals("first", tx.getNode(first).orElseThrow().properties().get("name"), "a commit that returned");
                assertTrue(tx.getNode(refusedLater).isEmpty(), "a commit that was refused");
            }
            assertTrue(db.checkIntegrity().isClean(), db.checkIntegrity().toString());
            commitNode(db, "after reopen"); // writes again
        }
    }
}
