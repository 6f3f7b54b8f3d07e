package dev.sablegraph.gremlin;

import dev.sablegraph.core.EntityNotFoundException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.tinkerpop.gremlin.structure.Direction;
import org.apache.tinkerpop.gremlin.structure.Edge;
import org.apache.tinkerpop.gremlin.structure.Element;
import org.apache.tinkerpop.gremlin.structure.Property;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.structure.util.ElementHelper;
import org.apache.tinkerpop.gremlin.structure.util.StringFactory;

/** A Sable edge as a TinkerPop edge: its label is the edge's type. */
final class SableEdge extends SableElement<dev.sablegraph.core.Edge> implements Edge {
    private long from = -1;
    private long to = -1;
    private String label;

    SableEdge(SableGraph graph, long id) {
        super(graph, id);
    }

    SableEdge(SableGraph graph, dev.sablegraph.core.Edge edge, Session s) {
        super(graph, edge.id());
        remember(edge, s);
        known(edge);
    }

    private void known(dev.sablegraph.core.Edge e) {
        this.from = e.from();
        this.to = e.to();
        this.label = e.type();
    }

    @Override
    dev.sablegraph.core.Edge read(Session s) {
        return s.tx.getEdge(id).orElse(null);
    }

    @Override
    Class<? extends Element> kind() {
        return Edge.class;
    }

    private void ensureKnown() {
        if (label == null) {
            known(existing(graph.session()));
        }
    }

    @Override
    public String label() {
        ensureKnown();
        return label;
    }

    @Override
    public Vertex outVertex() {
        ensureKnown();
        return new SableVertex(graph, from);
    }

    @Override
    public Vertex inVertex() {
        ensureKnown();
        return new SableVertex(graph, to);
    }

    @Override
    public Iterator<Vertex> vertices(Direction direction) {
        return switch (direction) {
            case OUT -> List.of(outVertex()).iterator();
            case IN -> List.of(inVertex()).iterator();
            default -> List.of(outVertex(), inVertex()).iterator();
        };
    }

    @Override
    public <V> Property<V> property(String key, V value) {
        ElementHelper.validateProperty(key, value);
        Session s = graph.session();
        Map<String, Object> raw = existing(s).properties();
        if (value == null) {
            // null values are not stored: a null removes the key
            StoredProperties.writeEdgeValue(s, id, raw, key, null);
            return Property.empty();
        }
        StoredProperties.writeEdgeValue(s, id, raw, key, value);
        return new SableProperty<>(this, key, value);
    }

    @Override
    public <V> Property<V> property(String key) {
        dev.sablegraph.core.Edge e = record(graph.session());
        if (e == null || StoredProperties.isReserved(key) || !e.properties().containsKey(key)) {
            return Property.empty();
        }
        Map<String, Object> raw = e.properties();
        @SuppressWarnings("unchecked")
        V v = (V) StoredProperties.value(raw, StoredProperties.tags(raw), key);
        return new SableProperty<>(this, key, v);
    }

    @Override
    public <V> Iterator<Property<V>> properties(String... propertyKeys) {
        dev.sablegraph.core.Edge e = record(graph.session());
        if (e == null) {
            return Collections.emptyIterator();
        }
        Map<String, Object> raw = e.properties();
        Map<String, String> tags = StoredProperties.tags(raw);
        Iterable<String> keys = propertyKeys.length == 0 ? StoredProperties.keys(raw)
                : new LinkedHashSet<>(java.util.Arrays.asList(propertyKeys));
        List<Property<V>> out = new ArrayList<>();
        for (String k : keys) {
            if (k != null && !StoredProperties.isReserved(k) && raw.containsKey(k)) {
                @SuppressWarnings("unchecked")
                V v = (V) StoredProperties.value(raw, tags, k);
                out.add(new SableProperty<>(this, k, v));
            }
        }
        return out.iterator();
    }

    @Override
    public Set<String> keys() {
        dev.sablegraph.core.Edge e = record(graph.session());
        return e == null ? Set.of() : new LinkedHashSet<>(StoredProperties.keys(e.properties()));
    }

    /** Removes one key; nothing when the edge or the key is gone. */
    void removeProperty(String key) {
        Session s = graph.session();
        dev.sablegraph.core.Edge e = record(s);
        if (e != null && e.properties().containsKey(key)) {
            StoredProperties.writeEdgeValue(s, id, e.properties(), key, null);
        }
    }

    @Override
    public void remove() {
        Session s = graph.session();
        try {
            s.tx.deleteEdge(id);
        } catch (EntityNotFoundException e) {
            throw SableElement.removed(Edge.class, id);
        } finally {
            s.wrote();
        }
    }

    @Override
    public String toString() {
        return StringFactory.edgeString(this);
    }
}
