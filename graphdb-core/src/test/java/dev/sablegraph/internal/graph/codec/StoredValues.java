package dev.sablegraph.internal.graph.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Property values of every stored type, and their comparison, for the codec properties. */
public final class StoredValues {
    private StoredValues() {}

    /** Any value a property may hold, already normalised (no Integer, no Float). */
    public static Arbitrary<Object> any() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(50).map(b -> (Object) b));
    }

    /** Equal as stored values: arrays by content, doubles by their bits. */
    public static void assertSame(Object expected, Object actual) {
        if (expected instanceof byte[] x) {
            assertArrayEquals(x, (byte[]) actual);
        } else if (expected instanceof Double d) {
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) actual));
        } else {
            assertEquals(expected, actual);
        }
    }
}
