package dev.sablegraph.gremlin;

import java.util.NoSuchElementException;
import org.apache.tinkerpop.gremlin.structure.Element;
import org.apache.tinkerpop.gremlin.structure.Property;
import org.apache.tinkerpop.gremlin.structure.util.ElementHelper;
import org.apache.tinkerpop.gremlin.structure.util.StringFactory;

/** An edge's property or a vertex property's meta-property: a key and value as they were read. */
final class SableProperty<V> implements Property<V> {
    private final Element owner;
    private final String key;
    private final V value;

    SableProperty(Element owner, String key, V value) {
        this.owner = owner;
        this.key = key;
        this.value = value;
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
    public Element element() {
        return owner;
    }

    @Override
    public void remove() {
        if (owner instanceof SableEdge edge) {
            edge.removeProperty(key);
        } else {
            ((SableVertexProperty<?>) owner).removeMeta(key);
        }
    }

    @Override
    public boolean equals(Object o) {
        return ElementHelper.areEqual(this, o);
    }

    @Override
    public int hashCode() {
        return ElementHelper.hashCode(this);
    }

    @Override
    public String toString() {
        return StringFactory.propertyString(this);
    }
}
