package dev.sablegraph.internal.graph;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * An immutable list of (key token, value) pairs, at most one per key, in insertion order. Small:
 * linear search beats hashing for the handful of properties a typical entity has.
 */
final class PropertyList {
    static final PropertyList EMPTY = new PropertyList(new int[0], new Object[0]);

    private final int[] keys;
    private final Object[] values;

    PropertyList(int[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    int size() {
        return keys.length;
    }

    int key(int i) {
        return keys[i];
    }

    Object value(int i) {
        return values[i];
    }

    private int indexOf(int key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == key) {
                return i;
            }
        }
        return -1;
    }

    /** The value for a key token, or null. */
    Object get(int key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    PropertyList with(int key, Object value) {
        int i = indexOf(key);
        if (i >= 0) {
            Object[] v = values.clone();
            v[i] = value;
            return new PropertyList(keys, v);
        }
        if (keys.length >= Limits.MAX_PROPERTIES) {
            throw new IllegalArgumentException("an entity holds at most " + Limits.MAX_PROPERTIES + " properties");
        }
        int[] k = Arrays.copyOf(keys, keys.length + 1);
        Object[] v = Arrays.copyOf(values, values.length + 1);
        k[keys.length] = key;
        v[values.length] = value;
        return new PropertyList(k, v);
    }

    PropertyList without(int key) {
        int i = indexOf(key);
        if (i < 0) {
            return this;
        }
        int[] k = new int[keys.length - 1];
        Object[] v = new Object[values.length - 1];
        System.arraycopy(keys, 0, k, 0, i);
        System.arraycopy(keys, i + 1, k, i, keys.length - i - 1);
        System.arraycopy(values, 0, v, 0, i);
        System.arraycopy(values, i + 1, v, i, values.length - i - 1);
        return new PropertyList(k, v);
    }

    /** The caller-facing map; byte arrays are copied so callers never share ours. */
    Map<String, Object> toMap(Tokens tokens) {
        if (keys.length == 0) {
            return Map.of();
        }
        Map<String, Object> m = new HashMap<>(keys.length * 2);
        for (int i = 0; i < keys.length; i++) {
            Object v = values[i];
            m.put(tokens.name(TokenKind.PROPERTY_KEY, keys[i]), v instanceof byte[] b ? b.clone() : v);
        }
        return Map.copyOf(m);
    }
}
