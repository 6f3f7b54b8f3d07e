package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.PropertyRange;
import dev.sablegraph.core.WriteConflictException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Range queries against an in-memory model, per snapshot: random commits create, change, relabel
 * and delete nodes with number and string values chosen to be hard to order (negative numbers,
 * -0.0, NaN, infinities, Longs beyond 2^53 that round to one double, Doubles equal to Longs,
 * strings sharing long prefixes, characters beyond U+FFFF); snapshots taken along the way and
 * transactions with writes of their own ask random ranges (bounds, inclusivity, order, limit), and
 * every answer must be the model's, in the model's order. The index is created at a random step
 * (or never): queries before it is online, and from snapshots older than it, read the label.
 *
 * <p>The model orders values on its own (BigDecimal for numbers, code point arrays for strings),
 * not with the code under test.
 */
class RangeQueryModelTest {
    private static final String L = "Item";
    private static final String[] KEYS = {"n", "s"};
    private static final Object[] NUMBERS = {0L, -0.0, 0.0, 1L, 1.0, -1L, -1.5, 2.5, 7L, 100L, -100L, Long.MAX_VALUE,
        Long.MIN_VALUE, Long.MAX_VALUE - 1, (1L << 53) + 1, 1L << 53, (double) (1L << 53), 0x1p63, -0x1p63,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1e300, -1e-300};
    private static final String[] STRINGS = {"", "a", "ab", "abc", "abcdefgh", "abcdefgh1", "abcdefgh2",
        "abcdefghij", "abcdefgh\u0000", "b", "z", "\u00e9t\u00e9", "\uffff", "\ud83d\ude00", "\ud83d\ude00x", "ABC",
        "abcdefg", "abcdefgi"};

    /** One node as the model keeps it. */
    private record M(long id, Set<String> labels, Map<String, Object> props) {}

