package dev.sablegraph.internal.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.storage.Pager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Two id maps in one file (nodes and edges) against a model of a counter and a HashMap each, with
 * reopens in between; the scan of ids in use ({@code setIds}) against the model's non-zero
 * entries. 4 KiB pages (fan-out 508, 258,064 ids per directory): bulk allocations carry the
 * counter across directory boundaries, and ids are picked near leaf and directory boundaries.
 */
class IdMapModelTest {
    private static final int FAN_OUT = 508;
    private static final long PER_DIRECTORY = (long) FAN_OUT * FAN_OUT;
    private static final GraphConfig CONFIG = GraphConfig.builder().pageSize(4096).pageCacheBytes(1 << 20).build();

    enum Kind { ALLOCATE, SET, GET, SET_IDS, REOPEN }

    /** Where an id is picked: anywhere allocated, near a leaf or directory boundary, or not allocated. */
    enum Pick { ANY, LEAF_EDGE, DIRECTORY_EDGE, UNALLOCATED }

    record Op(Kind kind, int map, int count, Pick pick, long seed, long value) {
        @Override
        public String toString() {
            switch (kind) {
                case ALLOCATE: return "allocate(map " + map + ", " + count + ")";
                case SET: return "set(map " + map + ", " + pick + "/" + seed + ", " + value + ")";
                case GET: return "get(map " + map + ", " + pick + "/" + seed + ")";
                case SET_IDS: return "setIds(map " + map + ", from " + pick + "/" + seed + ", " + count + " at most)";
                default: return "reopen";
            }
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> map = Arbitraries.integers().between(0, 1);
        Arbitrary<Long> seed = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<Pick> pick = Arbitraries.of(Pick.class);
        Arbitrary<Op> allocate = Combinators.combine(map, Arbitraries.integers().between(1, 40))
                .as((m, n) -> new Op(Kind.ALLOCATE, m, n, Pick.ANY, 0, 0));
        Arbitrary<Op> bulk = Combinators.combine(map, Arbitraries.integers().between(1, 300_000))
                .as((m, n) -> new Op(Kind.ALLOCATE, m, n, Pick.ANY, 0, 0));
        Arbitrary<Op> set = Combinators.combine(map, pick, seed, Arbitraries.longs())
                .as((m, p, s, v) -> new Op(Kind.SET, m, 0, p, s, v));
        Arbitrary<Op> get = Combinators.combine(map, pick, seed)
                .as((m, p, s) -> new Op(Kind.GET, m, 0, p, s, 0));
        Arbitrary<Op> setIds = Combinators.combine(map, pick, seed, Arbitraries.integers().between(1, 1200))
                .as((m, p, s, n) -> new Op(Kind.SET_IDS, m, n, p, s, 0));
        Arbitrary<Op> reopen = Arbitraries.just(new Op(Kind.REOPEN, 0, 0, Pick.ANY, 0, 0));
        return Arbitraries.frequencyOf(
                Tuple.of(8, allocate), Tuple.of(1, bulk), Tuple.of(12, set), Tuple.of(8, get), Tuple.of(4, setIds), Tuple.of(2, reopen))
                .list().ofMaxSize(80);
    }

    /** The id an op means, given the map's next id; -1 when there is none to pick. */
    static long pickId(Pick pick, long seed, long next) {
        long delta = seed % 3 - 1; // -1, 0, +1 around a boundary
        switch (pick) {
            case UNALLOCATED:
                return next + seed % 1000;
            case LEAF_EDGE:
                return next == 0 ? -1 : clamp((seed / 3 % (next / FAN_OUT + 1)) * FAN_OUT + delta, next);
            case DIRECTORY_EDGE:
                return next == 0 ? -1 : clamp((seed / 3 % (next / PER_DIRECTORY + 1)) * PER_DIRECTORY + delta, next);
            default:
                return next == 0 ? -1 : seed % next;
        }
    }

    private static long clamp(long id, long next) {
        return Math.max(0, Math.min(id, next - 1));
    }

    @Property(tries = 150)
    void behavesLikeAModel(@ForAll("ops") List<Op> ops) throws IOException {
        Path dir = Files.createTempDirectory("idmap");
        long[] next = new long[2];
        List<Map<Long, Long>> values = List.of(new HashMap<>(), new HashMap<>());
        Path file = dir.resolve("data.sable");
        Pager pager = Pager.open(file, CONFIG);
        try {
            IdMap[] maps = {IdMap.open(pager, 0), IdMap.open(pager, 1)};
            for (Op op : ops) {
                int m = op.map();
                IdMap map = maps[m];
                switch (op.kind()) {
                    case ALLOCATE:
                        for (int i = 0; i < op.count(); i++) {
                            assertEquals(next[m]++, map.allocate());
                        }
                        break;
                    case SET: {
                        long id = pickId(op.pick(), op.seed(), next[m]);
                        if (id < 0) {
                            break;
                        }
                        if (id >= next[m]) {
                            assertThrows(IllegalArgumentException.class, () -> map.set(id, op.value()));
                        } else {
                            map.set(id, op.value());
                            values.get(m).put(id, op.value());
                        }
                        break;
                    }
                    case GET: {
                        long id = pickId(op.pick(), op.seed(), next[m]);
                        if (id >= 0) {
                            assertEquals(values.get(m).getOrDefault(id, 0L), map.get(id), "id " + id);
                        }
                        break;
                    }
                    case SET_IDS: {
                        long from = Math.max(0, pickId(op.pick(), op.seed(), next[m]));
                        long below = op.seed() % 2 == 0 ? Long.MAX_VALUE : from + op.seed() % 3000;
                        long[] out = new long[op.count()];
                        int n = map.setIds(from, below, out);
                        List<Long> expected = new TreeMap<>(values.get(m)).entrySet().stream()
                                .filter(e -> e.getKey() >= from && e.getKey() < below && e.getValue() != 0)
                                .map(Map.Entry::getKey).limit(op.count()).toList();
                        assertEquals(expected, Arrays.stream(out, 0, n).boxed().toList(), "ids in use from " + from);
                        break;
                    }
                    default:
                        pager.close();
                        pager = Pager.open(file, CONFIG);
                        maps = new IdMap[] {IdMap.open(pager, 0), IdMap.open(pager, 1)};
                        break;
                }
                assertEquals(next[m], maps[m].nextId());
            }
            pager.close();
            pager = Pager.open(file, CONFIG);
            for (int m = 0; m < 2; m++) {
                IdMap map = IdMap.open(pager, m);
                assertEquals(next[m], map.nextId());
                for (Map.Entry<Long, Long> e : values.get(m).entrySet()) {
                    assertEquals(e.getValue(), map.get(e.getKey()), "map " + m + " id " + e.getKey());
                }
                assertEquals(0, map.get(next[m]));
            }
        } finally {
            pager.close();
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
