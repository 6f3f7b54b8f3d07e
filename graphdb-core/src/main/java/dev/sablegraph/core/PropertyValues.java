package dev.sablegraph.core;

import java.util.HashMap;
import java.util.Map;

/**
 * The one place that decides what a property value may be. Stored types are {@code String},
 * {@code Boolean}, {@code Long}, {@code Double} and {@code byte[]}; narrower integers widen to
 * {@code Long} and {@code Float} to {@code Double}. Anything else is refused naming the argument.
 */
public final class PropertyValues {
    private PropertyValues() {}

    /** Returns the stored form of {@code value}, or throws naming {@code key}. */
    public static Object normalize(String key, Object value) {
        requireKey(key);
        if (value == null) {
            throw new IllegalArgumentException("property value for key '" + key + "' must not be null");
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        throw new IllegalArgumentException("property value for key '" + key + "' has unsupported type "
                + value.getClass().getName()
                + " (allowed: String, Boolean, Long, Integer, Short, Byte, Double, Float, byte[])");
    }

    /** Validates a property key: not null, not empty. */
    public static String requireKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("property key must not be null");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("property key must not be empty");
        }
        return key;
    }

    /** Normalizes every entry of a caller's map; the result is a fresh mutable map. */
    public static Map<String, Object> normalizeAll(String argumentName, Map<String, ?> properties) {
        if (properties == null) {
            throw new IllegalArgumentException(argumentName + " must not be null");
        }
        Map<String, Object> out = new HashMap<>(Math.max(4, properties.size() * 2));
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            out.put(requireKey(e.getKey()), normalize(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** Equality as lookups promise it: byte arrays by content, everything else by {@code equals}. */
    public static boolean sameValue(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return java.util.Arrays.equals(x, y);
        }
        return a != null && a.equals(b);
    }

    /** A copy of {@code props} with {@code key} set to an already normalised {@code value}. */
    public static Map<String, Object> with(Map<String, Object> props, String key, Object value) {
        Map<String, Object> m = new HashMap<>(props);
        m.put(key, value);
        return m;
    }

    /** A copy of {@code props} without {@code key}. */
    public static Map<String, Object> without(Map<String, Object> props, String key) {
        Map<String, Object> m = new HashMap<>(props);
        m.remove(key);
        return m;
    }

    /**
     * The property map a {@link Node} or {@link Edge} keeps: an unmodifiable copy, whose
     * {@code byte[]} values are private copies that reading hands out only as further copies
     * ({@link ArrayCopyingPropertyMap}). Without arrays it is a plain {@link Map#copyOf}, which
     * returns a map that already is one as it is: the common case reads and copies nothing extra.
     */
    static Map<String, Object> immutableCopy(Map<String, Object> properties) {
        if (properties instanceof ArrayCopyingPropertyMap) {
            return properties; // unmodifiable, and its arrays never leave it: share it
        }
        boolean hasArray = false;
        for (Object v : properties.values()) {
            if (v instanceof byte[]) {
                hasArray = true;
                break;
            }
        }
        if (!hasArray) {
            return Map.copyOf(properties);
        }
        Map<String, Object> copy = new HashMap<>(properties);
        copy.replaceAll((k, v) -> v instanceof byte[] b ? b.clone() : v);
        return new ArrayCopyingPropertyMap(Map.copyOf(copy));
    }
}
