package dev.sablegraph.gremlin;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.tinkerpop.gremlin.structure.Property;
import org.apache.tinkerpop.gremlin.structure.io.graphson.GraphSONMapper;
import org.apache.tinkerpop.gremlin.structure.io.graphson.GraphSONVersion;
import org.apache.tinkerpop.gremlin.structure.io.graphson.GraphSONXModuleV3;
import org.apache.tinkerpop.shaded.jackson.core.JsonProcessingException;
import org.apache.tinkerpop.shaded.jackson.databind.ObjectMapper;

/**
 * Turns a value given through Gremlin into what the engine stores plus a type tag, and back, so that
 * a value reads back through Gremlin with the Java type it was given in. The engine stores
 * {@code String}, {@code Boolean}, {@code Long}, {@code Double}, {@code byte[]} and uniform lists of
 * the first four; those need no tag. Every other type is stored in the nearest engine type (what the
 * plain Transaction API then sees) and tagged. The tags and their stored forms are listed in
 * docs/gremlin.md; this class is the one place that defines them.
 */
final class ValueCodec {
    /** Tag of a value kept as typed GraphSON 3 text (maps, sets, mixed or nested lists, ...). */
    static final String GRAPHSON = "g";

    /** GraphSON 3 with its extension types (Short, Byte, BigDecimal, Char, java.time, ...). */
    private static final ObjectMapper GRAPHSON_MAPPER = GraphSONMapper.build().version(GraphSONVersion.V3_0)
            .addCustomModule(GraphSONXModuleV3.build()).create().createMapper();

    private ValueCodec() {}

    /** A stored value and its tag; {@code tag == null} when the stored value reads back as it is. */
    record Encoded(Object stored, String tag) {}

