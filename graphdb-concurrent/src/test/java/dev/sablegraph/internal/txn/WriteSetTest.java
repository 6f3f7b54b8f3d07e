package dev.sablegraph.internal.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import dev.sablegraph.internal.durability.CommitRecord;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A commit takes a transaction's changes over and holds them once: as its record. */
class WriteSetTest {
    @Test
    void handOverMovesEveryChangeAndLeavesTheTransactionsSetEmpty() {
        WriteSet writes = new WriteSet();
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
    void theRecordIsBuiltOnceAndTheSetEmptied() {
        WriteSet writes = new WriteSet();
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
