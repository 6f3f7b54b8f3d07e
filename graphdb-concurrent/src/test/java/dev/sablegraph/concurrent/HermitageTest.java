package dev.sablegraph.concurrent;

import static dev.sablegraph.concurrent.ConcurrencyTestSupport.ids;
import static dev.sablegraph.concurrent.ConcurrencyTestSupport.longProperty;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Hermitage isolation tests (github.com/ept/hermitage), transcribed for Sable: two or three
 * transactions interleaved by hand in one thread, each step one call on one transaction. The
 * "rows" are two nodes labelled {@code Row} with property {@code value} 10 ({@code x}) and 20
 * ({@code y}), committed in setup. Snapshot isolation must prevent G0, G1a, G1b, G1c, OTV, PMP,
 * P4 and G-single, and allows G2-item (write skew).
 *
 * <p>The contract lets a write conflict surface either at the conflicting write or at the latest
 * at {@code commit()}; {@link Loser} accepts both, so the tests do not depend on which one this
 * implementation picks. Every test runs under each {@link LockStrategy}.
 */
class HermitageTest {
    private static final String ROW = "Row";
    private static final String VALUE = "value";

    @TempDir
    Path dir;

    private ConcurrentGraphDB db;
    private long x;
    private long y;

    private void setUp(LockStrategy strategy) {
        db = ConcurrencyTestSupport.open(dir, strategy);
        db.createIndex(ROW, VALUE); // predicate reads go through the index
        assertTrue(db.awaitIndexesOnline(java.time.Duration.ofMinutes(1)));
        try (Transaction tx = db.begin()) {
            x = tx.addNode(Set.of(ROW), Map.of(VALUE, 10L));
            y = tx.addNode(Set.of(ROW), Map.of(VALUE, 20L));
            tx.commit();
        }
    }

    @AfterEach
    void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    private static long value(Transaction tx, long id) {
        return longProperty(tx, id, VALUE);
    }

    private static void set(Transaction tx, long id, long value) {
        tx.setNodeProperty(id, VALUE, value);
    }

    /** Reads x and y in a fresh transaction: the committed state. */
    private long[] committed() {
        try (Transaction tx = db.begin()) {
            return new long[] {value(tx, x), value(tx, y)};
        }
    }

    /**
     * A transaction expected to lose a write-write conflict: its writes run until one throws
     * {@link WriteConflictException} (later ones are skipped), and if none did, commit() must.
     * Afterwards it must refuse everything but rollback()/close().
     */
    private static final class Loser {
        final Transaction tx;
        WriteConflictException conflict;

        Loser(Transaction tx) {
            this.tx = tx;
        }

        void write(Consumer<Transaction> op) {
            if (conflict != null) {
                return;
            }
            try {
                op.accept(tx);
            } catch (WriteConflictException e) {
                conflict = e;
            }
        }

        void commitFails() {
            if (conflict == null) {
                try {
                    tx.commit();
                    fail("the second committer of a conflicting write committed");
                } catch (WriteConflictException e) {
                    conflict = e;
                }
            }
            assertNotNull(conflict);
            assertThrows(IllegalStateException.class, tx::commit, "commit after a write conflict");
            assertThrows(IllegalStateException.class, () -> tx.getNode(0), "read after a write conflict");
            tx.rollback();
        }
    }

    // ------------------------------------------------------------------ G0

