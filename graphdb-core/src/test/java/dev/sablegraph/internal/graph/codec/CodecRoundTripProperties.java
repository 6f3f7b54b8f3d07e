package dev.sablegraph.internal.graph.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.internal.record.RecordPointer;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every record codec of the store decodes what it encoded, for any content. */
class CodecRoundTripProperties {

    @Provide
    Arbitrary<PropertyList> propertyLists() {
        return StoredValues.any().list().ofMaxSize(8).map(vs -> {
            PropertyList p = PropertyList.EMPTY;
            for (int i = 0; i < vs.size(); i++) {
                p = p.with(i * 3 + 1, vs.get(i));
            }
            return p;
        });
    }

    @Provide
    Arbitrary<Object> values() {
        return StoredValues.any();
    }

    @Property(tries = 300)
    void values(@ForAll("values") Object value) {
        RecordBuffer out = new RecordBuffer(16).putLong(7); // not at offset 0, as in a record
        ValueCodec.encode(out, value);
        ByteBuffer in = ByteBuffer.wrap(out.toArray());
        in.getLong();
        StoredValues.assertSame(value, ValueCodec.decode(in));
        assertEquals(0, in.remaining(), "a value takes exactly its bytes");
        assertEquals(out.toArray().length - 8, ValueCodec.encodedBytes(value), "encodedBytes counts them");
    }

    /** Longs about every varint length boundary, of both signs: the short form and the fixed one. */
    @Property(tries = 300)
    void longsOfEveryWidth(@ForAll("shifts") int shift, @ForAll("deltas") int delta, @ForAll boolean negative) {
        long v = (1L << shift) + delta;
        Long value = negative ? -v : v;
        RecordBuffer out = new RecordBuffer(16);
        ValueCodec.encode(out, value);
        byte[] bytes = out.toArray();
        assertEquals(value, ValueCodec.decode(ByteBuffer.wrap(bytes)));
        assertEquals(bytes.length, ValueCodec.encodedBytes(value));
        assertTrue(bytes.length <= 1 + Long.BYTES, "never longer than the fixed form");
    }

    @Provide
    Arbitrary<Integer> shifts() {
        return Arbitraries.integers().between(0, 62);
    }

    @Provide
    Arbitrary<Integer> deltas() {
        return Arbitraries.integers().between(-2, 2);
    }

    /** Node records of any shape: labels, groups with any heads and counts, unknown self-loops. */
    @Property(tries = 300)
    void nodeRecordsOfAnyShape(@ForAll("labelSets") int[] labels, @ForAll("groupLists") List<NodeRecord.EdgeGroup> groups,
            @ForAll("propertyLists") PropertyList props) {
        NodeRecord r = new NodeRecord(labels, groups.toArray(NodeRecord.EdgeGroup[]::new), props);
        NodeRecord back = NodeRecord.decode(r.encode());
        assertArrayEquals(r.labels(), back.labels());
        assertEquals(groups, Arrays.asList(back.groups()));
        assertSameProperties(props, back.properties());
    }

    @Provide
    Arbitrary<int[]> labelSets() {
        return Arbitraries.integers().set().ofMaxSize(6).map(s -> s.stream().mapToInt(Integer::intValue).sorted().toArray());
    }

    @Provide
    Arbitrary<List<NodeRecord.EdgeGroup>> groupLists() {
        Arbitrary<Long> heads = Arbitraries.oneOf(Arbitraries.just(RecordPointer.NONE),
                Combinators.combine(Arbitraries.longs().between(1, (1L << 47) - 1), Arbitraries.integers().between(0, 0xFFFF))
                        .as(RecordPointer::of));
        Arbitrary<Long> counts = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<Long> loops = Arbitraries.longs().between(NodeRecord.EdgeGroup.UNKNOWN_LOOPS, Long.MAX_VALUE - 1);
        return Combinators.combine(Arbitraries.integers(), heads, heads, counts, counts, loops)
                .as(NodeRecord.EdgeGroup::new).list().ofMaxSize(4);
    }

