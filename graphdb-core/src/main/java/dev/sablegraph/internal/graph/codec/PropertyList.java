package dev.sablegraph.internal.graph.codec;

import java.util.Arrays;

/**
 * An immutable list of (key token, value) pairs, at most one per key, in insertion order. Small:
 * linear search beats hashing for the handful of properties a typical entity has.
 */
public final class PropertyList {
    public static final PropertyList EMPTY = new PropertyList(new int[0], new Object[0]);

    private final int[] keys;
    private final Object[] values;

    PropertyList(int[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    public int size() {
        return keys.length;
    }

    public int key(int i) {
        return keys[i];
    }

    public Object value(int i) {
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
    public Object get(int key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    public PropertyList with(int key, Object value) {
        int i = indexOf(key);
        if (i >= 0) {
            Object[] v = values.clone();
            v[i] = value;
            return new PropertyList(keys, v);
        }
        if (keys.length >= RecordBuffer.MAX_COUNT) {
            throw new IllegalArgumentException("an entity holds at most " + RecordBuffer.MAX_COUNT + " properties");
        }
        int[] k = Arrays.copyOf(keys, keys.length + 1);
        Object[] v = Arrays.copyOf(values, values.length + 1);
        k[keys.length] = key;
        v[values.length] = value;
        return new PropertyList(k, v);
    }

    public PropertyList without(int key) {
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
}
