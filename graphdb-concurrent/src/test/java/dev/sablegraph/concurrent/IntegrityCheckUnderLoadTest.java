package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.WriteConflictException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConcurrentGraphDB#checkIntegrity()} while writers add, change and delete nodes and edges
 * and readers hold snapshots back: every check is clean (old snapshots' index entries are
 * expected, not damage), and so is the check after close and reopen, with nothing held back.
 */
class IntegrityCheckUnderLoadTest {
    private static final int WRITERS = 3;
    private static final int OPS_PER_WRITER = 400;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void checksRunningBesideWritersAreClean(LockStrategy strategy) throws Exception {
        AtomicLong progress = new AtomicLong();
        AtomicLong checks = new AtomicLong();
        try (ConcurrentGraphDB db = ConcurrencyTestSupport.open(dir, strategy)) {
            ConcurrencyTestSupport.runWorkers("integrity", WRITERS + 1, index -> {
                if (index == WRITERS) {
                    while (progress.get() < WRITERS * OPS_PER_WRITER) {
                        IntegrityReport report = db.checkIntegrity();
                        assertTrue(report.isClean(), report.toString());
                        checks.incrementAndGet();
                    }
                    return;
                }
                churn(db, new Random(index), progress);
            }, progress, 60);
            assertTrue(checks.get() > 0, "the checker ran");
        }
        try (ConcurrentGraphDB db = ConcurrencyTestSupport.open(dir, strategy)) {
            IntegrityReport report = db.checkIntegrity();
            assertTrue(report.isClean(), report.toString());
            assertEquals(0, report.count("index entries kept for older snapshots"), report.toString());
            assertEquals(0, report.count("version chains"), report.toString());
        }
    }

    /** Random writes; a reader snapshot is kept open across a few of them so versions pile up. */
    private static void churn(ConcurrentGraphDB db, Random random, AtomicLong progress) {
        Transaction held = db.begin();
        for (int op = 0; op < OPS_PER_WRITER; op++, progress.incrementAndGet()) {
            if (op % 25 == 0) {
                held.close();
                held = db.begin();
            }
            try (Transaction tx = db.begin()) {
                List<Long> ids = tx.nodesByLabel("N").stream().map(n -> n.id()).toList();
                int kind = ids.size() < 10 ? 0 : random.nextInt(4);
                long some = ids.isEmpty() ? -1 : ids.get(random.nextInt(ids.size()));
                switch (kind) {
                    case 0 -> tx.addNode(Set.of("N"), Map.of("v", (long) random.nextInt(20)));
                    case 1 -> tx.addEdge(some, ids.get(random.nextInt(ids.size())), "E", Map.of());
                    case 2 -> tx.setNodeProperty(some, "v", (long) random.nextInt(20));
                    default -> {
                        for (Edge e : tx.edges(some, Direction.BOTH, null)) {
                            tx.deleteEdge(e.id());
                        }
                        tx.deleteNode(some);
                    }
                }
                tx.commit();
            } catch (WriteConflictException expected) {
                // another writer changed the same node first
            }
        }
        held.close();
    }
}
