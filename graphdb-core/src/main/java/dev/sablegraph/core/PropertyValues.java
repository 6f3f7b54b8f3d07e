package dev.sablegraph.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that decides what a property value may be. Stored types are {@code String},
 * {@code Boolean}, {@code Long}, {@code Double}, {@code byte[]} and unmodifiable {@code List}s of
 * one of the first four; narrower integers widen to {@code Long} and {@code Float} to
 * {@code Double}, in lists as in single values. Anything else is refused naming the argument.
 */
public final class PropertyValues {
    private PropertyValues() {}

    /**
     * Returns the stored form of {@code value}, or throws naming {@code key}.
     *
     * @param key the property key, named in the message
     * @param value the value as the caller gave it
     * @return the value as it is stored ({@code byte[]} copied, lists unmodifiable)
     * @throws IllegalArgumentException for a null or empty key, a null value, a value of another
     *     type, or a list with a null, mixed or nested element
     */
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
        if (value instanceof List<?> list) {
            return normalizeList(key, list);
        }
        throw new IllegalArgumentException("property value for key '" + key + "' has unsupported type "
                + value.getClass().getName()
                + " (allowed: String, Boolean, Long, Integer, Short, Byte, Double, Float, byte[], List)");
    }

    /** What a list may hold: elements of one kind, each kind stored as one type. */
    private enum ElementKind {
        STRING("String"), BOOLEAN("Boolean"), INTEGRAL("integral (Long, Integer, Short, Byte)"),
        FLOATING("floating (Double, Float)");

        final String description;

        ElementKind(String description) {
            this.description = description;
        }

        /** The kind of a list element, or null when no list may hold it. */
        static ElementKind of(Object element) {
            if (element instanceof String) {
                return STRING;
            } else if (element instanceof Boolean) {
                return BOOLEAN;
            } else if (element instanceof Long || element instanceof Integer || element instanceof Short
                    || element instanceof Byte) {
                return INTEGRAL;
            } else if (element instanceof Double || element instanceof Float) {
                return FLOATING;
            }
            return null;
        }

        Object stored(Object element) {
            return switch (this) {
                case INTEGRAL -> ((Number) element).longValue();
                case FLOATING -> ((Number) element).doubleValue();
                default -> element;
            };
        }
    }

    /**
     * An unmodifiable copy of {@code list} with its elements in their stored types, or an
     * {@link IllegalArgumentException} naming {@code key} and the first element that is null, nested,
     * of an unsupported type or of another kind than the elements before it.
     */
    private static List<Object> normalizeList(String key, List<?> list) {
        List<Object> out = new ArrayList<>(list.size());
        ElementKind kind = null;
        for (Object element : list) {
            int index = out.size();
            if (element == null) {
                throw new IllegalArgumentException("property value for key '" + key + "': list element " + index
                        + " is null");
            }
            if (element instanceof List) {
                throw new IllegalArgumentException("property value for key '" + key + "': list element " + index
                        + " is a list; lists do not nest");
            }
            ElementKind k = ElementKind.of(element);
            if (k == null) {
                throw new IllegalArgumentException("property value for key '" + key + "': list element " + index
                        + " has unsupported type " + element.getClass().getName()
                        + " (a list holds String, Boolean, Long, Integer, Short, Byte, Double or Float)");
            }
            if (kind == null) {
                kind = k;
            } else if (k != kind) {
                throw new IllegalArgumentException("property value for key '" + key + "': list mixes "
                        + kind.description + " and " + k.description + " elements (element " + index
                        + "); a list holds one kind");
            }
            out.add(k.stored(element));
        }
        return List.copyOf(out);
    }

    /**
     * Validates a property key: not null, not empty.
     *
     * @param key the key
     * @return the key
     * @throws IllegalArgumentException when the key is null or empty
     */
    public static String requireKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("property key must not be null");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("property key must not be empty");
        }
        return key;
    }

    /**
     * Normalizes every entry of a caller's map; the result is a fresh mutable map.
     *
     * @param argumentName the name of the argument, for the message when the map is null
     * @param properties the caller's properties
     * @return the stored forms by key
     * @throws IllegalArgumentException as {@link #normalize} does, or when the map is null
     */
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

    /**
     * Equality as lookups promise it: byte arrays by content, everything else by {@code equals}.
     *
     * @param a a stored value, or null
     * @param b another stored value, or null
     * @return whether both are non-null and equal
     */
    public static boolean sameValue(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return java.util.Arrays.equals(x, y);
        }
        return a != null && a.equals(b);
    }

    /**
     * A copy of {@code props} with {@code key} set to an already normalised {@code value}.
     *
     * @param props the properties to copy
     * @param key the key to set
     * @param value the stored form of the value
     * @return a new mutable map
     */
    public static Map<String, Object> with(Map<String, Object> props, String key, Object value) {
        Map<String, Object> m = new HashMap<>(props);
        m.put(key, value);
        return m;
    }

    /**
     * A copy of {@code props} without {@code key}.
     *
     * @param props the properties to copy
     * @param key the key to leave out
     * @return a new mutable map
     */
    public static Map<String, Object> without(Map<String, Object> props, String key) {
        Map<String, Object> m = new HashMap<>(props);
        m.remove(key);
        return m;
    }

    /**
     * The property map a {@link Node} or {@link Edge} keeps: an unmodifiable copy, whose
     * {@code byte[]} values are private copies that reading hands out only as further copies
     * ({@link ArrayCopyingPropertyMap}) and whose lists are unmodifiable. Without arrays or
     * modifiable lists it is a plain {@link Map#copyOf}, which returns a map that already is one as
     * it is: the common case (values the database read, whose lists are unmodifiable already) reads
     * and copies nothing extra.
     */
    static Map<String, Object> immutableCopy(Map<String, Object> properties) {
        if (properties instanceof ArrayCopyingPropertyMap) {
            return properties; // unmodifiable, and its arrays never leave it: share it
        }
        boolean hasArray = false;
        boolean hasModifiableList = false;
        for (Object v : properties.values()) {
            if (v instanceof byte[]) {
                hasArray = true;
            } else if (v instanceof List<?> l && List.copyOf(l) != l) {
                hasModifiableList = true; // copyOf returns an unmodifiable list as it is
            }
        }
        if (!hasArray && !hasModifiableList) {
            return Map.copyOf(properties);
        }
        Map<String, Object> copy = new HashMap<>(properties);
        copy.replaceAll((k, v) -> v instanceof byte[] b ? b.clone() : v instanceof List<?> l ? List.copyOf(l) : v);
        return hasArray ? new ArrayCopyingPropertyMap(Map.copyOf(copy)) : Map.copyOf(copy);
    }
}
