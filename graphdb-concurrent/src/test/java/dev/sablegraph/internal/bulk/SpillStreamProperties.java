package dev.sablegraph.internal.bulk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link SpillOutput} writes what {@code DataOutputStream} would, and {@link SpillInput} reads it
 * back, across buffer boundaries of any size; a file cut inside a record is an error, not an end.
 */
class SpillStreamProperties {

    /** A spilled record as SpillPartitions writes it: key, edge id, length, bytes. */
    record Rec(long key, long edge, byte[] bytes) {}

    @Provide
    Arbitrary<List<Rec>> records() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(100);
        return net.jqwik.api.Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), bytes)
                .as(Rec::new).list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void roundTripsAcrossBuffers(@ForAll("records") List<Rec> records, @ForAll @IntRange(min = 16, max = 200) int buffer)
            throws IOException {
        byte[] file = write(records, buffer);

        DataInputStream reference = new DataInputStream(new ByteArrayInputStream(file));
        for (Rec r : records) { // the format DataInputStream reads
            assertEquals(r.key(), reference.readLong());
            assertEquals(r.edge(), reference.readLong());
            byte[] b = new byte[reference.readInt()];
            reference.readFully(b);
            assertArrayEquals(r.bytes(), b);
        }
        assertEquals(-1, reference.read());

        try (SpillInput in = new SpillInput(new ByteArrayInputStream(file), buffer)) {
            for (Rec r : records) {
                assertTrue(!in.atEnd());
                assertEquals(r.key(), in.readLong());
                assertEquals(r.edge(), in.readLong());
                byte[] b = new byte[in.readInt()];
                in.readFully(b, 0, b.length);
                assertArrayEquals(r.bytes(), b);
            }
            assertTrue(in.atEnd());
        }
    }

    @Property(tries = 100)
    void aFileCutInsideARecordIsAnError(@ForAll("records") List<Rec> records, @ForAll @IntRange(min = 16, max = 64) int buffer,
            @ForAll @IntRange(min = 1, max = 19) int cut) throws IOException {
        List<Rec> some = records.isEmpty() ? List.of(new Rec(1, 2, new byte[3])) : records;
        byte[] whole = write(some, buffer);
        byte[] file = Arrays.copyOf(whole, whole.length - Math.min(cut, 20 + some.get(some.size() - 1).bytes().length));
        assertThrows(EOFException.class, () -> {
            try (SpillInput in = new SpillInput(new ByteArrayInputStream(file), buffer)) {
                while (!in.atEnd()) {
                    in.readLong();
                    in.readLong();
                    byte[] b = new byte[in.readInt()];
                    in.readFully(b, 0, b.length);
                }
            }
        });
    }

    private static byte[] write(List<Rec> records, int buffer) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (SpillOutput out = new SpillOutput(sink, buffer)) {
            for (Rec r : records) {
                out.writeLong(r.key());
                out.writeLong(r.edge());
                out.writeInt(r.bytes().length);
                out.write(r.bytes(), 0, r.bytes().length);
            }
        }
        return sink.toByteArray();
    }
}