    /** G0 write cycles: T1 x=11, T2 x=12, T1 y=21, T1 commits, T2 y=22 must fail. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void g0WriteCycleFirstWriterCommitsFirst(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Loser t2 = new Loser(db.begin());
        set(t1, x, 11);
        t2.write(tx -> set(tx, x, 12));
        set(t1, y, 21);
        t1.commit();
        t2.write(tx -> set(tx, y, 22));
        t2.commitFails();
        assertEquals(List.of(11L, 21L), List.of(committed()[0], committed()[1]));
    }

    /** G0 the other way round: the second writer of x commits first, so T1 is the one that fails. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void g0WriteCycleSecondWriterCommitsFirst(LockStrategy strategy) {
        setUp(strategy);
        Loser t1 = new Loser(db.begin());
        Transaction t2 = db.begin();
        t1.write(tx -> set(tx, x, 11));
        set(t2, x, 12);
        set(t2, y, 22);
        t2.commit();
        t1.write(tx -> set(tx, y, 21));
        t1.commitFails();
        long[] v = committed();
        assertEquals(12, v[0]);
        assertEquals(22, v[1]);
    }

    // ------------------------------------------------------------------ G1a, G1b, G1c

    /** G1a aborted reads: T1 writes, T2 reads, T1 rolls back, T2 reads again: never the aborted value. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void g1aAbortedReads(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Transaction t2 = db.begin();
        set(t1, x, 101);
        long added = t1.addNode(Set.of(ROW), Map.of(VALUE, 101L));
        assertEquals(10, value(t2, x));
        assertEquals(List.of(), t2.findNodes(ROW, VALUE, 101L));
        t1.rollback();
        assertEquals(10, value(t2, x));
        assertEquals(List.of(), t2.findNodes(ROW, VALUE, 101L));
        assertEquals(Set.of(x, y), ids(t2.nodesByLabel(ROW)));
        assertTrue(t2.getNode(added).isEmpty());
        t2.commit();
        try (Transaction t3 = db.begin()) {
            assertEquals(10, value(t3, x));
            assertTrue(t3.getNode(added).isEmpty());
            assertEquals(Set.of(x, y), ids(t3.nodesByLabel(ROW)));
            assertEquals(List.of(), t3.findNodes(ROW, VALUE, 101L));
        }
    }

    /** G1b intermediate reads: T1 writes 101 then 11 and commits; nobody ever sees 101. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void g1bIntermediateReads(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Transaction t2 = db.begin();
        set(t1, x, 101);
        assertEquals(10, value(t2, x));
        set(t1, x, 11);
        t1.commit();
        assertEquals(10, value(t2, x), "T2's snapshot predates T1's commit");
        assertEquals(List.of(), t2.findNodes(ROW, VALUE, 101L));
        t2.commit();
        try (Transaction t3 = db.begin()) {
            assertEquals(11, value(t3, x));
            assertEquals(List.of(), t3.findNodes(ROW, VALUE, 101L));
            assertEquals(Set.of(x), ids(t3.findNodes(ROW, VALUE, 11L)));
        }
    }

    /** G1c circular information flow: each of two writers reads the other's row and sees the old value. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void g1cCircularInformationFlow(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Transaction t2 = db.begin();
        set(t1, x, 11);
        set(t2, y, 22);
        assertEquals(20, value(t1, y));
        assertEquals(10, value(t2, x));
        t1.commit();
        t2.commit();
        long[] v = committed();
        assertEquals(11, v[0]);
        assertEquals(22, v[1]);
    }

    // ------------------------------------------------------------------ OTV

    /**
     * OTV observed transaction vanishes: T1 writes x=11, y=19; T2 writes x=12, y=18 and loses; T3,
     * reading between T1's commit and T2's failure and after it, sees T1's values, never T2's.
     */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void otvObservedTransactionVanishes(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Loser t2 = new Loser(db.begin());
        set(t1, x, 11);
        set(t1, y, 19);
        t2.write(tx -> set(tx, x, 12));
        t1.commit();
        Transaction t3 = db.begin();
        assertEquals(11, value(t3, x));
        t2.write(tx -> set(tx, y, 18));
        t2.commitFails();
        assertEquals(19, value(t3, y));
        assertEquals(11, value(t3, x));
        t3.commit();
        long[] v = committed();
        assertEquals(11, v[0]);
        assertEquals(19, v[1]);
    }

    // ------------------------------------------------------------------ PMP

