package dev.sablegraph.internal.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import dev.sablegraph.internal.durability.CommitRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A commit takes a transaction's changes over and holds them once: as its record. */
class WriteSetTest {
    @Test
    void handOverMovesEveryChangeAndLeavesTheTransactionsSetEmpty() {
        WriteSet writes = new WriteSet(Long.MAX_VALUE);
        writes.putNode(1, new Node(1, Set.of("A"), Map.of()), true);
        writes.putEdge(7, new Edge(7, 1, 1, "T", Map.of()), true);
        WriteSet handed = writes.handOver();
        assertTrue(writes.isEmpty());
        assertNotNull(handed.node(1));
        assertNotNull(handed.edge(7));
        writes.putNode(2, new Node(2, Set.of(), Map.of()), true); // a late write: not in what was handed over
        assertEquals(null, handed.node(2));
    }

    @Test
    void itCountsItsRecordExactlyThroughReplacementsAndUndoneCreations() {
        WriteSet writes = new WriteSet(Long.MAX_VALUE);
        writes.putNode(1, new Node(1, Set.of("A\u20AC"), Map.of("k", "v\uD83D\uDE00")), true);
        writes.putNode(1, new Node(1, Set.of("A"), Map.of("k", List.of(1L, 2L))), false); // still a creation
        writes.putNode(2, new Node(2, Set.of(), Map.of("x", 1.5)), false);
        writes.putNode(3, null, false);
        writes.putNode(4, new Node(4, Set.of(), Map.of()), true);
        writes.putNode(4, null, false); // created and deleted here: nothing in the record
        writes.putEdge(7, new Edge(7, 1, 2, "T\u00E9", Map.of("b", new byte[] {1, 2, 3})), true);
        writes.putEdge(8, new Edge(8, 2, 2, "T", Map.of("s", "x")), false);
        writes.putEdge(9, null, false);
        long counted = writes.recordBytes();
        assertEquals(counted, writes.drainToCommitRecord(5).encode().length);
        assertEquals(CommitRecord.HEADER_BYTES, writes.recordBytes(), "drained");
    }

    @Test
    void theChangeThatWouldMakeTheRecordTooLargeIsRefusedAndTheSetKeepsWhatItHad() {
        WriteSet probe = new WriteSet(Long.MAX_VALUE);
        probe.putNode(1, new Node(1, Set.of("A"), Map.of()), true);
        long oneNode = probe.recordBytes() - CommitRecord.HEADER_BYTES;
        WriteSet writes = new WriteSet(CommitRecord.HEADER_BYTES + 2 * oneNode);
        writes.putNode(1, new Node(1, Set.of("A"), Map.of()), true);
        writes.putNode(2, new Node(2, Set.of("B"), Map.of()), true);
        long full = writes.recordBytes();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> writes.putNode(3, new Node(3, Set.of("C"), Map.of()), true));
        assertTrue(refused.getMessage().contains("walSegmentBytes"), refused.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> writes.putNode(2, new Node(2, Set.of("B"), Map.of("grown", 1L)), true));
        assertEquals(full, writes.recordBytes());
        assertEquals(null, writes.node(3));
        assertEquals(Map.of(), writes.node(2).after().properties(), "the refused replacement left the old change");
        writes.putNode(2, null, false); // smaller (created and deleted here: nothing): taken
        assertEquals(1, writes.drainToCommitRecord(1).nodes().size());
    }

    @Test
    void theRecordIsBuiltOnceAndTheSetEmptied() {
        WriteSet writes = new WriteSet(Long.MAX_VALUE);
        writes.putNode(1, new Node(1, Set.of("A"), Map.of("k", 1L)), true);
        writes.putNode(2, new Node(2, Set.of(), Map.of()), false);
        writes.putEdge(7, new Edge(7, 1, 2, "T", Map.of()), true);
        writes.putNode(3, null, false);
        CommitRecord record = writes.drainToCommitRecord(9);
        assertTrue(writes.isEmpty(), "the changes are held by the record alone");
        assertEquals(9, record.commitTs());
        assertEquals(3, record.nodes().size());
        assertEquals(CommitRecord.Kind.CREATE, record.nodes().get(0).kind());
        assertEquals(CommitRecord.Kind.UPDATE, record.nodes().get(1).kind());
        assertEquals(CommitRecord.Kind.DELETE, record.nodes().get(2).kind());
        assertEquals(1, record.edges().size());
        assertEquals(2, record.edges().get(0).to());
    }
}
