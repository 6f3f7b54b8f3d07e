package dev.sablegraph.internal.graph.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * List values in {@link ValueCodec} and {@link IndexKeys}: every list round-trips with its element
 * types, the bytes written before lists (and before varint Longs and Strings) still read the same,
 * damaged bytes are refused rather than read, and the index keys a list as a whole.
 */
class ListValueCodecTest {

    @Provide
    Arbitrary<Object> lists() {
        return StoredValues.list();
    }

    @Provide
    Arbitrary<Object> scalars() {
        return Arbitraries.oneOf(StoredValues.scalar(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(50).map(b -> (Object) b));
    }

    @Property(tries = 500)
    void everyListRoundTripsWithItsElementTypes(@ForAll("lists") Object list) {
        Object back = ValueCodec.decode(ByteBuffer.wrap(encode(list)));
        StoredValues.assertSame(list, back);
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) back).clear(), "read back unmodifiable");
    }

    @Property(tries = 500)
    void theEncodingOfEveryOtherTypeBeforeListsStillReads(@ForAll("scalars") Object value) {
        ByteBuffer in = ByteBuffer.wrap(encodingBeforeLists(value));
        StoredValues.assertSame(value, ValueCodec.decode(in));
        assertEquals(0, in.remaining());
    }

    /** Booleans, Doubles and byte arrays are written as before; Longs and Strings are written shorter. */
    @Property(tries = 500)
    void noValueIsWrittenLongerThanBefore(@ForAll("scalars") Object value) {
        byte[] before = encodingBeforeLists(value);
        byte[] now = encode(value);
        if (value instanceof Long || value instanceof String) {
            assertTrue(now.length <= before.length, () -> hex(value));
        } else {
            assertArrayEquals(before, now);
        }
    }

    @Test
    void fixedBytes() {
        assertEquals("0802c3a9", hex("é"));
        assertEquals("0800", hex(""));
        assertEquals("0201", hex(true));
        assertEquals("0200", hex(false));
        assertEquals("0703", hex(-2L));
        assertEquals("0700", hex(0L));
        assertEquals("07ac02", hex(150L));
        assertEquals("037ffffffffffffffe", hex(Long.MAX_VALUE - 1));
        assertEquals("038000000000000000", hex(Long.MIN_VALUE));
        assertEquals("043ff8000000000000", hex(1.5));
        assertEquals("05000000020102", hex(new byte[] {1, 2}));
        assertEquals("0600000000", hex(List.of()));
        assertEquals("06000000020300000000000000010000000000000002", hex(List.of(1L, 2L)));
        assertEquals("0600000002020100", hex(List.of(true, false)));
    }

    @Test
    void stringAndDoubleListsHaveTheirElementBytes() {
        assertEquals("060000000201" + "0000000161" + "00000000", hex(List.of("a", "")));
        assertEquals("060000000104" + "7ff8000000000000", hex(List.of(Double.NaN)));
    }

    @Test
    void aListThatIsNotOneStoredTypeIsNotEncoded() {
        assertThrows(IllegalArgumentException.class, () -> encode(List.of(1L, "x")));
        assertThrows(IllegalArgumentException.class, () -> encode(List.of(new byte[] {1})));
        assertThrows(IllegalArgumentException.class, () -> encode(List.of(List.of(1L))));
        assertThrows(IllegalArgumentException.class, () -> encode(List.of(1)), "Integer is not stored: normalise first");
    }

    @Test
    void damagedListBytesAreRefused() {
        assertDamaged("0600000001" + "09" + "00", "unknown list element type 9");
        assertDamaged("0600000001" + "05" + "00000000", "unknown list element type 5");
        assertDamaged("0600000001" + "06" + "00000000", "unknown list element type 6");
        assertDamaged("0600000003" + "03" + "0000000000000001", "exceeds");
        assertDamaged("06ffffffff" + "02" + "01", "exceeds");
        assertDamaged("067fffffff" + "01" + "00000000", "exceeds");
        assertDamaged("0600000001" + "02" + "07", "neither 0 nor 1");
        assertDamaged("0207", "neither 0 nor 1");
        assertDamaged("09", "unknown property type 9");
        assertDamaged("0805" + "6161", "exceeds");
        assertDamaged("07" + "ffffffffffffffffff7f", "beyond 64 bits");
        assertDamaged("07" + "ffffffffffffffffffff01", "longer than ten bytes");
        assertThrows(RuntimeException.class, () -> ValueCodec.decode(ByteBuffer.wrap(HexFormat.of().parseHex(
                "0600000002" + "01" + "0000000161" + "00000005"))), "a string element longer than what is left");
    }

    @Test
    void aListIsIndexedAsAWholeValue() {
        byte[] ab = SchemaKeys.valuePrefix(1, 2, List.of("a", "b"));
        assertArrayEquals(ab, SchemaKeys.valuePrefix(1, 2, new ArrayList<>(List.of("a", "b"))), "equal lists, one key");
        assertFalse(Arrays.equals(ab, SchemaKeys.valuePrefix(1, 2, List.of("b", "a"))), "order matters");
        assertFalse(Arrays.equals(ab, SchemaKeys.valuePrefix(1, 2, List.of("a"))), "a prefix is another list");
        assertFalse(Arrays.equals(SchemaKeys.valuePrefix(1, 2, List.of("a")), SchemaKeys.valuePrefix(1, 2, "a")),
                "a one-element list is not its element");
        assertFalse(Arrays.equals(SchemaKeys.valuePrefix(1, 2, List.of(1L)), SchemaKeys.valuePrefix(1, 2, List.of(1.0))),
                "Long and Double lists differ as Long and Double do");
        assertFalse(Arrays.equals(SchemaKeys.valuePrefix(1, 2, List.of()), SchemaKeys.valuePrefix(1, 2, List.of(0L))));
        double otherNaN = Double.longBitsToDouble(0x7ff8000000000001L);
        assertTrue(List.of(Double.NaN).equals(List.of(otherNaN)), "Double.equals sees one NaN");
        assertArrayEquals(SchemaKeys.valuePrefix(1, 2, List.of(Double.NaN)), SchemaKeys.valuePrefix(1, 2, List.of(otherNaN)),
                "so the index keys them alike");
        assertEquals(SchemaKeys.LIST, ab[8], "the value kind byte");
    }

    @Property(tries = 300)
    void equalListsHaveEqualIndexKeys(@ForAll("lists") Object list) {
        Object copy = ValueCodec.decode(ByteBuffer.wrap(encode(list)));
        assertArrayEquals(SchemaKeys.key(3, 4, list, 5), SchemaKeys.key(3, 4, copy, 5));
    }

    private static void assertDamaged(String hex, String message) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ValueCodec.decode(ByteBuffer.wrap(HexFormat.of().parseHex(hex))), hex);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static byte[] encode(Object value) {
        RecordBuffer out = new RecordBuffer(16);
        ValueCodec.encode(out, value);
        return out.toArray();
    }

    private static String hex(Object value) {
        return HexFormat.of().formatHex(encode(value));
    }

    /** The value encoding as it was before list values existed, written out independently. */
    private static byte[] encodingBeforeLists(Object v) {
        ByteBuffer b;
        if (v instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            b = ByteBuffer.allocate(5 + utf8.length).put((byte) 1).putInt(utf8.length).put(utf8);
        } else if (v instanceof Boolean x) {
            b = ByteBuffer.allocate(2).put((byte) 2).put((byte) (x ? 1 : 0));
        } else if (v instanceof Long l) {
            b = ByteBuffer.allocate(9).put((byte) 3).putLong(l);
        } else if (v instanceof Double d) {
            b = ByteBuffer.allocate(9).put((byte) 4).putLong(Double.doubleToRawLongBits(d));
        } else {
            byte[] bytes = (byte[]) v;
            b = ByteBuffer.allocate(5 + bytes.length).put((byte) 5).putInt(bytes.length).put(bytes);
        }
        return b.array();
    }
}