    /** PMP predicate-many-preceders, insert: T1's predicate reads ignore a matching node T2 commits. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void pmpPredicateReadIgnoresConcurrentInsert(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        assertEquals(List.of(), t1.findNodes(ROW, VALUE, 30L));
        assertEquals(Set.of(x, y), ids(t1.nodesByLabel(ROW)));
        long z;
        try (Transaction t2 = db.begin()) {
            z = t2.addNode(Set.of(ROW), Map.of(VALUE, 30L));
            t2.commit();
        }
        assertEquals(List.of(), t1.findNodes(ROW, VALUE, 30L));
        assertEquals(Set.of(x, y), ids(t1.nodesByLabel(ROW)));
        assertTrue(t1.getNode(z).isEmpty());
        t1.commit();
        try (Transaction t3 = db.begin()) {
            assertEquals(Set.of(z), ids(t3.findNodes(ROW, VALUE, 30L)));
            assertEquals(Set.of(x, y, z), ids(t3.nodesByLabel(ROW)));
        }
    }

    /** PMP, delete: T1 keeps seeing a node T2 deletes and commits, by label and by property. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void pmpPredicateReadIgnoresConcurrentDelete(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        assertEquals(Set.of(x, y), ids(t1.nodesByLabel(ROW)));
        try (Transaction t2 = db.begin()) {
            t2.deleteNode(y);
            t2.commit();
        }
        db.collectGarbage(); // t1 still needs y: the collector must leave it alone
        assertEquals(Set.of(x, y), ids(t1.nodesByLabel(ROW)));
        assertEquals(Set.of(y), ids(t1.findNodes(ROW, VALUE, 20L)));
        assertEquals(20, value(t1, y));
        t1.commit();
        try (Transaction t3 = db.begin()) {
            assertEquals(Set.of(x), ids(t3.nodesByLabel(ROW)));
            assertEquals(List.of(), t3.findNodes(ROW, VALUE, 20L));
            assertTrue(t3.getNode(y).isEmpty());
        }
    }

    /** PMP, update: a predicate on the property keeps matching the old value inside T1's snapshot. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void pmpPredicateReadIgnoresConcurrentUpdate(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        assertEquals(Set.of(y), ids(t1.findNodes(ROW, VALUE, 20L)));
        try (Transaction t2 = db.begin()) {
            set(t2, y, 30);
            t2.commit();
        }
        db.collectGarbage();
        assertEquals(Set.of(y), ids(t1.findNodes(ROW, VALUE, 20L)));
        assertEquals(List.of(), t1.findNodes(ROW, VALUE, 30L));
        t1.commit();
        try (Transaction t3 = db.begin()) {
            assertEquals(List.of(), t3.findNodes(ROW, VALUE, 20L));
            assertEquals(Set.of(y), ids(t3.findNodes(ROW, VALUE, 30L)));
        }
    }

    /**
     * PMP, update then delete: T2 changes y to 30 and T3 deletes it; T1's predicate reads still find
     * y as 20 by value and by label. Once T1 has ended, collection must leave neither state of y
     * behind: not in any read, and not in the property index (stale entries of the deleted node's
     * older states would stay there for ever; only x's entry may remain).
     */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void pmpPredicateReadIgnoresConcurrentUpdateThenDelete(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        assertEquals(Set.of(y), ids(t1.findNodes(ROW, VALUE, 20L)));
        try (Transaction t2 = db.begin()) {
            set(t2, y, 30);
            t2.commit();
        }
        try (Transaction t3 = db.begin()) {
            t3.deleteNode(y);
            t3.commit();
        }
        db.collectGarbage();
        assertEquals(Set.of(y), ids(t1.findNodes(ROW, VALUE, 20L)));
        assertEquals(List.of(), t1.findNodes(ROW, VALUE, 30L));
        assertEquals(Set.of(x, y), ids(t1.nodesByLabel(ROW)));
        t1.commit();
        db.collectGarbage();
        try (Transaction t4 = db.begin()) {
            assertEquals(List.of(), t4.findNodes(ROW, VALUE, 20L));
            assertEquals(List.of(), t4.findNodes(ROW, VALUE, 30L));
            assertEquals(Set.of(x), ids(t4.nodesByLabel(ROW)));
        }
        assertEquals(0, db.metrics().versionChains(), "no snapshot needs any history any more");
        assertEquals(1, db.propertyIndexSize(),
                "only x's (Row, value, 10) entry may remain; y's older state (value 20) must not leak");
    }

    /**
     * PMP with write predicates: T1 adds 10 to every row; T2 deletes the row whose value is 20 in its
     * snapshot (y); T1 commits first, so T2's delete of a row T1 changed must fail.
     */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void pmpWritePredicate(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Loser t2 = new Loser(db.begin());
        for (Node n : t1.nodesByLabel(ROW)) {
            set(t1, n.id(), (Long) n.properties().get(VALUE) + 10);
        }
        List<Node> twenty = t2.tx.findNodes(ROW, VALUE, 20L);
        assertEquals(Set.of(y), ids(twenty));
        t1.commit();
        t2.write(tx -> tx.deleteNode(y));
        t2.commitFails();
        long[] v = committed();
        assertEquals(20, v[0]);
        assertEquals(30, v[1]);
    }

    // ------------------------------------------------------------------ P4

