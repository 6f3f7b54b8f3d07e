package dev.sablegraph.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Node;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each checker passes a consistent snapshot and fails one that breaks its invariant, so a checker
 * that stopped looking cannot pass silently.
 */
class InvariantCheckersTest {
    private static final long[] ACCOUNTS = {1, 2, 3};

    // ------------------------------------------------------------------ bank

    /** Three accounts, the whole total spread over them. */
    private static FakeSnapshot bank(long a, long b, long c) {
        FakeSnapshot s = new FakeSnapshot();
        long[] balances = {a, b, c};
        for (int i = 0; i < 3; i++) {
            s.node(ACCOUNTS[i], Set.of(Fixture.ACCOUNT), Map.of("no", (long) i, "balance", balances[i]));
        }
        return s;
    }

    @Test
    void bankHoldsWhenTheTotalIsKept() {
        FakeSnapshot s = bank(Fixture.TOTAL - 10, 4, 6);
        BankInvariant bank = new BankInvariant(ACCOUNTS);
        assertEquals(List.of(), bank.check(s, true));
        assertEquals(List.of(), bank.check(s, false));
    }

    @Test
    void bankFailsOnAWrongTotal() {
        List<Violation> v = new BankInvariant(ACCOUNTS).check(bank(Fixture.TOTAL - 10, 4, 5), true);
        assertViolated(v, BankInvariant.NAME, "sum to " + (Fixture.TOTAL - 1));
    }

    @Test
    void bankFailsOnANegativeBalanceEvenIfTheSumIsRight() {
        assertViolated(new BankInvariant(ACCOUNTS).check(bank(Fixture.TOTAL + 5, -5, 0), false), BankInvariant.NAME,
                "negative");
    }

    @Test
    void bankFailsOnAMissingAccount() {
        FakeSnapshot s = bank(Fixture.TOTAL, 0, 0);
        s.nodes.remove(3L);
        assertViolated(new BankInvariant(ACCOUNTS).check(s, false), BankInvariant.NAME, "missing [3]");
        s.labelOverride.put(Fixture.ACCOUNT, List.of(s.nodes.get(1L), s.nodes.get(2L), s.nodes.get(1L)));
        assertViolated(new BankInvariant(ACCOUNTS).check(s, true), BankInvariant.NAME, "twice");
    }

    // ------------------------------------------------------------------ counters

    private static FakeSnapshot counterAt(long value) {
        return new FakeSnapshot().node(7, Set.of(Fixture.COUNTER), Map.of("no", 0L, "count", value));
    }

    /** A ledger based at 100 with 5 acknowledged and 2 more attempted. */
    private static CounterLedger ledger() {
        CounterLedger ledger = new CounterLedger(new long[] {100}, CounterLedger.Listener.NONE);
        for (int i = 0; i < 7; i++) {
            ledger.attempting(0);
        }
        for (int i = 0; i < 5; i++) {
            ledger.acknowledged(0);
        }
        return ledger;
    }

    @Test
    void counterHoldsWithinAcknowledgedAndAttempted() {
        CounterInvariant check = new CounterInvariant(new long[] {7}, ledger());
        for (long v = 105; v <= 107; v++) {
            long value = v;
            assertEquals(List.of(), check.check(() -> counterAt(value), 0));
        }
    }

    @Test
    void counterFailsWhenAnAcknowledgedIncrementIsMissing() {
        assertViolated(new CounterInvariant(new long[] {7}, ledger()).check(() -> counterAt(104), 0),
                CounterInvariant.NAME, "acknowledged increments lost");
    }

    @Test
    void counterFailsWhenMoreThanAttemptedShows() {
        CounterLedger ledger = ledger();
        ledger.failed(0); // one of the two in flight threw a write conflict: at most 106 now
        assertViolated(new CounterInvariant(new long[] {7}, ledger).check(() -> counterAt(107), 0),
                CounterInvariant.NAME, "within [105, 106]");
    }

    @Test
    void exactCounterCheckAcceptsOnlyTheValue() {
        assertEquals(List.of(), CounterInvariant.verdict(0, 7, 9, 9, 9, 1));
        assertViolated(CounterInvariant.verdict(0, 7, 10, 9, 9, 1), CounterInvariant.NAME, "exactly 9");
    }

    // ------------------------------------------------------------------ edges

    private static FakeSnapshot triangle() {
        return new FakeSnapshot().item(1, 0, "t0", false).item(2, 0, "t0", false).item(3, 1, "t1", true)
                .edge(10, 1, 2).edge(11, 2, 3).edge(12, 3, 1).edge(13, 3, 3);
    }

    @Test
    void edgesHoldInAConsistentGraph() {
        assertEquals(List.of(), EdgeInvariant.checkAll(triangle(), Fixture.ITEM));
    }