    @Property(tries = 25)
    void rangeQueriesMatchTheModel(@ForAll long seed, @ForAll @IntRange(min = -1, max = 150) int indexAtStep)
            throws IOException {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("range-model");
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, GraphConfig.builder().pageCacheBytes(8 << 20).build())) {
            TreeMap<Long, M> model = new TreeMap<>();
            List<Map.Entry<Transaction, Map<Long, M>>> snapshots = new ArrayList<>();
            for (int step = 0; step < 200; step++) {
                if (step == indexAtStep) {
                    db.createIndex(L, "n");
                    db.createIndex(L, "s");
                }
                if (step == indexAtStep + 20) {
                    assertTrue(db.awaitIndexesOnline(Duration.ofMinutes(1)));
                }
                commitRandomChange(db, rnd, model);
                if (rnd.nextInt(20) == 0) {
                    snapshots.add(Map.entry(db.begin(), copy(model)));
                }
                if (rnd.nextInt(4) == 0) {
                    try (Transaction tx = db.begin()) {
                        checkQuery(tx, model, rnd);
                    }
                }
                if (rnd.nextInt(10) == 0 && !snapshots.isEmpty()) {
                    Map.Entry<Transaction, Map<Long, M>> old = snapshots.get(rnd.nextInt(snapshots.size()));
                    checkQuery(old.getKey(), old.getValue(), rnd);
                }
                if (rnd.nextInt(15) == 0) {
                    ownWritesAreSeen(db, rnd, model);
                }
            }
            for (Map.Entry<Transaction, Map<Long, M>> old : snapshots) {
                for (int q = 0; q < 5; q++) {
                    checkQuery(old.getKey(), old.getValue(), rnd);
                }
                old.getKey().close();
            }
            try (Transaction tx = db.begin()) {
                for (int q = 0; q < 30; q++) {
                    checkQuery(tx, model, rnd);
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    private void commitRandomChange(ConcurrentGraphDB db, Random rnd, TreeMap<Long, M> model) {
        try (Transaction tx = db.begin()) {
            M changed = randomChange(tx, rnd, model);
            tx.commit();
            apply(model, changed);
        } catch (WriteConflictException e) {
            throw new AssertionError("one writer cannot conflict", e);
        }
    }

    /** Makes one change in {@code tx}; returns the node's new state (props null: deleted). */
    private M randomChange(Transaction tx, Random rnd, Map<Long, M> model) {
        List<Long> ids = new ArrayList<>(model.keySet());
        int op = ids.isEmpty() ? 0 : rnd.nextInt(10);
        if (op < 4) {
            Map<String, Object> props = new HashMap<>();
            for (String k : KEYS) {
                if (rnd.nextInt(5) > 0) {
                    props.put(k, value(k, rnd));
                }
            }
            Set<String> labels = rnd.nextInt(6) == 0 ? Set.of("Other") : Set.of(L);
            long id = tx.addNode(labels, props);
            return new M(id, labels, props);
        }
        M m = model.get(ids.get(rnd.nextInt(ids.size())));
        Map<String, Object> props = new HashMap<>(m.props());
        Set<String> labels = new HashSet<>(m.labels());
        String k = KEYS[rnd.nextInt(KEYS.length)];
        switch (op) {
            case 4, 5, 6 -> {
                Object v = value(k, rnd);
                tx.setNodeProperty(m.id(), k, v);
                props.put(k, v);
            }
            case 7 -> {
                tx.removeNodeProperty(m.id(), k);
                props.remove(k);
            }
            case 8 -> {
                if (labels.remove(L)) {
                    tx.removeLabel(m.id(), L);
                } else {
                    labels.add(L);
                    tx.addLabel(m.id(), L);
                }
            }
            default -> {
                tx.deleteNode(m.id());
                return new M(m.id(), null, null);
            }
        }
        return new M(m.id(), labels, props);
    }

    private static Object value(String key, Random rnd) {
        if (key.equals("s") && rnd.nextInt(8) > 0) {
            return STRINGS[rnd.nextInt(STRINGS.length)];
        }
        if (rnd.nextInt(10) == 0) {
            return rnd.nextBoolean();
        }
        return rnd.nextInt(3) == 0 ? (long) rnd.nextInt(50) - 25 : NUMBERS[rnd.nextInt(NUMBERS.length)];
    }

    private static void apply(Map<Long, M> model, M change) {
        if (change.props() == null) {
            model.remove(change.id());
        } else {
            model.put(change.id(), change);
        }
    }

    private static TreeMap<Long, M> copy(Map<Long, M> model) {
        return new TreeMap<>(model);
    }

    /** A transaction with uncommitted writes sees them in its range answers; then it commits or rolls back. */
    private void ownWritesAreSeen(ConcurrentGraphDB db, Random rnd, TreeMap<Long, M> model) {
        TreeMap<Long, M> mine = copy(model);
        try (Transaction tx = db.begin()) {
            for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
                apply(mine, randomChange(tx, rnd, mine));
                checkQuery(tx, mine, rnd);
            }
            if (rnd.nextBoolean()) {
                tx.commit();
                model.clear();
                model.putAll(mine);
            }
        }
    }

    private static void checkQuery(Transaction tx, Map<Long, M> model, Random rnd) {
        String key = KEYS[rnd.nextInt(KEYS.length)];
        int kind = rnd.nextInt(4); // 0 numbers, 1 strings, 2 booleans, 3 unbounded
        Object from = kind == 3 || rnd.nextInt(4) == 0 ? null : bound(kind, rnd);
        Object to = kind == 3 || rnd.nextInt(4) == 0 ? null : bound(kind, rnd);
        PropertyRange r = PropertyRange.on(L, key).from(from, rnd.nextBoolean()).to(to, rnd.nextBoolean());
        if (rnd.nextBoolean()) {
            r = r.descending();
        }
        if (rnd.nextInt(3) == 0) {
            r = r.limit(rnd.nextInt(6));
        }
        PropertyRange range = r;
        List<Long> expected = expected(model, range);
        List<Long> got;
        try (Stream<Node> s = tx.findNodes(range)) {
            got = s.map(Node::id).toList();
        }
        assertEquals(expected, got, () -> range + " over " + describe(model, range.key()));
    }

    private static Object bound(int kind, Random rnd) {
        return switch (kind) {
            case 0 -> rnd.nextInt(3) == 0 ? (Object) ((long) rnd.nextInt(50) - 25) : NUMBERS[rnd.nextInt(NUMBERS.length)];
            case 1 -> STRINGS[rnd.nextInt(STRINGS.length)];
            default -> rnd.nextBoolean();
        };
    }

    private static List<Long> expected(Map<Long, M> model, PropertyRange r) {
        Comparator<Object> values = RangeQueryModelTest::compareValues;
        List<M> hits = new ArrayList<>();
        for (M m : model.values()) {
            Object v = m.props().get(r.key());
            if (!m.labels().contains(L) || v == null || kind(v) < 0) {
                continue;
            }
            Object bound = r.lowerBound() != null ? r.lowerBound() : r.upperBound();
            if (bound != null && kind(bound) != kind(v)) {
                continue;
            }
            if (r.lowerBound() != null) {
                int c = values.compare(v, r.lowerBound());
                if (c < 0 || (c == 0 && !r.lowerInclusive())) {
                    continue;
                }
            }
            if (r.upperBound() != null) {
                int c = values.compare(v, r.upperBound());
                if (c > 0 || (c == 0 && !r.upperInclusive())) {
                    continue;
                }
            }
            hits.add(m);
        }
        Comparator<M> order = Comparator.<M, Object>comparing(m -> m.props().get(r.key()), values)
                .thenComparingLong(M::id);
        hits.sort(r.isDescending() ? order.reversed() : order);
        return hits.stream().limit(r.maxResults()).map(M::id).toList();
    }

    /** 0 numbers, 1 strings, 2 booleans, -1 in no range. */
    private static int kind(Object v) {
        if (v instanceof Long || v instanceof Double) {
            return 0;
        } else if (v instanceof String) {
            return 1;
        } else if (v instanceof Boolean) {
            return 2;
        }
        return -1;
    }

    private static int compareValues(Object a, Object b) {
        int c = Integer.compare(kind(a), kind(b));
        if (c != 0) {
            return c;
        }
        return switch (kind(a)) {
            case 0 -> compareNumbers(a, b);
            case 1 -> Arrays.compare(((String) a).codePoints().toArray(), ((String) b).codePoints().toArray());
            default -> Boolean.compare((Boolean) a, (Boolean) b);
        };
    }

    /** -Infinity, finite numbers by exact value (-0.0 just below 0), +Infinity, NaN. */
    private static int compareNumbers(Object a, Object b) {
        int c = Integer.compare(numberClass(a), numberClass(b));
        if (c != 0 || numberClass(a) != 1) {
            return c;
        }
        c = exact(a).compareTo(exact(b));
        return c != 0 ? c : Boolean.compare(!isNegativeZero(a), !isNegativeZero(b));
    }

    private static int numberClass(Object v) {
        if (v instanceof Double d) {
            if (d.isNaN()) {
                return 3;
            } else if (d.isInfinite()) {
                return d > 0 ? 2 : 0;
            }
        }
        return 1;
    }

    private static BigDecimal exact(Object v) {
        return v instanceof Long l ? BigDecimal.valueOf(l) : new BigDecimal((Double) v);
    }

    private static boolean isNegativeZero(Object v) {
        return v instanceof Double d && Double.doubleToRawLongBits(d) == Long.MIN_VALUE;
    }

    private static String describe(Map<Long, M> model, String key) {
        StringBuilder b = new StringBuilder();
        for (M m : model.values()) {
            b.append(m.id()).append(m.labels()).append('=').append(m.props().get(key)).append(' ');
        }
        return b.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
