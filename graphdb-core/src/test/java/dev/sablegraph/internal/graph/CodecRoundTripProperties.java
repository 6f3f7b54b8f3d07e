package dev.sablegraph.internal.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every record codec of the graph layer decodes what it encoded, for any content. */
class CodecRoundTripProperties {

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(50).map(b -> (Object) b));
    }

    @Provide
    Arbitrary<PropertyList> propertyLists() {
        return values().list().ofMaxSize(8).map(vs -> {
            PropertyList p = PropertyList.EMPTY;
            for (int i = 0; i < vs.size(); i++) {
                p = p.with(i * 3 + 1, vs.get(i));
            }
            return p;
        });
    }


    @Property(tries = 300)
    void nodeRecords(@ForAll("propertyLists") PropertyList props) {
        NodeRecord r = new NodeRecord(new int[] {1, 5, 9},
                new NodeRecord.EdgeGroup[] {new NodeRecord.EdgeGroup(3, 77L << 16, 0, 12, 0)}, props);
        NodeRecord back = NodeRecord.decode(r.encode());
        assertArrayEquals(r.labels(), back.labels());
        assertEquals(Arrays.asList(r.groups()), Arrays.asList(back.groups()));
        assertSameProperties(props, back.properties());
    }

    @Property(tries = 300)
    void edgeRecords(@ForAll("propertyLists") PropertyList props) {
        EdgeRecord r = new EdgeRecord(4, Long.MAX_VALUE, 7, 123L << 16, 456L << 16 | 3, props);
        EdgeRecord back = EdgeRecord.decode(r.encode());
        assertEquals(List.of(r.from(), r.to(), (long) r.type(), r.outBlock(), r.inBlock()),
                List.of(back.from(), back.to(), (long) back.type(), back.outBlock(), back.inBlock()));
        assertSameProperties(props, back.properties());
    }

    @Property(tries = 100)
    void adjacencyBlocksKeepSizeAndEntries(@ForAll("counts") int adds) {
        AdjacencyBlock b = AdjacencyBlock.fresh(16, 99);
        int size = b.encode().length;
        for (int i = 0; i < Math.min(adds, b.capacity()); i++) {
            b.add(i, 1000 + i);
        }
        if (adds > 0) {
            b.remove(0);
        }
        AdjacencyBlock back = AdjacencyBlock.decode(b.encode());
        assertEquals(size, back.encode().length, "blocks never change size");
        assertEquals(b.count(), back.count());
        for (int i = 0; i < b.count(); i++) {
            assertEquals(b.edge(i), back.edge(i));
            assertEquals(b.other(i), back.other(i));
        }
        assertEquals(99, back.next());
    }

    @Provide
    Arbitrary<Integer> counts() {
        return Arbitraries.integers().between(0, 64);
    }

    private static void assertSameProperties(PropertyList expected, PropertyList actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.key(i), actual.key(i));
            assertSameValue(expected.value(i), actual.value(i));
        }
    }

    private static void assertSameValue(Object expected, Object actual) {
        if (expected instanceof byte[] x) {
            assertArrayEquals(x, (byte[]) actual);
        } else if (expected instanceof Double d) {
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) actual));
        } else {
            assertEquals(expected, actual);
        }
    }
}