    @Test
    void edgesFailOnADanglingEdge() {
        FakeSnapshot s = triangle();
        s.nodes.remove(2L);
        assertViolated(EdgeInvariant.checkAround(s, 1), EdgeInvariant.NAME, "dangling edge");
    }

    @Test
    void edgesFailOnAOneSidedAdjacency() {
        FakeSnapshot s = triangle();
        s.missingIncoming.add(11L); // listed OUTGOING at 2 but not INCOMING at 3
        assertViolated(EdgeInvariant.checkAround(s, 2), EdgeInvariant.NAME, "not INCOMING at node 3");
        assertViolated(EdgeInvariant.checkAround(s, 3), EdgeInvariant.NAME, "BOTH lists");
    }

    @Test
    void edgesFailWhenGetEdgeDisagrees() {
        FakeSnapshot s = triangle();
        s.getEdgeOverride.put(10L, new FakeSnapshot().edge(10, 1, 3).getEdge(10)); // another endpoint by id
        assertViolated(EdgeInvariant.checkAround(s, 1), EdgeInvariant.NAME, "getEdge gives");
        s.getEdgeOverride.put(10L, Optional.empty());
        assertViolated(EdgeInvariant.checkAround(s, 2), EdgeInvariant.NAME, "getEdge gives Optional.empty");
    }

    // ------------------------------------------------------------------ index vs scan

    @Test
    void indexHoldsWhenItAgreesWithTheScan() {
        assertEquals(List.of(), IndexInvariant.checkAll(triangle()));
    }

    @Test
    void indexFailsOnAMissingEntry() {
        FakeSnapshot s = triangle();
        s.findOverride.put("group=0", List.of(s.nodes.get(1L)));
        assertViolated(IndexInvariant.check(s, Items.GROUP, 0L), IndexInvariant.NAME, "only in the scan: [2]");
    }

    @Test
    void indexFailsOnAnExtraOrWrongEntry() {
        FakeSnapshot s = triangle();
        s.findOverride.put("tag=t1", List.of(s.nodes.get(3L), s.nodes.get(1L)));
        List<Violation> v = IndexInvariant.check(s, Items.TAG, "t1");
        assertViolated(v, IndexInvariant.NAME, "only in the index: [1]");
        assertViolated(v, IndexInvariant.NAME, "returned node 1");
    }

    @Test
    void indexFailsOnAMissingListEntry() {
        FakeSnapshot s = triangle();
        s.findOverride.put("run=[0]", List.of(s.nodes.get(2L)));
        assertViolated(IndexInvariant.check(s, Items.RUN, List.of(0L)), IndexInvariant.NAME, "only in the scan: [1]");
        assertViolated(IndexInvariant.checkAll(s), IndexInvariant.NAME, "findNodes(run=[0])");
    }

    @Test
    void labelIndexFailsWhenItDisagreesWithTheScan() {
        FakeSnapshot s = triangle();
        s.labelOverride.put(Fixture.HOT, List.of());
        assertViolated(IndexInvariant.checkHot(s), IndexInvariant.NAME, "nodesByLabel(Hot)");
    }

    @Test
    void contentFailsOnAPayloadThatDoesNotMatchItsCrc() {
        FakeSnapshot s = triangle();
        Node n = s.nodes.get(2L);
        s.node(2, n.labels(), Map.of(Items.GROUP, 0L, Items.TAG, "t0", Items.PAYLOAD, new byte[] {9},
                Items.CRC, 1234L));
        assertViolated(IndexInvariant.checkAll(s), "item-content", "item 2");
    }

    @Test
    void contentFailsOnARunThatIsNotConsecutiveLongs() {
        for (Object run : List.of(List.of(1L, 3L), List.of("a"), List.of(1L, 2L, 3L, 4L), 5L)) {
            FakeSnapshot s = triangle();
            Map<String, Object> props = new java.util.HashMap<>(s.nodes.get(2L).properties());
            props.put(Items.RUN, run);
            s.node(2, s.nodes.get(2L).labels(), props);
            assertViolated(IndexInvariant.checkAll(s), "item-content", "item 2: run is");
        }
    }

    // ------------------------------------------------------------------ rolled-back writes

    @Test
    void rollbackHoldsWhenNothingUncommittedShows() {
        assertEquals(List.of(), RollbackInvariant.check(triangle()));
    }

    @Test
    void rollbackFailsOnAnyWriteOfATransactionThatNeverCommitted() {
        for (String label : List.of(Fixture.ABORTED, OverLimitWrite.LABEL)) {
            FakeSnapshot s = triangle().node(9, Set.of(label, label + "-1"), Map.of());
            assertViolated(RollbackInvariant.check(s), RollbackInvariant.NAME, "node 9 labelled " + label);
        }
        FakeSnapshot s = triangle().item(9, Fixture.POISON_GROUP, "t0", false);
        assertViolated(RollbackInvariant.check(s), RollbackInvariant.NAME, "poison group");
    }

