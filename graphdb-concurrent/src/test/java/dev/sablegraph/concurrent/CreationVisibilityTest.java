package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.LockStrategy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Entities a commit creates get no version chain; the commit remembers them as runs of ids until
 * every snapshot sees them. Every way of reaching an entity (by id, through adjacency, degree,
 * counts, as an edge's endpoint) must still hide it from snapshots taken before its creation, and
 * show it to later ones, while the runs are remembered, after some of them became chains (the
 * entity was updated or deleted), and after collection forgot them.
 */
class CreationVisibilityTest {
    @TempDir
    Path dir;

    /** What one snapshot sees of the fixture, as one comparable line. */
    private static String seen(Transaction tx, long a, long[] created, long[] edges) {
        StringBuilder b = new StringBuilder();
        for (long id : created) {
            b.append(tx.getNode(id).map(n -> "n" + n.properties().get("v")).orElse("-")).append(' ');
        }
        for (long id : edges) {
            b.append(tx.getEdge(id).map(e -> "e" + e.properties().get("v")).orElse("-")).append(' ');
        }
        b.append("| out ").append(tx.degree(a, Direction.OUTGOING));
        b.append(" list ").append(tx.edges(a, Direction.OUTGOING, null).size());
        b.append(" neighbours ").append(tx.neighbours(a, Direction.OUTGOING, null).size());
        b.append(" | nodes ").append(tx.countNodes()).append(" edges ").append(tx.countEdges());
        return b.toString();
    }

    private static long commitNode(ConcurrentGraphDB db, long v) {
        try (Transaction tx = db.begin()) {
            long id = tx.addNode(Set.of("N"), Map.of("v", v));
            tx.commit();
            return id;
        }
    }

    /** Collection only when the test asks for it. */
    private ConcurrentGraphDB open(LockStrategy strategy) {
        return ConcurrentGraphDB.open(dir, GraphConfig.builder().lockStrategy(strategy).gcIntervalMillis(60_000).build());
    }

    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void snapshotsBeforeACreationNeverSeeItWhereverTheyLook(LockStrategy strategy) {
        try (ConcurrentGraphDB db = open(strategy)) {
            long a = commitNode(db, 0);
            db.collectGarbage();
            Transaction before = db.begin();
            String beforeSees = seen(before, a, new long[0], new long[0]);

            long[] created = new long[4];
            long[] edges = new long[3];
            try (Transaction tx = db.begin()) {
                for (int i = 0; i < created.length; i++) {
                    created[i] = tx.addNode(Set.of("N"), Map.of("v", 1L));
                }
                for (int i = 0; i < edges.length; i++) {
                    edges[i] = tx.addEdge(a, created[i], "E", Map.of("v", 1L));
                }
                tx.commit();
            }
            Transaction afterCreation = db.begin();
            String creationSees = seen(afterCreation, a, created, edges);
            assertEquals("n1 n1 n1 n1 e1 e1 e1 | out 3 list 3 neighbours 3 | nodes 5 edges 3", creationSees);

            // Two of the created entities get chains (updated, deleted); the others stay in their runs.
            try (Transaction tx = db.begin()) {
                tx.setNodeProperty(created[0], "v", 2L);
                tx.setEdgeProperty(edges[0], "v", 2L);
                tx.deleteEdge(edges[1]);
                tx.commit();
            }
            String latest = "n2 n1 n1 n1 e2 - e1 | out 2 list 2 neighbours 2 | nodes 5 edges 2";

            for (int round = 0; round < 2; round++) { // before and after a collection that must keep all
                assertEquals(beforeSees, seen(before, a, new long[0], new long[0]));
                assertEquals("- - - - - - - | out 0 list 0 neighbours 0 | nodes 1 edges 0",
                        seen(before, a, created, edges), "round " + round);
                assertEquals(creationSees, seen(afterCreation, a, created, edges), "round " + round);
                try (Transaction now = db.begin()) {
                    assertEquals(latest, seen(now, a, created, edges), "round " + round);
                }
                db.collectGarbage();
            }
            before.close();
            db.collectGarbage(); // the creation is seen by every snapshot now: its runs may go
            assertEquals(creationSees, seen(afterCreation, a, created, edges));
            afterCreation.close();
            db.collectGarbage();
            assertEquals(0, db.metrics().versionChains(), db.metrics().toString());
            try (Transaction now = db.begin()) {
                assertEquals(latest, seen(now, a, created, edges));
                assertEquals(List.of(), now.edges(created[3], Direction.BOTH, null));
            }
            IntegrityReport report = db.checkIntegrity();
            assertTrue(report.isClean(), report.toString());
        }
    }
}