    /**
     * The stored form of a Gremlin value. Refuses, before anything is written, a value no tag can
     * carry, with TinkerPop's "data type not supported" exception.
     */
    static Encoded encode(Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Double
                || value instanceof byte[]) {
            return new Encoded(value, null);
        }
        if (value instanceof Integer i) {
            return new Encoded(i.longValue(), "i");
        }
        if (value instanceof Short s) {
            return new Encoded(s.longValue(), "s");
        }
        if (value instanceof Byte b) {
            return new Encoded(b.longValue(), "b");
        }
        if (value instanceof Float f) {
            return new Encoded(f.doubleValue(), "f");
        }
        if (value instanceof BigInteger || value instanceof BigDecimal) {
            // Stored as the number it is, exactly as a Long where it is integral and fits, else as the
            // nearest Double (so index lookups by any numeric type find it); the tag keeps the exact text.
            String prefix = value instanceof BigInteger ? "B:" : "D:";
            return new Encoded(numericStoredForm((Number) value), prefix + value);
        }
        if (value instanceof Character c) {
            return new Encoded(c.toString(), "c");
        }
        if (value instanceof UUID u) {
            return new Encoded(u.toString(), "u");
        }
        if (value instanceof OffsetDateTime t) {
            return new Encoded(t.toString(), "t");
        }
        if (value instanceof int[] a) {
            List<Object> l = new ArrayList<>(a.length);
            for (int x : a) {
                l.add((long) x);
            }
            return new Encoded(List.copyOf(l), "[i");
        }
        if (value instanceof long[] a) {
            List<Object> l = new ArrayList<>(a.length);
            for (long x : a) {
                l.add(x);
            }
            return new Encoded(List.copyOf(l), "[j");
        }
        if (value instanceof double[] a) {
            List<Object> l = new ArrayList<>(a.length);
            for (double x : a) {
                l.add(x);
            }
            return new Encoded(List.copyOf(l), "[d");
        }
        if (value instanceof float[] a) {
            List<Object> l = new ArrayList<>(a.length);
            for (float x : a) {
                l.add((double) x);
            }
            return new Encoded(List.copyOf(l), "[f");
        }
        if (value instanceof boolean[] a) {
            List<Object> l = new ArrayList<>(a.length);
            for (boolean x : a) {
                l.add(x);
            }
            return new Encoded(List.copyOf(l), "[z");
        }
        if (value instanceof String[] a) {
            for (String s : a) {
                if (s == null) {
                    return graphson(value);
                }
            }
            return new Encoded(List.of((Object[]) a), "[s");
        }
        if (value instanceof List<?> list) {
            return encodeList(list);
        }
        if (value instanceof Map || value instanceof Collection || value instanceof Date
                || value instanceof Temporal || value instanceof TemporalAmount) {
            return graphson(value);
        }
        throw Property.Exceptions.dataTypeOfPropertyValueNotSupported(value);
    }

    /** A list of one of the engine's element types stays a list; Integer/Short/Byte/Float lists are tagged. */
    private static Encoded encodeList(List<?> list) {
        if (list.isEmpty()) {
            return new Encoded(List.of(), null);
        }
        Class<?> type = list.get(0) == null ? null : list.get(0).getClass();
        for (Object e : list) {
            if (e == null || e.getClass() != type) {
                return graphson(list);
            }
        }
        if (type == String.class || type == Boolean.class || type == Long.class || type == Double.class) {
            return new Encoded(List.copyOf(list), null);
        }
        String tag = type == Integer.class ? "Li" : type == Short.class ? "Ls" : type == Byte.class ? "Lb"
                : type == Float.class ? "Lf" : null;
        if (tag == null) {
            return graphson(list);
        }
        List<Object> stored = new ArrayList<>(list.size());
        for (Object e : list) {
            stored.add(type == Float.class ? (Object) ((Float) e).doubleValue() : (Object) ((Number) e).longValue());
        }
        return new Encoded(List.copyOf(stored), tag);
    }

    private static Encoded graphson(Object value) {
        return new Encoded(toGraphSON(value), GRAPHSON);
    }

    /** Typed GraphSON 3 text of any value GraphSON can carry. */
    static String toGraphSON(Object value) {
        try {
            return GRAPHSON_MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw Property.Exceptions.dataTypeOfPropertyValueNotSupported(value, e);
        }
    }

    /** The value of typed GraphSON 3 text, with the Java types it was written with. */
    static Object fromGraphSON(String text) {
        try {
            return GRAPHSON_MAPPER.readValue(text, Object.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored GraphSON value does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * The Gremlin value of a stored value and its tag. An unknown tag, or a stored value that does not
     * fit its tag (written through the plain API), reads as the stored value itself.
     */
    static Object decode(Object stored, String tag) {
        if (tag == null) {
            // The engine hands out immutable JDK lists; Gryo (and callers that modify) need an ArrayList.
            return stored instanceof List<?> list ? new ArrayList<>(list) : stored;
        }
        try {
            switch (tag) {
                case "i": return ((Long) stored).intValue();
                case "s": return ((Long) stored).shortValue();
                case "b": return ((Long) stored).byteValue();
                case "f": return ((Double) stored).floatValue();
                case "c": return ((String) stored).charAt(0);
                case "u": return UUID.fromString((String) stored);
                case "t": return OffsetDateTime.parse((String) stored);
                case "[i": return toIntArray((List<?>) stored);
                case "[j": return toLongArray((List<?>) stored);
                case "[d": return toDoubleArray((List<?>) stored);
                case "[f": return toFloatArray((List<?>) stored);
                case "[z": return toBooleanArray((List<?>) stored);
                case "[s": return ((List<?>) stored).toArray(new String[0]);
                case "Li": return mapList((List<?>) stored, e -> ((Long) e).intValue());
                case "Ls": return mapList((List<?>) stored, e -> ((Long) e).shortValue());
                case "Lb": return mapList((List<?>) stored, e -> ((Long) e).byteValue());
                case "Lf": return mapList((List<?>) stored, e -> ((Double) e).floatValue());
                case GRAPHSON: return fromGraphSON((String) stored);
                default:
                    if (tag.startsWith("B:")) {
                        return new BigInteger(tag.substring(2));
                    }
                    if (tag.startsWith("D:")) {
                        return new BigDecimal(tag.substring(2));
                    }
                    return stored;
            }
        } catch (ClassCastException | IllegalArgumentException | IndexOutOfBoundsException e) {
            return stored;
        }
    }

    /** The stored form of a number: a Long when it is integral and fits, else its nearest Double. */
    static Object numericStoredForm(Number n) {
        Long exact = exactLong(n);
        return exact != null ? exact : (Object) n.doubleValue();
    }

    /** {@code n} as a long when it is exactly one, else null. */
    static Long exactLong(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return n.longValue();
        }
        try {
            BigDecimal d = n instanceof BigDecimal bd ? bd : n instanceof BigInteger bi ? new BigDecimal(bi)
                    : n instanceof Double || n instanceof Float ? (Double.isFinite(n.doubleValue())
                            ? new BigDecimal(n.doubleValue()) : null) : new BigDecimal(n.toString());
            return d == null ? null : d.longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    private static List<Object> mapList(List<?> stored, java.util.function.Function<Object, Object> f) {
        List<Object> out = new ArrayList<>(stored.size());
        for (Object e : stored) {
            out.add(f.apply(e));
        }
        return out;
    }

    private static int[] toIntArray(List<?> l) {
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((Long) l.get(i)).intValue();
        }
        return a;
    }

    private static long[] toLongArray(List<?> l) {
        long[] a = new long[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (Long) l.get(i);
        }
        return a;
    }

    private static double[] toDoubleArray(List<?> l) {
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (Double) l.get(i);
        }
        return a;
    }

    private static float[] toFloatArray(List<?> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((Double) l.get(i)).floatValue();
        }
        return a;
    }

    private static boolean[] toBooleanArray(List<?> l) {
        boolean[] a = new boolean[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (Boolean) l.get(i);
        }
        return a;
    }
}
