package dev.sablegraph.internal.graph.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Node records of format 0, written before edge groups counted their self-loops, still decode: their
 * groups say the count is unknown, and keep saying so when written again in the current format.
 */
class NodeRecordFormatTest {
    private static final int LOOPS_OFFSET = 1 + 2 + 2 + 4 + 8 * 4; // format, no labels, one group's fields

    @Test
    void formatZeroReadsAsUnknownSelfLoops() {
        NodeRecord.EdgeGroup group = new NodeRecord.EdgeGroup(3, 77L << 16, 78L << 16, 5, 4, 2);
        byte[] current = new NodeRecord(new int[0], new NodeRecord.EdgeGroup[] {group}, PropertyList.EMPTY).encode();
        assertEquals(NodeRecord.FORMAT, current[0]);
        byte[] old = new byte[current.length - 8];
        System.arraycopy(current, 0, old, 0, LOOPS_OFFSET);
        System.arraycopy(current, LOOPS_OFFSET + 8, old, LOOPS_OFFSET, current.length - LOOPS_OFFSET - 8);
        old[0] = NodeRecord.FORMAT_WITHOUT_LOOPS;

        NodeRecord.EdgeGroup read = NodeRecord.decode(old).groups()[0];
        assertEquals(new NodeRecord.EdgeGroup(3, 77L << 16, 78L << 16, 5, 4, NodeRecord.EdgeGroup.UNKNOWN_LOOPS), read);
        assertFalse(read.loopsKnown());
        assertFalse(read.withLoopDelta(1).loopsKnown(), "an unknown count stays unknown");

        NodeRecord again = NodeRecord.decode(new NodeRecord(new int[0], new NodeRecord.EdgeGroup[] {read},
                PropertyList.EMPTY).encode());
        assertEquals(Arrays.asList(read), Arrays.asList(again.groups()));
    }
}
