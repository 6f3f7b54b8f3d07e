package dev.sablegraph.internal.graph.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edge records are written in format 1 (varints); records of the fixed-width format 0, written by
 * earlier builds, still decode; a bulk load's staged layout is never taken for a stored record.
 */
class EdgeRecordFormatTest {
    private static final PropertyList PROPS = PropertyList.EMPTY.with(1, "p123456").with(2, 42L);

    /**
     * An edge as the write-beyond-cache load makes it (no properties, endpoints below 2^21, blocks
     * in pages past 8,000): 39 bytes in the fixed-width format, at most 16 in varints.
     */
    @Test
    void aTypicalEdgeTakesLessThanHalfItsFixedWidth() {
        EdgeRecord r = new EdgeRecord(199_999, 1_234, 0, 8_418L << 16 | 37, 9_002L << 16 | 112, PropertyList.EMPTY);
        byte[] bytes = r.encode();
        assertEquals(EdgeRecord.FORMAT, bytes[0]);
        assertEquals(39, fixedWidth(r).length);
        assertTrue(bytes.length <= 16, bytes.length + " bytes");
    }

    @Test
    void formatZeroStillReads() {
        EdgeRecord r = new EdgeRecord(Long.MAX_VALUE, 7, -3, 77L << 16 | 5, 78L << 16, PROPS);
        EdgeRecord read = EdgeRecord.decode(fixedWidth(r));
        assertEquals(List.of(r.from(), r.to(), (long) r.type(), r.outBlock(), r.inBlock()),
                List.of(read.from(), read.to(), (long) read.type(), read.outBlock(), read.inBlock()));
        assertEquals("p123456", read.properties().get(1));
        assertEquals(42L, read.properties().get(2));
        assertEquals(EdgeRecord.FORMAT, read.encode()[0], "written again, it takes the current format");
    }

    @Test
    void aStagedRecordIsNeverReadAsAStoredOne() {
        EdgeRecord r = new EdgeRecord(1, 2, 3, 4L << 16, 5L << 16, PROPS);
        byte[] staged = r.encodeStaged();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EdgeRecord.decode(staged));
        assertTrue(e.getMessage().contains("unknown edge record format"), e.getMessage());
        byte[] stored = r.encode();
        assertThrows(IllegalArgumentException.class, () -> EdgeRecord.storedFromStaged(stored, 0, stored.length));
    }

    @Test
    void damagedRecordsAreRefused() {
        byte[] good = new EdgeRecord(300, 5, 2, 4L << 16 | 1, 5L << 16 | 2, PROPS).encode();
        assertThrows(RuntimeException.class, () -> EdgeRecord.decode(Arrays.copyOf(good, 6)), "cut short");
        byte[] stray = Arrays.copyOf(good, good.length + 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EdgeRecord.decode(stray));
        assertTrue(e.getMessage().contains("stray"), e.getMessage());
        byte[] idPast63Bits = {EdgeRecord.FORMAT, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01, 0, 0, 0, 0, 0};
        assertThrows(IllegalStateException.class, () -> EdgeRecord.decode(idPast63Bits));
        byte[] slotPast16Bits = {EdgeRecord.FORMAT, 1, 2, 0, 9, (byte) 0x80, (byte) 0x80, 0x04, 0, 0};
        e = assertThrows(IllegalStateException.class, () -> EdgeRecord.decode(slotPast16Bits));
        assertTrue(e.getMessage().contains("record pointer"), e.getMessage());
    }

    @Test
    void aBlockFilledInAfterStagingReachesTheStoredRecord() {
        EdgeRecord unlinked = new EdgeRecord(10, 20, 1, 0, 0, PROPS);
        byte[] staged = unlinked.encodeStaged();
        EdgeRecord.setStagedBlock(staged, 0, true, 6L << 16 | 9);
        EdgeRecord.setStagedBlock(staged, 0, false, 7L << 16);
        assertArrayEquals(new EdgeRecord(10, 20, 1, 6L << 16 | 9, 7L << 16, PROPS).encode(),
                EdgeRecord.storedFromStaged(staged, 0, staged.length));
    }

    /** The record in the fixed-width format 0, as earlier builds wrote it. */
    private static byte[] fixedWidth(EdgeRecord r) {
        RecordBuffer out = new RecordBuffer(64).putByte(EdgeRecord.FORMAT_FIXED_WIDTH).putLong(r.from())
                .putLong(r.to()).putInt(r.type()).putLong(r.outBlock()).putLong(r.inBlock());
        out.putShort(r.properties().size());
        for (int i = 0; i < r.properties().size(); i++) {
            out.putInt(r.properties().key(i));
            ValueCodec.encode(out, r.properties().value(i));
        }
        return out.toArray();
    }
}
