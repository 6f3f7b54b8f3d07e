package dev.sablegraph.internal.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A commit record decodes to what it encoded, and applies its changes in the one install order. */
class CommitRecordTest {

    @Provide
    Arbitrary<Map<String, Object>> propertyMaps() {
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(50).map(b -> (Object) b),
                Arbitraries.longs().list().ofMaxSize(5).map(l -> (Object) List.copyOf(l)),
                Arbitraries.strings().ofMaxLength(10).list().ofMaxSize(5).map(l -> (Object) List.copyOf(l)));
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), values).ofMaxSize(6);
    }

    private static CommitRecord sample(Map<String, Object> a, Map<String, Object> b) {
        // Listed out of install order on purpose: the order is applyInOrder's, not the lists'.
        return new CommitRecord(42, List.of(
                new CommitRecord.NodeChange(3, CommitRecord.Kind.DELETE, null, null),
                new CommitRecord.NodeChange(2, CommitRecord.Kind.UPDATE, Set.of(), b),
                new CommitRecord.NodeChange(1, CommitRecord.Kind.CREATE, Set.of("A", "B"), a)), List.of(
                new CommitRecord.EdgeChange(7, CommitRecord.Kind.CREATE, 1, 2, "T", b),
                new CommitRecord.EdgeChange(8, CommitRecord.Kind.UPDATE, 0, 0, null, a),
                new CommitRecord.EdgeChange(9, CommitRecord.Kind.DELETE, 0, 0, null, null)));
    }

    @Property(tries = 200)
    void decodesWhatItEncoded(@ForAll("propertyMaps") Map<String, Object> a,
            @ForAll("propertyMaps") Map<String, Object> b) {
        CommitRecord r = sample(a, b);
        CommitRecord back = CommitRecord.decode(r.encode());
        assertEquals(r.commitTs(), back.commitTs());
        assertEquals(r.nodes().size(), back.nodes().size());
        for (int i = 0; i < r.nodes().size(); i++) {
            assertEquals(r.nodes().get(i).id(), back.nodes().get(i).id());
            assertEquals(r.nodes().get(i).kind(), back.nodes().get(i).kind());
            assertEquals(r.nodes().get(i).labels(), back.nodes().get(i).labels());
            assertSameMap(r.nodes().get(i).properties(), back.nodes().get(i).properties());
        }
        assertEquals(r.edges().size(), back.edges().size());
        for (int i = 0; i < r.edges().size(); i++) {
            CommitRecord.EdgeChange x = r.edges().get(i);
            CommitRecord.EdgeChange y = back.edges().get(i);
            assertEquals(List.of(x.id(), x.from(), x.to()), List.of(y.id(), y.from(), y.to()));
            assertEquals(x.type(), y.type());
            assertSameMap(x.properties(), y.properties());
        }
        byte[] bytes = r.encode();
        assertThrows(IllegalStateException.class,
                () -> CommitRecord.decode(Arrays.copyOf(bytes, bytes.length - 1)), "truncation is detected");
    }

    /** Any UTF-16, lone surrogates included: they encode as one byte each ('?'). */
    @Provide
    Arbitrary<String> anyStrings() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withCharRange('\uD7F0', '\uE010').ofMaxLength(12),
                Arbitraries.strings().withChars('a', '\u00E9', '\u20AC', '\uD83D', '\uDE00').ofMaxLength(12));
    }

    @Property(tries = 300)
    void countsExactlyTheBytesItEncodes(@ForAll("propertyMaps") Map<String, Object> a,
            @ForAll("anyStrings") String label, @ForAll("anyStrings") String type, @ForAll("anyStrings") String value) {
        Map<String, Object> withValue = new java.util.HashMap<>(a);
        withValue.put(label.isEmpty() ? "k" : label, value);
        CommitRecord r = new CommitRecord(7, List.of(
                new CommitRecord.NodeChange(1, CommitRecord.Kind.CREATE, Set.of(label), withValue),
                new CommitRecord.NodeChange(2, CommitRecord.Kind.DELETE, null, null)), List.of(
                new CommitRecord.EdgeChange(3, CommitRecord.Kind.CREATE, 1, 2, type, withValue),
                new CommitRecord.EdgeChange(4, CommitRecord.Kind.UPDATE, 0, 0, null, a)));
        assertEquals(r.encodedBytes(), r.encode().length);
        assertEquals(CommitRecord.HEADER_BYTES, new CommitRecord(1, List.of(), List.of()).encode().length);
    }

    @Example
    void appliesCreatedNodesThenUpdatedNodesThenEdgesThenDeletedNodes() {
        List<String> applied = new ArrayList<>();
        sample(Map.of(), Map.of()).applyInOrder(new CommitRecord.Applier() {
            @Override
            public void createNode(CommitRecord.NodeChange node) {
                applied.add("create node " + node.id());
            }

            @Override
            public void updateNode(CommitRecord.NodeChange node) {
                applied.add("update node " + node.id());
            }

            @Override
            public void createEdge(CommitRecord.EdgeChange edge) {
                applied.add("create edge " + edge.id());
            }

            @Override
            public void updateEdge(CommitRecord.EdgeChange edge) {
                applied.add("update edge " + edge.id());
            }

            @Override
            public void deleteEdge(long id) {
                applied.add("delete edge " + id);
            }

            @Override
            public void deleteNode(long id) {
                applied.add("delete node " + id);
            }
        });
        assertEquals(List.of("create node 1", "update node 2", "create edge 7", "update edge 8", "delete edge 9",
                "delete node 3"), applied);
    }

    private static void assertSameMap(Map<String, Object> expected, Map<String, Object> actual) {
        if (expected == null) {
            assertEquals(null, actual);
            return;
        }
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> {
            Object w = actual.get(k);
            if (v instanceof byte[] x) {
                assertArrayEquals(x, (byte[]) w);
            } else if (v instanceof Double d) {
                assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) w));
            } else {
                assertEquals(v, w);
            }
        });
    }
}
