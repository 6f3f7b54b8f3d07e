package dev.sablegraph.internal.graph.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Property values of every stored type, and their comparison, for the codec properties. */
public final class StoredValues {
    private StoredValues() {}

    /** Any value a property may hold, already normalised (no Integer, no Float). */
    public static Arbitrary<Object> any() {
        return Arbitraries.oneOf(scalar(), bytes(), list());
    }

    /** A value of one of the four types a list may hold. */
    public static Arbitrary<Object> scalar() {
        return Arbitraries.oneOf(strings(), booleans(), longs(), doubles());
    }

    /** A list of one of the four element types, empty included, as the API stores it. */
    public static Arbitrary<Object> list() {
        return Arbitraries.oneOf(listOf(strings()), listOf(booleans()), listOf(longs()), listOf(doubles()));
    }

    private static Arbitrary<Object> listOf(Arbitrary<Object> elements) {
        return elements.list().ofMaxSize(12).map(l -> (Object) List.copyOf(l));
    }

    private static Arbitrary<Object> strings() {
        return Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s);
    }

    private static Arbitrary<Object> booleans() {
        return Arbitraries.of(true, false).map(b -> (Object) b);
    }

    private static Arbitrary<Object> longs() {
        return Arbitraries.longs().map(l -> (Object) l);
    }

    private static Arbitrary<Object> doubles() {
        return Arbitraries.oneOf(Arbitraries.doubles(),
                Arbitraries.of(Double.NaN, -0.0, Double.NEGATIVE_INFINITY, Double.MIN_VALUE)).map(d -> (Object) d);
    }

    private static Arbitrary<Object> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(50).map(b -> (Object) b);
    }

    /** Equal as stored values: arrays by content, doubles by their bits, lists element by element. */
    public static void assertSame(Object expected, Object actual) {
        if (expected instanceof byte[] x) {
            assertArrayEquals(x, (byte[]) actual);
        } else if (expected instanceof Double d) {
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) actual));
        } else if (expected instanceof List<?> x) {
            List<?> y = assertInstanceOf(List.class, actual);
            assertEquals(x.size(), y.size(), "list size");
            for (int i = 0; i < x.size(); i++) {
                assertEquals(x.get(i).getClass(), y.get(i).getClass(), "element type");
                assertSame(x.get(i), y.get(i));
            }
        } else {
            assertEquals(expected, actual);
        }
    }
}