    /** Adds nodes of oversized attempt {@code attempt} that say it wrote {@code size}, one per index, ids from 100. */
    private static FakeSnapshot oversized(FakeSnapshot s, int attempt, long size, long... indexes) {
        long id = 100 + s.nodes.size();
        for (long index : indexes) {
            s.node(id++, Set.of(OversizedTransaction.LABEL, OversizedTransaction.LABEL + "-" + attempt),
                    Map.of(OversizedTransaction.INDEX, index, OversizedTransaction.SIZE, size,
                            OversizedTransaction.PAYLOAD, new byte[] {1, 2, 3}));
        }
        return s;
    }

    @Test
    void rollbackHoldsForOversizedTransactionsVisibleWhole() {
        FakeSnapshot s = oversized(oversized(triangle(), 1, 3, 2, 0, 1), 2, 1, 0);
        assertEquals(List.of(), RollbackInvariant.check(s));
    }

    @Test
    void rollbackFailsOnPartOfAnOversizedTransaction() {
        FakeSnapshot s = oversized(oversized(triangle(), 1, 3, 0, 1, 2), 2, 4, 0, 1, 3);
        List<Violation> v = RollbackInvariant.check(s);
        assertViolated(v, RollbackInvariant.NAME, "Oversized-2: 3 of its 4 nodes are visible (first missing index 2)");
        assertEquals(1, v.size(), v::toString); // attempt 1 is whole
    }

    @Test
    void rollbackFailsOnAnOversizedTransactionThatDoesNotAddUp() {
        // as many nodes as it says, but one twice: still part of it
        assertViolated(RollbackInvariant.check(oversized(triangle(), 1, 3, 0, 1, 1)), RollbackInvariant.NAME,
                "repeats index 1");
        assertViolated(RollbackInvariant.check(oversized(oversized(triangle(), 1, 2, 0), 1, 3, 1)),
                RollbackInvariant.NAME, "wrote 3 nodes, an earlier one 2");
        assertViolated(RollbackInvariant.check(oversized(triangle(), 1, 2, 0, 2)), RollbackInvariant.NAME,
                "no index within its size");
        FakeSnapshot s = triangle().node(9, Set.of(OversizedTransaction.LABEL), Map.of());
        assertViolated(RollbackInvariant.check(s), RollbackInvariant.NAME, "node 9 labelled Oversized has no attempt");
    }

    // ------------------------------------------------------------------ traversals

    @Test
    void traversalHoldsWhenItAgreesWithEdges() {
        FakeSnapshot s = triangle();
        for (Direction d : Direction.values()) {
            for (long start = 1; start <= 3; start++) {
                assertEquals(List.of(), TraversalInvariant.check(s, start, d, 3, new SplittableRandom(start)));
            }
        }
    }

    @Test
    void traversalFailsOnWrongNeighbours() {
        FakeSnapshot s = triangle();
        s.neighboursOverride.put(1L, List.of(3L));
        assertViolated(TraversalInvariant.check(s, 1, Direction.OUTGOING, 1, new SplittableRandom(1)),
                TraversalInvariant.NAME, "neighbours");
    }

    @Test
    void traversalFailsOnAMissedOrRepeatedNode() {
        FakeSnapshot s = triangle();
        s.traverseOverride = List.of(1L, 2L);
        assertViolated(TraversalInvariant.check(s, 1, Direction.OUTGOING, 2, new SplittableRandom(1)),
                TraversalInvariant.NAME, "traverse");
        s.traverseOverride = List.of(1L, 2L, 3L, 2L);
        assertViolated(TraversalInvariant.check(s, 1, Direction.OUTGOING, 2, new SplittableRandom(1)),
                TraversalInvariant.NAME, "traverse");
    }

    @Test
    void shortestPathFailsWhenTooLongOrNotAlongEdges() {
        FakeSnapshot s = triangle();
        assertTrue(TraversalInvariant.pathProblem(s, Optional.of(List.of(1L, 2L, 3L)), 1, 3, 1, Direction.BOTH)
                .contains("2 hops"));
        assertTrue(TraversalInvariant.pathProblem(s, Optional.of(List.of(1L, 3L)), 1, 3, 1, Direction.OUTGOING)
                .contains("no OUTGOING edge"));
        assertTrue(TraversalInvariant.pathProblem(s, Optional.empty(), 1, 2, 1, Direction.OUTGOING)
                .contains("no path"));
        s.pathOverride = Optional.of(List.of(1L, 2L, 3L, 1L));
        assertViolated(TraversalInvariant.check(s, 1, Direction.BOTH, 2, new SplittableRandom(3)),
                TraversalInvariant.NAME, "shortestPath");
    }

    private static void assertViolated(List<Violation> found, String invariant, String detail) {
        assertTrue(found.stream().anyMatch(v -> v.invariant().equals(invariant) && v.details().contains(detail)),
                () -> "expected a " + invariant + " violation mentioning '" + detail + "', got " + found);
    }
}
