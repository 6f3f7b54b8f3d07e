package dev.sablegraph.gremlin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.tinkerpop.gremlin.structure.Element;
import org.apache.tinkerpop.gremlin.structure.Property;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.structure.VertexProperty;
import org.apache.tinkerpop.gremlin.structure.util.ElementHelper;
import org.apache.tinkerpop.gremlin.structure.util.StringFactory;

/**
 * One value of a vertex key. Its id is fixed by vertex and key for a key's first value and drawn at
 * random for further ones (list and set cardinality); meta-properties live with the value.
 */
final class SableVertexProperty<V> implements VertexProperty<V> {
    private final SableVertex vertex;
    private final String key;
    private final long id;
    private final V value;

    @SuppressWarnings("unchecked")
    SableVertexProperty(SableVertex vertex, String key, StoredProperties.Entry entry) {
        this.vertex = vertex;
        this.key = key;
        this.id = entry.id();
        this.value = (V) entry.value();
    }

    @Override
    public Object id() {
        return id;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public V value() throws NoSuchElementException {
        return value;
    }

    @Override
    public boolean isPresent() {
        return true;
    }

    @Override
    public Vertex element() {
        return vertex;
    }

    private int indexIn(List<StoredProperties.Entry> entries) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).id() == id) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public <U> Property<U> property(String metaKey, U metaValue) {
        ElementHelper.validateProperty(metaKey, metaValue);
        if (metaValue == null) {
            removeMeta(metaKey);
            return Property.empty();
        }
        ValueCodec.encode(metaValue); // refuses an unsupported type before anything is written
        vertex.writeEntries(key, entries -> {
            int i = indexIn(entries);
            if (i < 0) {
                throw SableElement.removed(VertexProperty.class, id);
            }
            StoredProperties.Entry e = entries.get(i);
            Map<String, Object> meta = new LinkedHashMap<>(e.meta());
            meta.put(metaKey, metaValue);
            entries.set(i, new StoredProperties.Entry(e.id(), e.value(), meta));
            return entries;
        });
        return new SableProperty<>(this, metaKey, metaValue);
    }

    /** Removes one meta-property; nothing when it or this vertex property is gone. */
    void removeMeta(String metaKey) {
        vertex.writeEntries(key, entries -> {
            int i = indexIn(entries);
            if (i < 0 || !entries.get(i).meta().containsKey(metaKey)) {
                return null;
            }
            StoredProperties.Entry e = entries.get(i);
            Map<String, Object> meta = new LinkedHashMap<>(e.meta());
            meta.remove(metaKey);
            entries.set(i, new StoredProperties.Entry(e.id(), e.value(), meta));
            return entries;
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public <U> Iterator<Property<U>> properties(String... propertyKeys) {
        List<StoredProperties.Entry> entries = vertex.entries(key);
        int i = indexIn(entries);
        if (i < 0) {
            return Collections.emptyIterator();
        }
        Set<String> wanted = propertyKeys.length == 0 ? null : new java.util.HashSet<>(java.util.Arrays.asList(propertyKeys));
        List<Property<U>> out = new ArrayList<>();
        for (Map.Entry<String, Object> m : entries.get(i).meta().entrySet()) {
            if (wanted == null || wanted.contains(m.getKey())) {
                out.add(new SableProperty<>(this, m.getKey(), (U) m.getValue()));
            }
        }
        return out.iterator();
    }

    @Override
    public void remove() {
        if (vertex.record(vertex.graph.session()) == null) {
            return;
        }
        vertex.writeEntries(key, entries -> {
            int i = indexIn(entries);
            if (i < 0) {
                return null;
            }
            entries.remove(i);
            return entries;
        });
    }

    @Override
    public boolean equals(Object o) {
        return ElementHelper.areEqual(this, o);
    }

    @Override
    public int hashCode() {
        return ElementHelper.hashCode((Element) this);
    }

    @Override
    public String toString() {
        return StringFactory.propertyString(this);
    }
}
