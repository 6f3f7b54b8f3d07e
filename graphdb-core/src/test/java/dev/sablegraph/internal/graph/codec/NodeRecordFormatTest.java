package dev.sablegraph.internal.graph.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Node records are written in format 2 (varints) and records of the fixed-width formats 1 and 0,
 * written by earlier builds, still decode: format 0's groups, written before they counted their
 * self-loops, say the count is unknown and keep saying so when written again.
 */
class NodeRecordFormatTest {
    private static final NodeRecord.EdgeGroup GROUP = new NodeRecord.EdgeGroup(3, 77L << 16 | 5, 78L << 16, 5, 4, 2);
    private static final PropertyList PROPS = PropertyList.EMPTY.with(1, "p123456").with(2, 42L);

    /**
     * The record of a node as the write-beyond-cache load makes it (one label, one edge type with
     * a few edges each way, heads in pages past 8,000, a short name and a small number): 84 bytes
     * in the fixed-width format, at most 32 in varints.
     */
    @Test
    void aTypicalNodeTakesLessThanHalfItsFixedWidth() {
        NodeRecord.EdgeGroup group = new NodeRecord.EdgeGroup(0, 8_418L << 16 | 37, 9_002L << 16 | 11, 5, 6, 0);
        NodeRecord r = new NodeRecord(new int[] {0}, new NodeRecord.EdgeGroup[] {group}, PROPS);
        byte[] bytes = r.encode();
        assertEquals(NodeRecord.FORMAT, bytes[0]);
        assertEquals(84, fixedWidth(NodeRecord.FORMAT_FIXED_WIDTH, r).length);
        assertTrue(bytes.length <= 32, bytes.length + " bytes");
        assertTrue(NodeRecord.GROUP_BYTES >= bytes.length - NodeRecord.create(new int[] {0}, PROPS).encode().length,
                "the growth room a page keeps covers a typical group");
    }

    @Test
    void formatOneStillReads() {
        NodeRecord r = new NodeRecord(new int[] {1, 7}, new NodeRecord.EdgeGroup[] {GROUP}, PROPS);
        NodeRecord read = NodeRecord.decode(fixedWidth(NodeRecord.FORMAT_FIXED_WIDTH, r));
        assertArrayEquals(r.labels(), read.labels());
        assertEquals(List.of(GROUP), Arrays.asList(read.groups()));
        assertEquals("p123456", read.properties().get(1));
        assertEquals(42L, read.properties().get(2));
    }

    @Test
    void formatZeroReadsAsUnknownSelfLoops() {
        NodeRecord r = new NodeRecord(new int[0], new NodeRecord.EdgeGroup[] {GROUP}, PropertyList.EMPTY);
        NodeRecord.EdgeGroup read = NodeRecord.decode(fixedWidth(NodeRecord.FORMAT_WITHOUT_LOOPS, r)).groups()[0];
        assertEquals(new NodeRecord.EdgeGroup(3, 77L << 16 | 5, 78L << 16, 5, 4, NodeRecord.EdgeGroup.UNKNOWN_LOOPS),
                read);
        assertFalse(read.loopsKnown());
        assertFalse(read.withLoopDelta(1).loopsKnown(), "an unknown count stays unknown");

        NodeRecord again = NodeRecord.decode(new NodeRecord(new int[0], new NodeRecord.EdgeGroup[] {read},
                PropertyList.EMPTY).encode());
        assertEquals(Arrays.asList(read), Arrays.asList(again.groups()));
    }

    @Test
    void damagedVarintsAreRefused() {
        byte[] tooLong = {NodeRecord.FORMAT, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0};
        assertThrows(IllegalStateException.class, () -> NodeRecord.decode(tooLong));
        byte[] countPastTheLimit = {NodeRecord.FORMAT, (byte) 0x80, (byte) 0x80, 0x04}; // 65,536 labels
        assertThrows(IllegalStateException.class, () -> NodeRecord.decode(countPastTheLimit));
        byte[] cut = Arrays.copyOf(new NodeRecord(new int[] {1}, new NodeRecord.EdgeGroup[] {GROUP}, PROPS).encode(), 6);
        assertThrows(RuntimeException.class, () -> NodeRecord.decode(cut));
    }

    /** The record in a fixed-width format (1, or 0 without the self-loop count), as earlier builds wrote it. */
    private static byte[] fixedWidth(int format, NodeRecord r) {
        RecordBuffer out = new RecordBuffer(64).putByte(format).putShort(r.labels().length);
        for (int l : r.labels()) {
            out.putInt(l);
        }
        out.putShort(r.groups().length);
        for (NodeRecord.EdgeGroup g : r.groups()) {
            out.putInt(g.type()).putLong(g.outHead()).putLong(g.inHead()).putLong(g.outCount()).putLong(g.inCount());
            if (format == NodeRecord.FORMAT_FIXED_WIDTH) {
                out.putLong(g.loops());
            }
        }
        out.putShort(r.properties().size());
        for (int i = 0; i < r.properties().size(); i++) {
            out.putInt(r.properties().key(i));
            Object v = r.properties().value(i);
            if (v instanceof String s) {
                out.putByte(ValueCodec.STRING).putString(s);
            } else {
                out.putByte(ValueCodec.LONG).putLong((Long) v);
            }
        }
        return out.toArray();
    }
}
