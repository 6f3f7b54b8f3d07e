package dev.sablegraph.internal.graph.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * New adjacency blocks are packed (ten bytes an entry, ids of 40 bits) with an 8-byte header and
 * start at two entries; blocks of the long header, packed or wide (written before data file format
 * 3), still read and are updated as they are.
 */
class AdjacencyBlockFormatTest {

    @Test
    void capacitiesDoubleFromTwo() {
        List<Integer> capacities = new ArrayList<>();
        int previous = 0;
        for (int i = 0; i < 8; i++) {
            AdjacencyBlock b = AdjacencyBlock.fresh(previous, 0);
            assertTrue(b.isPacked());
            assertTrue(b.hasShortHeader());
            capacities.add(b.capacity());
            previous = b.capacity();
        }
        assertEquals(List.of(2, 4, 8, 16, 32, 64, 120, 120), capacities);
        assertEquals(8 + 2 * 10, AdjacencyBlock.fresh(0, 0).encode().length, "a node's first block: 28 bytes");
    }

    @Test
    void packedEntriesHoldEveryIdOfFortyBits() {
        AdjacencyBlock b = AdjacencyBlock.fresh(4, 77L << 16); // 8 entries
        long[] ids = {0, 1, 255, 256, 0xFFFF_FFFFL, 1L << 32, AdjacencyBlock.MAX_ID};
        for (int i = 0; i < ids.length; i++) {
            b.add(ids[i], ids[ids.length - 1 - i]);
        }
        AdjacencyBlock back = AdjacencyBlock.decode(b.encode());
        assertEquals(77L << 16, back.next());
        for (int i = 0; i < ids.length; i++) {
            assertEquals(ids[i], back.edge(i));
            assertEquals(ids[ids.length - 1 - i], back.other(i));
        }
        assertTrue(back.remove(256));
        assertEquals(ids.length - 1, back.count());
        assertEquals(AdjacencyBlock.MAX_ID, back.edge(3), "the last entry moved into the gap");
    }

    @Test
    void aPackedBlockRefusesAnIdPastFortyBits() {
        AdjacencyBlock b = AdjacencyBlock.fresh(0, 0);
        assertThrows(IllegalStateException.class, () -> b.add(AdjacencyBlock.MAX_ID + 1, 5));
        assertThrows(IllegalStateException.class, () -> b.add(5, -1));
        assertEquals(0, b.count(), "nothing listed");
    }

    @Test
    void aWideBlockReadsAndStaysWide() {
        ByteBuffer wide = ByteBuffer.allocate(12 + 16 * 4);
        wide.putLong(0, 99L << 16).putShort(8, (short) 4).putShort(10, (short) 2);
        wide.putLong(12, 1L << 45).putLong(20, 7).putLong(28, 8).putLong(36, 9);
        AdjacencyBlock b = AdjacencyBlock.decode(wide.array());
        assertFalse(b.isPacked());
        assertEquals(4, b.capacity());
        assertEquals(1L << 45, b.edge(0), "a wide entry keeps all 64 bits");
        assertEquals(9, b.other(1));
        b.add(10, 11);
        assertTrue(b.remove(1L << 45));
        byte[] again = b.encode();
        assertEquals(wide.capacity(), again.length, "rewritten in place: same size");
        AdjacencyBlock back = AdjacencyBlock.decode(again);
        assertFalse(back.isPacked());
        assertEquals(List.of(10L, 8L), List.of(back.edge(0), back.edge(1)));
        assertEquals(List.of(11L, 9L), List.of(back.other(0), back.other(1)));
    }

    @Test
    void theShortHeaderKeepsNextPointersOfFortyEightBits() {
        long[] nexts = {0, 1, 77L << 16 | 5, 0xFFFF_FFFFL, 1L << 32, (1L << 48) - 1};
        for (long next : nexts) {
            AdjacencyBlock b = AdjacencyBlock.fresh(2, next);
            assertTrue(b.hasShortHeader());
            b.add(3, 4);
            AdjacencyBlock back = AdjacencyBlock.decode(b.encode());
            assertEquals(next, back.next());
            assertEquals(4, back.capacity());
            assertEquals(1, back.count());
            assertEquals(List.of(3L, 4L), List.of(back.edge(0), back.other(0)));
        }
    }

    /** A next pointer past 48 bits (a page past 2^32) gets the long header, packed entries still. */
    @Test
    void aLongNextPointerGetsTheLongHeader() {
        AdjacencyBlock b = AdjacencyBlock.fresh(4, 1L << 50);
        assertFalse(b.hasShortHeader());
        assertTrue(b.isPacked());
        assertEquals(12 + 8 * 10, b.encode().length);
        b.add(AdjacencyBlock.MAX_ID, 9);
        AdjacencyBlock back = AdjacencyBlock.decode(b.encode());
        assertEquals(1L << 50, back.next());
        assertEquals(8, back.capacity());
        assertEquals(List.of(AdjacencyBlock.MAX_ID, 9L), List.of(back.edge(0), back.other(0)));
        assertTrue(back.remove(AdjacencyBlock.MAX_ID));
        assertEquals(0, AdjacencyBlock.decode(back.encode()).count());
    }

    @Test
    void sizesThatDisagreeWithTheHeaderAreRefused() {
        byte[] shortOne = AdjacencyBlock.fresh(0, 0).encode();
        shortOne[0] = (byte) (0x80 | 3); // said capacity 3: 38 bytes expected
        assertThrows(IllegalStateException.class, () -> AdjacencyBlock.decode(shortOne));
        byte[] longPacked = AdjacencyBlock.fresh(0, 1L << 50).encode();
        ByteBuffer.wrap(longPacked).putShort(8, (short) 2); // said wide: 12 + 32 bytes expected
        assertThrows(IllegalStateException.class, () -> AdjacencyBlock.decode(longPacked));
        assertThrows(IllegalStateException.class, () -> AdjacencyBlock.decode(new byte[5]));
        assertThrows(IllegalStateException.class, () -> AdjacencyBlock.decode(new byte[9]), "a long header cut short");
        byte[] overfull = AdjacencyBlock.fresh(0, 0).encode();
        overfull[1] = 3;
        assertThrows(IllegalStateException.class, () -> AdjacencyBlock.decode(overfull));
        byte[] empty = AdjacencyBlock.fresh(0, 0).encode();
        empty[0] = (byte) 0x80; // capacity 0
        assertThrows(IllegalStateException.class, () -> AdjacencyBlock.decode(empty));
    }
}
