package dev.sablegraph.internal.graph.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Counts stored in 16 bits are refused beyond 65,535 when a record is encoded, instead of being
 * cut to their low bits (which wrote a record that could not be decoded, and a database that could
 * not be opened again). Each case at the exact boundary.
 */
class RecordCountLimitTest {
    private static NodeRecord nodeWith(int labels, int edgeTypes) {
        int[] l = new int[labels];
        Arrays.setAll(l, i -> i + 1);
        NodeRecord.EdgeGroup[] groups = new NodeRecord.EdgeGroup[edgeTypes];
        Arrays.setAll(groups, i -> NodeRecord.EdgeGroup.empty(i + 1));
        return new NodeRecord(l, groups, PropertyList.EMPTY);
    }

    @Test
    void labelsOfOneNode() {
        NodeRecord ok = nodeWith(65_535, 0);
        assertEquals(65_535, NodeRecord.decode(ok.encode()).labels().length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nodeWith(65_536, 0).encode());
        assertTrue(e.getMessage().contains("labels of one node"), e.getMessage());
    }

    @Test
    void edgeTypesAtOneNode() {
        NodeRecord ok = nodeWith(1, 65_535);
        assertEquals(65_535, NodeRecord.decode(ok.encode()).groups().length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nodeWith(1, 65_536).encode());
        assertTrue(e.getMessage().contains("edge types at one node"), e.getMessage());
    }
}
