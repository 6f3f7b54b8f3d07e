package dev.sablegraph.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** {@link LongIntHashMap} against a {@code HashMap} model. */
class LongIntHashMapTest {
    /** One operation: 0 put, 1 remove, 2 get, 3 clear (rare), on a key from a small range. */
    record Op(int kind, long key, int value) {}

    @Provide
    Arbitrary<List<Op>> operations() {
        // Few distinct keys, so that runs collide, wrap around the table's end and are removed
        // from the middle; 0 and negative keys included.
        Arbitrary<Long> keys = Arbitraries.oneOf(Arbitraries.longs().between(-3, 200),
                Arbitraries.longs().map(k -> k & ~0xFFL), Arbitraries.just(Long.MIN_VALUE));
        Arbitrary<Integer> kinds = Arbitraries.frequency(
                Tuple.of(10, 0), Tuple.of(6, 1), Tuple.of(4, 2),
                Tuple.of(1, 3));
        return Combinators.combine(kinds, keys, Arbitraries.integers())
                .as(Op::new).list().ofMaxSize(2_000);
    }

    @Property(tries = 300)
    void behavesLikeAMap(@ForAll("operations") List<Op> ops) {
        LongIntHashMap map = new LongIntHashMap();
        Map<Long, Integer> model = new HashMap<>();
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> assertEquals(model.put(op.key(), op.value()) == null, map.put(op.key(), op.value()));
                case 1 -> assertEquals(model.remove(op.key()) != null, map.remove(op.key()));
                case 2 -> {
                    assertEquals(model.getOrDefault(op.key(), -7), map.get(op.key(), -7));
                    assertEquals(model.containsKey(op.key()), map.containsKey(op.key()));
                }
                default -> {
                    model.clear();
                    map.clear();
                }
            }
            assertEquals(model.size(), map.size());
        }
        for (Map.Entry<Long, Integer> e : model.entrySet()) {
            assertEquals(e.getValue(), map.get(e.getKey(), -7), "key " + e.getKey());
        }
        Map<Long, Integer> seen = new HashMap<>();
        map.forEach((k, v) -> assertEquals(null, seen.put(k, v), "key " + k + " twice"));
        assertEquals(model, seen);
    }

    @Test
    void growsAndShrinksAcrossBatches() {
        LongIntHashMap map = new LongIntHashMap();
        for (int round = 0; round < 3; round++) {
            for (long k = 1; k <= 100_000; k++) {
                assertTrue(map.put(k * 8192, (int) k));
            }
            assertEquals(100_000, map.size());
            for (long k = 1; k <= 100_000; k += 2) {
                assertTrue(map.remove(k * 8192));
            }
            for (long k = 1; k <= 100_000; k++) {
                assertEquals(k % 2 == 0, map.containsKey(k * 8192), "key " + k);
            }
            if (round == 1) {
                for (long k = 2; k <= 99_980; k += 2) {
                    map.remove(k * 8192); // 10 left in a table of 262,144 slots: clear shrinks it
                }
                assertEquals(10, map.size());
            }
            map.clear();
            assertTrue(map.isEmpty());
            assertFalse(map.containsKey(2 * 8192));
            for (long k = 1; k <= 10; k++) {
                assertTrue(map.put(k, 1));
            }
            assertEquals(10, map.size());
            map.clear();
            map.clear(); // empty: nothing to do
            assertEquals(0, map.size());
            assertFalse(map.containsKey(3));
        }
    }
}
