package dev.sablegraph.internal.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sablegraph.internal.graph.codec.StoredValues;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A commit record decodes to what it encoded, for any content, and a truncated one is refused. */
class CommitRecordRoundTripProperties {

    @Provide
    Arbitrary<Map<String, Object>> propertyMaps() {
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), StoredValues.any())
                .ofMaxSize(6);
    }

    @Property(tries = 200)
    void commitRecords(@ForAll("propertyMaps") Map<String, Object> a, @ForAll("propertyMaps") Map<String, Object> b) {
        CommitRecord r = new CommitRecord(42, List.of(
                new CommitRecord.NodeChange(1, CommitRecord.Kind.CREATE, Set.of("A", "B"), a),
                new CommitRecord.NodeChange(2, CommitRecord.Kind.UPDATE, Set.of(), b),
                new CommitRecord.NodeChange(3, CommitRecord.Kind.DELETE, null, null)), List.of(
                new CommitRecord.EdgeChange(7, CommitRecord.Kind.CREATE, 1, 2, "T", b),
                new CommitRecord.EdgeChange(8, CommitRecord.Kind.UPDATE, 0, 0, null, a),
                new CommitRecord.EdgeChange(9, CommitRecord.Kind.DELETE, 0, 0, null, null)));
        CommitRecord back = CommitRecord.decode(r.encode());
        assertEquals(r.commitTs(), back.commitTs());
        assertEquals(r.nodes().size(), back.nodes().size());
        for (int i = 0; i < r.nodes().size(); i++) {
            assertEquals(r.nodes().get(i).id(), back.nodes().get(i).id());
            assertEquals(r.nodes().get(i).kind(), back.nodes().get(i).kind());
            assertEquals(r.nodes().get(i).labels(), back.nodes().get(i).labels());
            assertSameMap(r.nodes().get(i).properties(), back.nodes().get(i).properties());
        }
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

    private static void assertSameMap(Map<String, Object> expected, Map<String, Object> actual) {
        if (expected == null) {
            assertEquals(null, actual);
            return;
        }
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> StoredValues.assertSame(v, actual.get(k)));
    }
}
