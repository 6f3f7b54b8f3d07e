package dev.sablegraph.core;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The property map of a {@link Node} or {@link Edge} that has {@code byte[]} values: unmodifiable,
 * and every way of reading a value ({@code get}, {@code values}, entries, {@code forEach}) hands
 * out a copy of an array. One decoded state is shared by every reader of the caches and version
 * chains, so its arrays must never leave it. Two such maps are equal when their arrays have equal
 * contents; maps without arrays are plain {@link Map#copyOf} maps, read at no extra cost.
 */
final class ArrayCopyingPropertyMap extends AbstractMap<String, Object> {
    /** Unmodifiable; its arrays are private to this map. */
    private final Map<String, Object> values;

    /** Takes {@code values}: unmodifiable, holding arrays that no one else references. */
    ArrayCopyingPropertyMap(Map<String, Object> values) {
        this.values = values;
    }

    private static Object copyOut(Object value) {
        return value instanceof byte[] b ? b.clone() : value;
    }

    @Override
    public int size() {
        return values.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return values.containsKey(key);
    }

    @Override
    public Object get(Object key) {
        return copyOut(values.get(key));
    }

    @Override
    public boolean containsValue(Object value) {
        for (Object v : values.values()) {
            if (PropertyValues.sameValue(v, value)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        values.forEach((k, v) -> action.accept(k, copyOut(v)));
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return values.size();
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                Iterator<Entry<String, Object>> it = values.entrySet().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        Entry<String, Object> e = it.next();
                        return new SimpleImmutableEntry<>(e.getKey(), copyOut(e.getValue()));
                    }
                };
            }
        };
    }

    /** Equal to another such map with the same keys and equal values, arrays compared by content. */
    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof ArrayCopyingPropertyMap other) || other.values.size() != values.size()) {
            return false; // any other map's array can only be another array instance: never equal
        }
        for (Entry<String, Object> e : values.entrySet()) {
            if (!PropertyValues.sameValue(e.getValue(), other.values.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Entry<String, Object> e : values.entrySet()) {
            Object v = e.getValue();
            h += e.getKey().hashCode() ^ (v instanceof byte[] b ? Arrays.hashCode(b) : v.hashCode());
        }
        return h;
    }
}