    /** P4 lost update: both read 10 and write 11; exactly one increment survives. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void p4LostUpdate(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Loser t2 = new Loser(db.begin());
        long r1 = value(t1, x);
        long r2 = value(t2.tx, x);
        set(t1, x, r1 + 1);
        t2.write(tx -> set(tx, x, r2 + 1));
        t1.commit();
        t2.commitFails();
        assertEquals(11, committed()[0]);
    }

    /** P4 with the second write after the first commit: the write or the commit must fail. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void p4LostUpdateWriteAfterCommit(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Loser t2 = new Loser(db.begin());
        long r1 = value(t1, x);
        long r2 = value(t2.tx, x);
        set(t1, x, r1 + 1);
        t1.commit();
        t2.write(tx -> set(tx, x, r2 + 1));
        t2.commitFails();
        assertEquals(11, committed()[0]);
    }

    /** P4 with removeNodeProperty as the second write: removing conflicts like setting. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void p4LostUpdateAgainstRemoveProperty(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Loser t2 = new Loser(db.begin());
        set(t1, x, 11);
        t2.write(tx -> tx.removeNodeProperty(x, VALUE));
        t1.commit();
        t2.commitFails();
        assertEquals(11, committed()[0]);
    }

    /** Deleting a node conflicts with a concurrent delete or property change of it, in either order. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void deleteConflictsWithConcurrentDeleteAndSet(LockStrategy strategy) {
        setUp(strategy);
        // delete vs delete
        Transaction t1 = db.begin();
        Loser t2 = new Loser(db.begin());
        t1.deleteNode(y);
        t2.write(tx -> tx.deleteNode(y));
        t1.commit();
        t2.commitFails();
        // delete first, then a set by an older transaction
        Transaction t3 = db.begin();
        Loser t4 = new Loser(db.begin());
        t3.deleteNode(x);
        t3.commit();
        t4.write(tx -> set(tx, x, 11));
        t4.commitFails();
        try (Transaction t5 = db.begin()) {
            assertEquals(List.of(), t5.nodesByLabel(ROW));
        }
    }

    /** A set committed first makes a concurrent delete of the same node fail. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void setCommittedFirstMakesDeleteFail(LockStrategy strategy) {
        setUp(strategy);
        Loser t1 = new Loser(db.begin());
        Transaction t2 = db.begin();
        t1.write(tx -> tx.deleteNode(x));
        set(t2, x, 11);
        t2.commit();
        t1.commitFails();
        assertEquals(11, committed()[0]);
    }

    /** P4 on an edge: concurrent setEdgeProperty, and deleteEdge against setEdgeProperty, conflict. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void edgeWritesConflict(LockStrategy strategy) {
        setUp(strategy);
        long e;
        try (Transaction tx = db.begin()) {
            e = tx.addEdge(x, y, "LINK", Map.of("w", 1L));
            tx.commit();
        }
        Transaction t1 = db.begin();
        Loser t2 = new Loser(db.begin());
        long w1 = (Long) t1.getEdge(e).orElseThrow().properties().get("w");
        long w2 = (Long) t2.tx.getEdge(e).orElseThrow().properties().get("w");
        t1.setEdgeProperty(e, "w", w1 + 1);
        t2.write(tx -> tx.setEdgeProperty(e, "w", w2 + 1));
        t1.commit();
        t2.commitFails();

        Transaction t3 = db.begin();
        Loser t4 = new Loser(db.begin());
        t3.deleteEdge(e);
        t4.write(tx -> tx.setEdgeProperty(e, "w", 100L));
        t3.commit();
        t4.commitFails();
        try (Transaction t5 = db.begin()) {
            assertTrue(t5.getEdge(e).isEmpty());
            assertEquals(List.of(), t5.edges(x, Direction.BOTH, null));
        }
    }

    // ------------------------------------------------------------------ G-single

    /** G-single read skew: T1 reads x, T2 changes x and y and commits, T1 reads the old y. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void gSingleReadSkew(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Transaction t2 = db.begin();
        assertEquals(10, value(t1, x));
        assertEquals(10, value(t2, x));
        assertEquals(20, value(t2, y));
        set(t2, x, 12);
        set(t2, y, 18);
        t2.commit();
        db.collectGarbage();
        assertEquals(20, value(t1, y), "T1 must see y as of its snapshot");
        assertEquals(30, value(t1, x) + value(t1, y));
        t1.commit();
        long[] v = committed();
        assertEquals(12, v[0]);
        assertEquals(18, v[1]);
    }

    /** G-single with predicate dependencies: T1's findNodes keep answering from its snapshot. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void gSingleDependencies(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        assertEquals(Set.of(x), ids(t1.findNodes(ROW, VALUE, 10L)));
        try (Transaction t2 = db.begin()) {
            set(t2, x, 12);
            t2.commit();
        }
        assertEquals(List.of(), t1.findNodes(ROW, VALUE, 12L));
        assertEquals(Set.of(x), ids(t1.findNodes(ROW, VALUE, 10L)));
        t1.commit();
    }

    /** G-single write: T1 reads x; T2 changes x and y and commits; T1 writing y must fail. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void gSingleWrite(LockStrategy strategy) {
        setUp(strategy);
        Loser t1 = new Loser(db.begin());
        Transaction t2 = db.begin();
        assertEquals(10, value(t1.tx, x));
        set(t2, x, 12);
        set(t2, y, 18);
        t2.commit();
        assertEquals(20, value(t1.tx, y));
        t1.write(tx -> set(tx, y, 30));
        t1.commitFails();
        long[] v = committed();
        assertEquals(12, v[0]);
        assertEquals(18, v[1]);
    }

    /** G-single write with a delete: T1 deletes the row it sees as value 20 after T2 changed it. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void gSingleWriteDelete(LockStrategy strategy) {
        setUp(strategy);
        Loser t1 = new Loser(db.begin());
        Transaction t2 = db.begin();
        assertEquals(10, value(t1.tx, x));
        set(t2, x, 12);
        set(t2, y, 18);
        t2.commit();
        assertEquals(Set.of(y), ids(t1.tx.findNodes(ROW, VALUE, 20L)));
        t1.write(tx -> tx.deleteNode(y));
        t1.commitFails();
        try (Transaction t3 = db.begin()) {
            assertEquals(18, value(t3, y));
            assertEquals(Set.of(x, y), ids(t3.nodesByLabel(ROW)));
        }
    }

    // ------------------------------------------------------------------ G2-item (allowed)

    /**
     * G2-item write skew is ALLOWED under snapshot isolation, and Sable documents it
     * (docs/mvcc.md, the API contract): T1 and T2 both read x and y, T1 writes x, T2 writes y.
     * Their write sets are disjoint, so first-committer-wins sees no conflict and both commit,
     * although no serial order of the two could produce the result (an application invariant such as
     * "x + y >= 30, checked before each write" can be broken). This test asserts that the anomaly
     * does happen, so that a change to the isolation level is noticed and documented.
     */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void g2ItemWriteSkewIsAllowed(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Transaction t2 = db.begin();
        long sum1 = value(t1, x) + value(t1, y);
        long sum2 = value(t2, x) + value(t2, y);
        assertEquals(30, sum1);
        assertEquals(30, sum2);
        // each withdraws 20 from "its" row because the pair still holds 30 >= 20 in its snapshot
        set(t1, x, value(t1, x) - 20);
        set(t2, y, value(t2, y) - 20);
        assertDoesNotThrow(t1::commit);
        assertDoesNotThrow(t2::commit, "write skew is allowed under snapshot isolation");
        long[] v = committed();
        assertEquals(-10, v[0]);
        assertEquals(0, v[1]);
        assertEquals(-10, v[0] + v[1], "both withdrawals applied: the skew happened");
    }

