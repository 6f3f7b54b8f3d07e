package dev.sablegraph.stress;

import dev.sablegraph.core.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * The properties of churned {@code Item} nodes. {@code group} (long), {@code tag} (string) and
 * {@code run} (a list) are what the index checks look up; {@code payload} (bytes, sometimes large
 * enough for overflow pages and lz4) always travels with its CRC in {@code crc}, so a torn or
 * mixed-up record shows, as does a {@code run} whose elements are not consecutive.
 */
final class Items {
    static final String GROUP = "group";
    static final String TAG = "tag";
    static final String WEIGHT = "w";
    static final String NAME = "name";
    static final String PAYLOAD = "payload";
    static final String CRC = "crc";
    static final String RUN = "run";
    /** A run starts at 0 to {@code RUN_STARTS - 1} and holds up to {@code MAX_RUN} longs. */
    static final int RUN_STARTS = 8;
    static final int MAX_RUN = 3;

    private Items() {}

    static Map<String, Object> newProperties(SplittableRandom rnd) {
        Map<String, Object> p = new HashMap<>();
        p.put(GROUP, (long) rnd.nextInt(Fixture.GROUPS));
        p.put(TAG, tag(rnd));
        p.put(WEIGHT, rnd.nextLong(1_000));
        if (rnd.nextBoolean()) {
            p.put(NAME, "item-" + rnd.nextInt(1_000_000));
        }
        byte[] payload = payload(rnd);
        p.put(PAYLOAD, payload);
        p.put(CRC, crc(payload));
        p.put(RUN, run(rnd));
        return p;
    }

    /**
     * A list value: 0 to {@link #MAX_RUN} consecutive longs from a small start. Few distinct values
     * (25), so index lookups of whole lists find many items.
     */
    static List<Long> run(SplittableRandom rnd) {
        return run(rnd.nextInt(RUN_STARTS), rnd.nextInt(MAX_RUN + 1));
    }

    private static List<Long> run(long start, int length) {
        List<Long> run = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            run.add(start + i);
        }
        return List.copyOf(run);
    }

    /** Every value {@link #run(SplittableRandom)} can give. */
    static List<List<Long>> allRuns() {
        List<List<Long>> all = new ArrayList<>();
        all.add(List.of());
        for (int start = 0; start < RUN_STARTS; start++) {
            for (int length = 1; length <= MAX_RUN; length++) {
                all.add(run(start, length));
            }
        }
        return all;
    }

    /** Why a run value is not one {@link #run(SplittableRandom)} gives, or null when it is one. */
    private static String runProblem(Object value) {
        if (!(value instanceof List<?> run) || run.size() > MAX_RUN) {
            return "not a list of at most " + MAX_RUN + " elements";
        }
        for (int i = 0; i < run.size(); i++) {
            if (!(run.get(i) instanceof Long l) || l != (Long) run.get(0) + i) {
                return "not consecutive longs";
            }
        }
        return null;
    }

    static String tag(SplittableRandom rnd) {
        return "t" + rnd.nextInt(Fixture.TAGS);
    }

    /**
     * Mostly empty or small; one in ten up to 12 KiB (several pages: overflow records), half of those
     * compressible (lz4 path) and half random (stored raw).
     */
    static byte[] payload(SplittableRandom rnd) {
        int kind = rnd.nextInt(10);
        if (kind < 6) {
            return new byte[0];
        }
        int size = kind < 9 ? 1 + rnd.nextInt(200) : 1 + rnd.nextInt(12 * 1024);
        byte[] b = new byte[size];
        if (rnd.nextBoolean()) {
            rnd.nextBytes(b);
        } else {
            byte[] pattern = new byte[1 + rnd.nextInt(16)];
            rnd.nextBytes(pattern);
            for (int i = 0; i < size; i++) {
                b[i] = pattern[i % pattern.length];
            }
        }
        return b;
    }

    static long crc(byte[] payload) {
        CRC32 c = new CRC32();
        c.update(payload);
        return c.getValue();
    }

    /** Why an item's content is inconsistent, or null when it is fine. */
    static String contentProblem(Node n) {
        Object payload = n.properties().get(PAYLOAD);
        Object crc = n.properties().get(CRC);
        if (!(payload instanceof byte[] bytes) || !(crc instanceof Long expected)) {
            return "item " + n.id() + " lacks a byte[] payload or a long crc: " + describe(n.properties());
        }
        long actual = crc(bytes);
        if (actual != expected) {
            return "item " + n.id() + ": payload of " + bytes.length + " bytes has CRC " + actual + ", stored crc "
                    + expected;
        }
        if (!(n.properties().get(GROUP) instanceof Long) || !(n.properties().get(TAG) instanceof String)) {
            return "item " + n.id() + " lacks group or tag: " + describe(n.properties());
        }
        String badRun = runProblem(n.properties().get(RUN));
        if (badRun != null) {
            return "item " + n.id() + ": run is " + badRun + ": " + describe(n.properties());
        }
        return null;
    }

    /** Properties for messages: byte arrays by length, not identity. */
    static String describe(Map<String, Object> props) {
        Map<String, Object> shown = new java.util.TreeMap<>();
        props.forEach((k, v) -> shown.put(k, v instanceof byte[] b ? "byte[" + b.length + "]"
                + (b.length <= 8 ? Arrays.toString(b) : "") : v));
        return shown.toString();
    }
}