    @Property(tries = 300)
    void nodeRecords(@ForAll("propertyLists") PropertyList props) {
        NodeRecord r = new NodeRecord(new int[] {1, 5, 9},
                new NodeRecord.EdgeGroup[] {new NodeRecord.EdgeGroup(3, 77L << 16, 0, 12, 0, 2)}, props);
        NodeRecord back = NodeRecord.decode(r.encode());
        assertArrayEquals(r.labels(), back.labels());
        assertEquals(Arrays.asList(r.groups()), Arrays.asList(back.groups()));
        assertSameProperties(props, back.properties());
    }

    /**
     * Edge records of any shape: any ids, type tokens and block pointers (none included); the
     * staged layout of a bulk load, found at any offset of its buffer, becomes the same bytes.
     */
    @Property(tries = 300)
    void edgeRecordsOfAnyShape(@ForAll("nodeIds") long from, @ForAll("nodeIds") long to, @ForAll int type,
            @ForAll("pointers") long outBlock, @ForAll("pointers") long inBlock,
            @ForAll("propertyLists") PropertyList props, @ForAll("offsets") int at) {
        EdgeRecord r = new EdgeRecord(from, to, type, outBlock, inBlock, props);
        byte[] encoded = r.encode();
        EdgeRecord back = EdgeRecord.decode(encoded);
        assertEquals(List.of(r.from(), r.to(), (long) r.type(), r.outBlock(), r.inBlock()),
                List.of(back.from(), back.to(), (long) back.type(), back.outBlock(), back.inBlock()));
        assertSameProperties(props, back.properties());

        byte[] staged = r.encodeStaged();
        byte[] buffer = new byte[at + staged.length + 3];
        System.arraycopy(staged, 0, buffer, at, staged.length);
        assertEquals(List.of(from, to, (long) type), List.of(EdgeRecord.stagedFrom(buffer, at),
                EdgeRecord.stagedTo(buffer, at), (long) EdgeRecord.stagedType(buffer, at)));
        assertArrayEquals(encoded, EdgeRecord.storedFromStaged(buffer, at, staged.length));
    }

    @Provide
    Arbitrary<Long> pointers() {
        return Arbitraries.oneOf(Arbitraries.just(RecordPointer.NONE),
                Combinators.combine(Arbitraries.longs().between(1, RecordPointer.MAX_PAGE),
                        Arbitraries.integers().between(0, RecordPointer.MAX_SLOT)).as(RecordPointer::of));
    }

    @Provide
    Arbitrary<Long> nodeIds() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 1 << 20), Arbitraries.longs().between(0, Long.MAX_VALUE));
    }

    @Provide
    Arbitrary<Integer> offsets() {
        return Arbitraries.integers().between(0, 40);
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

    /** Packed entries keep any pair of ids of up to 40 bits. */
    @Property(tries = 200)
    void packedEntriesKeepTheirIds(@ForAll("ids") List<Long> ids) {
        AdjacencyBlock b = AdjacencyBlock.fresh(64, 5);
        for (int i = 0; i + 1 < ids.size(); i += 2) {
            b.add(ids.get(i), ids.get(i + 1));
        }
        AdjacencyBlock back = AdjacencyBlock.decode(b.encode());
        assertEquals(ids.size() / 2, back.count());
        for (int i = 0; i < back.count(); i++) {
            assertEquals(ids.get(2 * i), back.edge(i));
            assertEquals(ids.get(2 * i + 1), back.other(i));
        }
    }

    @Provide
    Arbitrary<List<Long>> ids() {
        return Arbitraries.longs().between(0, AdjacencyBlock.MAX_ID).list().ofMaxSize(240);
    }

    @Provide
    Arbitrary<Integer> counts() {
        return Arbitraries.integers().between(0, 64);
    }

    private static void assertSameProperties(PropertyList expected, PropertyList actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.key(i), actual.key(i));
            StoredValues.assertSame(expected.value(i), actual.value(i));
        }
    }

}