    // ------------------------------------------------------------------ deletes versus addEdge

    /** T2 adds an edge at x, then T1 deletes x and commits first: T2 must fail. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void deleteCommitsFirstThenAddEdgeFails(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Loser t2 = new Loser(db.begin());
        t2.write(tx -> tx.addEdge(x, y, "LINK", Map.of()));
        t1.deleteNode(x);
        t1.commit();
        t2.commitFails();
        assertNoEdgeAndXDeleted();
    }

    /** T1 deletes x and commits; the older T2 then adds an edge at x: the write or commit must fail. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void deleteCommittedBeforeAddEdgeIsCalled(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Loser t2 = new Loser(db.begin());
        t1.deleteNode(x);
        t1.commit();
        assertTrue(t2.tx.getNode(x).isPresent(), "x is still in T2's snapshot");
        t2.write(tx -> tx.addEdge(y, x, "LINK", Map.of())); // x as the target this time
        t2.commitFails();
        assertNoEdgeAndXDeleted();
    }

    private void assertNoEdgeAndXDeleted() {
        db.collectGarbage();
        try (Transaction t3 = db.begin()) {
            assertTrue(t3.getNode(x).isEmpty());
            assertEquals(List.of(), t3.edges(y, Direction.BOTH, null));
            assertEquals(Set.of(y), ids(t3.nodesByLabel(ROW)));
        }
    }

    /** T1 deletes x; T2 adds an edge at x and commits first: T1's delete must fail. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void addEdgeCommitsFirstThenDeleteFails(LockStrategy strategy) {
        setUp(strategy);
        Loser t1 = new Loser(db.begin());
        Transaction t2 = db.begin();
        t1.write(tx -> tx.deleteNode(x));
        long e = t2.addEdge(x, y, "LINK", Map.of());
        t2.commit();
        t1.commitFails();
        assertEdgeAndXSurvive(e);
    }

    /** T2 adds an edge at x and commits; the older T1 (seeing no edges) then deletes x: must fail. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void addEdgeCommittedBeforeDeleteIsCalled(LockStrategy strategy) {
        setUp(strategy);
        Loser t1 = new Loser(db.begin());
        Transaction t2 = db.begin();
        long e = t2.addEdge(y, x, "LINK", Map.of());
        t2.commit();
        assertEquals(List.of(), t1.tx.edges(x, Direction.BOTH, null), "the edge is not in T1's snapshot");
        t1.write(tx -> tx.deleteNode(x));
        t1.commitFails();
        assertEdgeAndXSurvive(e);
    }

    private void assertEdgeAndXSurvive(long e) {
        db.collectGarbage();
        try (Transaction t3 = db.begin()) {
            assertTrue(t3.getNode(x).isPresent());
            Edge edge = t3.getEdge(e).orElseThrow();
            assertEquals(Set.of(x, y), Set.of(edge.from(), edge.to()));
            assertEquals(List.of(edge), t3.edges(x, Direction.BOTH, null));
            assertEquals(List.of(edge), t3.edges(y, Direction.BOTH, null));
        }
    }

    /** Concurrent addEdge on the same endpoints do not conflict: both commit, both edges exist. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void concurrentAddEdgeOnSameEndpointsBothCommit(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Transaction t2 = db.begin();
        long e1 = t1.addEdge(x, y, "LINK", Map.of("by", 1L));
        long e2 = t2.addEdge(x, y, "LINK", Map.of("by", 2L));
        assertFalse(e1 == e2, "edge ids are distinct");
        assertDoesNotThrow(t1::commit);
        assertDoesNotThrow(t2::commit);
        try (Transaction t3 = db.begin()) {
            Set<Long> out = new java.util.TreeSet<>();
            for (Edge e : t3.edges(x, Direction.OUTGOING, "LINK")) {
                assertEquals(x, e.from());
                assertEquals(y, e.to());
                out.add(e.id());
            }
            assertEquals(Set.of(e1, e2), out);
            assertEquals(2, t3.edges(y, Direction.INCOMING, null).size());
        }
    }

    // ------------------------------------------------------------------ lifecycle rules

    private static List<Executable> everyCallButClose(Transaction tx, long node) {
        List<Executable> calls = new ArrayList<>();
        calls.add(() -> tx.addNode(Set.of(ROW), Map.of()));
        calls.add(() -> tx.addEdge(node, node, "LINK", Map.of()));
        calls.add(() -> tx.getNode(node));
        calls.add(() -> tx.getEdge(0));
        calls.add(() -> tx.setNodeProperty(node, VALUE, 1L));
        calls.add(() -> tx.removeNodeProperty(node, VALUE));
        calls.add(() -> tx.setEdgeProperty(0, VALUE, 1L));
        calls.add(() -> tx.deleteNode(node));
        calls.add(() -> tx.deleteEdge(0));
        calls.add(() -> tx.nodesByLabel(ROW));
        calls.add(() -> tx.findNodes(ROW, VALUE, 10L));
        calls.add(() -> tx.edges(node, Direction.BOTH, null));
        calls.add(tx::commit);
        return calls;
    }

    private static void assertAllRefused(Transaction tx, long node, String when) {
        List<Executable> calls = everyCallButClose(tx, node);
        for (int i = 0; i < calls.size(); i++) {
            int call = i;
            assertThrows(IllegalStateException.class, calls.get(i), () -> "call #" + call + " " + when);
        }
    }

    /** After a write conflict only rollback() and close() are allowed; the writes are discarded. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void afterWriteConflictOnlyRollbackAndClose(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Transaction t2 = db.begin();
        long added = t2.addNode(Set.of(ROW), Map.of(VALUE, 99L));
        set(t1, x, 11);
        t1.commit();
        WriteConflictException conflict = null;
        try {
            set(t2, x, 12);
            t2.commit();
        } catch (WriteConflictException e) {
            conflict = e;
        }
        assertNotNull(conflict, "the second writer of x must fail");
        assertAllRefused(t2, y, "after a write conflict");
        t2.rollback();
        assertAllRefused(t2, y, "after rollback of a failed transaction");
        assertThrows(IllegalStateException.class, t2::rollback);
        t2.close();
        t2.close();
        try (Transaction t3 = db.begin()) {
            assertTrue(t3.getNode(added).isEmpty(), "the failed transaction's writes are discarded");
            assertEquals(11, value(t3, x));
        }
    }

    /** A failed transaction may also simply be closed. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void afterWriteConflictCloseIsAllowed(LockStrategy strategy) {
        setUp(strategy);
        Transaction t1 = db.begin();
        Loser t2 = new Loser(db.begin());
        set(t1, x, 11);
        t1.commit();
        t2.write(tx -> set(tx, x, 12));
        if (t2.conflict == null) {
            assertThrows(WriteConflictException.class, t2.tx::commit);
        }
        t2.tx.close();
        assertAllRefused(t2.tx, x, "after close of a failed transaction");
        t2.tx.close();
    }

    /** After commit() every call but close() is refused; close() is idempotent. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void afterCommitEveryCallButCloseIsRefused(LockStrategy strategy) {
        setUp(strategy);
        Transaction tx = db.begin();
        set(tx, x, 11);
        tx.commit();
        assertAllRefused(tx, x, "after commit");
        assertThrows(IllegalStateException.class, tx::rollback);
        tx.close();
        tx.close();
        assertEquals(11, committed()[0], "close after commit does not undo it");
    }

    /** After rollback() every call but close() is refused (a second rollback too). */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void afterRollbackEveryCallButCloseIsRefused(LockStrategy strategy) {
        setUp(strategy);
        Transaction tx = db.begin();
        set(tx, x, 11);
        tx.rollback();
        assertAllRefused(tx, x, "after rollback");
        assertThrows(IllegalStateException.class, tx::rollback);
        tx.close();
        tx.close();
        assertEquals(10, committed()[0]);
    }

    /** close() without commit rolls back. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void closeRollsBack(LockStrategy strategy) {
        setUp(strategy);
        long added;
        try (Transaction tx = db.begin()) {
            set(tx, x, 11);
            added = tx.addNode(Set.of(ROW), Map.of());
        }
        try (Transaction tx = db.begin()) {
            assertEquals(10, value(tx, x));
            assertTrue(tx.getNode(added).isEmpty());
        }
    }

    /** IllegalArgumentException and EntityNotFoundException leave the transaction usable and unchanged. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void argumentAndNotFoundErrorsLeaveTransactionUsable(LockStrategy strategy) {
        setUp(strategy);
        Transaction tx = db.begin();
        set(tx, x, 11);
        assertThrows(EntityNotFoundException.class, () -> tx.setNodeProperty(1_000_000L, VALUE, 1L));
        assertThrows(EntityNotFoundException.class, () -> tx.addEdge(x, 1_000_000L, "LINK", Map.of()));
        assertThrows(EntityNotFoundException.class, () -> tx.deleteEdge(1_000_000L));
        assertThrows(IllegalArgumentException.class, () -> tx.setNodeProperty(x, "", 1L));
        assertThrows(IllegalArgumentException.class, () -> tx.setNodeProperty(x, VALUE, new Object()));
        assertThrows(IllegalArgumentException.class, () -> tx.addNode(Set.of(""), Map.of()));
        assertEquals(11, value(tx, x));
        tx.commit();
        assertEquals(11, committed()[0]);
    }

    /** Any use of a closed database is refused, including transactions begun before the close. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void closedDatabaseRefusesUse(LockStrategy strategy) {
        setUp(strategy);
        Transaction tx = db.begin();
        db.close();
        assertThrows(IllegalStateException.class, () -> tx.getNode(x));
        assertThrows(IllegalStateException.class, db::begin);
        tx.close();
        db.close(); // idempotent
    }

    // ------------------------------------------------------------------ own writes, no dirty reads

    /** A transaction sees its own writes through every read, including edges and the indexes. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void transactionSeesItsOwnWrites(LockStrategy strategy) {
        setUp(strategy);
        Transaction tx = db.begin();
        long z = tx.addNode(Set.of(ROW, "New"), Map.of(VALUE, 30L));
        assertEquals(Set.of(ROW, "New"), tx.getNode(z).orElseThrow().labels());
        assertEquals(30, value(tx, z));
        assertEquals(Set.of(x, y, z), ids(tx.nodesByLabel(ROW)));
        assertEquals(Set.of(z), ids(tx.nodesByLabel("New")));
        assertEquals(Set.of(z), ids(tx.findNodes(ROW, VALUE, 30L)));

        set(tx, x, 11);
        assertEquals(11, value(tx, x));
        assertEquals(List.of(), tx.findNodes(ROW, VALUE, 10L));
        assertEquals(Set.of(x), ids(tx.findNodes(ROW, VALUE, 11L)));
        tx.removeNodeProperty(y, VALUE);
        assertFalse(tx.getNode(y).orElseThrow().properties().containsKey(VALUE));
        assertEquals(List.of(), tx.findNodes(ROW, VALUE, 20L));

        long e1 = tx.addEdge(x, z, "LINK", Map.of("w", 1L));
        long e2 = tx.addEdge(z, y, "OTHER", Map.of());
        Edge edge1 = tx.getEdge(e1).orElseThrow();
        assertEquals(x, edge1.from());
        assertEquals(z, edge1.to());
        assertEquals(List.of(edge1), tx.edges(x, Direction.OUTGOING, "LINK"));
        assertEquals(List.of(edge1), tx.edges(x, Direction.BOTH, null));
        assertEquals(List.of(), tx.edges(x, Direction.INCOMING, null));
        assertEquals(Set.of(e1, e2), edgeIds(tx.edges(z, Direction.BOTH, null)));
        assertEquals(Set.of(e2), edgeIds(tx.edges(z, Direction.OUTGOING, null)));
        assertEquals(Set.of(e1), edgeIds(tx.edges(z, Direction.INCOMING, "LINK")));
        assertEquals(List.of(), tx.edges(z, Direction.INCOMING, "OTHER"));
        tx.setEdgeProperty(e1, "w", 2L);
        assertEquals(2L, tx.getEdge(e1).orElseThrow().properties().get("w"));
        assertEquals(2L, tx.edges(x, Direction.OUTGOING, null).get(0).properties().get("w"));

        tx.deleteEdge(e2);
        assertTrue(tx.getEdge(e2).isEmpty());
        assertEquals(Set.of(e1), edgeIds(tx.edges(z, Direction.BOTH, null)));
        assertEquals(List.of(), tx.edges(y, Direction.BOTH, null));
        tx.deleteNode(y);
        assertTrue(tx.getNode(y).isEmpty());
        assertEquals(Set.of(x, z), ids(tx.nodesByLabel(ROW)));
        tx.commit();

        try (Transaction t2 = db.begin()) {
            assertEquals(Set.of(x, z), ids(t2.nodesByLabel(ROW)));
            assertEquals(11, value(t2, x));
            assertEquals(Set.of(e1), edgeIds(t2.edges(z, Direction.BOTH, null)));
            assertEquals(2L, t2.getEdge(e1).orElseThrow().properties().get("w"));
            assertTrue(t2.getEdge(e2).isEmpty());
            assertTrue(t2.getNode(y).isEmpty());
        }
    }

    /** Committed edges deleted by the transaction itself disappear from its edges() view. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void ownDeletesOfCommittedEdgesAreVisible(LockStrategy strategy) {
        setUp(strategy);
        long e;
        try (Transaction tx = db.begin()) {
            e = tx.addEdge(x, y, "LINK", Map.of());
            tx.commit();
        }
        try (Transaction tx = db.begin()) {
            assertEquals(Set.of(e), edgeIds(tx.edges(x, Direction.OUTGOING, null)));
            tx.deleteEdge(e);
            assertEquals(List.of(), tx.edges(x, Direction.OUTGOING, null));
            assertEquals(List.of(), tx.edges(y, Direction.INCOMING, "LINK"));
            tx.deleteNode(x); // allowed now: its only edge is deleted in this transaction
            assertEquals(Set.of(y), ids(tx.nodesByLabel(ROW)));
            tx.commit();
        }
        try (Transaction tx = db.begin()) {
            assertEquals(Set.of(y), ids(tx.nodesByLabel(ROW)));
            assertEquals(List.of(), tx.edges(y, Direction.BOTH, null));
        }
    }

    /** Other transactions' uncommitted writes are never visible: no read of any kind shows them. */
    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void noDirtyReads(LockStrategy strategy) {
        setUp(strategy);
        long committedEdge;
        try (Transaction tx = db.begin()) {
            committedEdge = tx.addEdge(x, y, "LINK", Map.of("w", 1L));
            tx.commit();
        }
        Transaction before = db.begin();
        Transaction writer = db.begin();
        long z = writer.addNode(Set.of(ROW, "New"), Map.of(VALUE, 30L));
        long e = writer.addEdge(x, z, "LINK", Map.of());
        set(writer, x, 11);
        writer.setEdgeProperty(committedEdge, "w", 2L);
        writer.deleteEdge(committedEdge);
        Transaction after = db.begin(); // begun after the writes, before the commit
        for (Transaction reader : List.of(before, after)) {
            assertTrue(reader.getNode(z).isEmpty());
            assertTrue(reader.getEdge(e).isEmpty());
            assertEquals(10, value(reader, x));
            assertEquals(Set.of(x, y), ids(reader.nodesByLabel(ROW)));
            assertEquals(List.of(), reader.nodesByLabel("New"));
            assertEquals(List.of(), reader.findNodes(ROW, VALUE, 30L));
            assertEquals(List.of(), reader.findNodes(ROW, VALUE, 11L));
            assertEquals(Set.of(x), ids(reader.findNodes(ROW, VALUE, 10L)));
            assertEquals(Set.of(committedEdge), edgeIds(reader.edges(x, Direction.BOTH, null)));
            assertEquals(1L, reader.getEdge(committedEdge).orElseThrow().properties().get("w"));
        }
        writer.commit();
        for (Transaction reader : List.of(before, after)) {
            assertTrue(reader.getNode(z).isEmpty(), "committed after the snapshot");
            assertEquals(10, value(reader, x));
            assertEquals(Set.of(committedEdge), edgeIds(reader.edges(x, Direction.BOTH, null)));
            assertEquals(Set.of(x, y), ids(reader.nodesByLabel(ROW)));
            reader.commit();
        }
        try (Transaction t3 = db.begin()) {
            assertEquals(30, value(t3, z));
            assertEquals(Set.of(e), edgeIds(t3.edges(x, Direction.BOTH, null)));
            assertTrue(t3.getEdge(committedEdge).isEmpty());
            assertEquals(Set.of(x, y, z), ids(t3.nodesByLabel(ROW)));
        }
    }

    private static Set<Long> edgeIds(List<Edge> edges) {
        Set<Long> ids = new java.util.TreeSet<>();
        for (Edge e : edges) {
            assertTrue(ids.add(e.id()), () -> "edge " + e.id() + " listed twice in " + edges);
        }
        return ids;
    }
}
