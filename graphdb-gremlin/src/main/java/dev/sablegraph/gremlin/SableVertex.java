package dev.sablegraph.gremlin;

import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.tinkerpop.gremlin.structure.Direction;
import org.apache.tinkerpop.gremlin.structure.Edge;
import org.apache.tinkerpop.gremlin.structure.Element;
import org.apache.tinkerpop.gremlin.structure.T;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.structure.VertexProperty;
import org.apache.tinkerpop.gremlin.structure.util.ElementHelper;
import org.apache.tinkerpop.gremlin.structure.util.StringFactory;

/**
 * A Sable node as a TinkerPop vertex. Its label is the node's one label; a node with several labels
 * (written through the plain API) shows them sorted and joined by {@code ::}, one with none shows
 * {@code vertex}. Labels starting with {@code ~} are reserved and never shown.
 */
final class SableVertex extends SableElement<Node> implements Vertex {
    /** Joins the labels of a node with several of them into one TinkerPop label. */
    static final String LABEL_DELIMITER = "::";

    private String label;

    SableVertex(SableGraph graph, long id) {
        super(graph, id);
    }

    SableVertex(SableGraph graph, Node node, Session s) {
        super(graph, node.id());
        remember(node, s);
    }

    @Override
    Node read(Session s) {
        return s.tx.getNode(id).orElse(null);
    }

    @Override
    Class<? extends Element> kind() {
        return Vertex.class;
    }

    /** The TinkerPop label of a set of Sable labels. */
    static String labelOf(Set<String> labels) {
        if (labels.size() == 1) {
            String only = labels.iterator().next();
            return StoredProperties.isReserved(only) ? Vertex.DEFAULT_LABEL : only;
        }
        Set<String> shown = new TreeSet<>();
        for (String l : labels) {
            if (!StoredProperties.isReserved(l)) {
                shown.add(l);
            }
        }
        return shown.isEmpty() ? Vertex.DEFAULT_LABEL : String.join(LABEL_DELIMITER, shown);
    }

    @Override
    public String label() {
        if (label == null) {
            label = labelOf(existing(graph.session()).labels());
        }
        return label;
    }

    @Override
    public Edge addEdge(String label, Vertex inVertex, Object... keyValues) {
        if (inVertex == null) {
            throw org.apache.tinkerpop.gremlin.structure.Graph.Exceptions.argumentCanNotBeNull("inVertex");
        }
        return graph.addEdge(this, inVertex, label, keyValues);
    }

    @Override
    public <V> VertexProperty<V> property(String key) {
        Session s = graph.session();
        Node n = record(s);
        if (n == null || StoredProperties.isReserved(key) || !n.properties().containsKey(key)) {
            return VertexProperty.empty();
        }
        Map<String, Object> raw = n.properties();
        List<StoredProperties.Entry> entries = StoredProperties.entries(id, raw, StoredProperties.tags(raw), key);
        if (entries.size() > 1) {
            throw Vertex.Exceptions.multiplePropertiesExistForProvidedKey(key);
        }
        return entries.isEmpty() ? VertexProperty.empty() : new SableVertexProperty<>(this, key, entries.get(0));
    }

    @Override
    public <V> VertexProperty<V> property(VertexProperty.Cardinality cardinality, String key, V value,
            Object... keyValues) {
        ElementHelper.legalPropertyKeyValueArray(keyValues);
        ElementHelper.validateProperty(key, value);
        VertexProperty.Cardinality card = cardinality != null ? cardinality
                : graph.features().vertex().getCardinality(key);
        if (value == null) {
            // null values are not stored: for single cardinality a null removes the key
            if (card == VertexProperty.Cardinality.single) {
                properties(key).forEachRemaining(VertexProperty::remove);
            }
            return VertexProperty.empty();
        }
        if (ElementHelper.getIdValue(keyValues).isPresent()) {
            throw VertexProperty.Exceptions.userSuppliedIdsNotSupported();
        }
        Map<String, Object> meta = metaOf(keyValues);
        Session s = graph.session();
        Map<String, Object> raw = existing(s).properties();
        List<StoredProperties.Entry> entries = new ArrayList<>(
                StoredProperties.entries(id, raw, StoredProperties.tags(raw), key));
        StoredProperties.Entry added;
        if (card == VertexProperty.Cardinality.single) {
            added = new StoredProperties.Entry(StoredProperties.plainId(id, key), value, meta);
            entries = List.of(added);
        } else {
            if (card == VertexProperty.Cardinality.set) {
                for (int i = 0; i < entries.size(); i++) {
                    StoredProperties.Entry e = entries.get(i);
                    if (Objects.equals(e.value(), value)) {
                        if (meta.isEmpty()) {
                            return new SableVertexProperty<>(this, key, e);
                        }
                        Map<String, Object> merged = new java.util.LinkedHashMap<>(e.meta());
                        merged.putAll(meta);
                        added = new StoredProperties.Entry(e.id(), e.value(), merged);
                        entries.set(i, added);
                        StoredProperties.writeEntries(s, id, raw, key, entries);
                        return new SableVertexProperty<>(this, key, added);
                    }
                }
            }
            long pid = entries.isEmpty() ? StoredProperties.plainId(id, key)
                    : ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            added = new StoredProperties.Entry(pid, value, meta);
            entries.add(added);
        }
        StoredProperties.writeEntries(s, id, raw, key, entries);
        return new SableVertexProperty<>(this, key, added);
    }

    /** The meta-properties given with a vertex property, validated. */
    static Map<String, Object> metaOf(Object... keyValues) {
        if (keyValues.length == 0) {
            return Map.of();
        }
        Map<String, Object> meta = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i] instanceof T) {
                continue; // T.id was refused before; T.label means nothing on a vertex property
            }
            String k = (String) keyValues[i];
            ElementHelper.validateProperty(k, keyValues[i + 1]);
            if (keyValues[i + 1] != null) {
                meta.put(k, keyValues[i + 1]);
            }
        }
        return meta;
    }

    /** Writes the entries of one key (see {@link StoredProperties#writeEntries}). */
    void writeEntries(String key, java.util.function.UnaryOperator<List<StoredProperties.Entry>> change) {
        Session s = graph.session();
        Map<String, Object> raw = existing(s).properties();
        List<StoredProperties.Entry> before = StoredProperties.entries(id, raw, StoredProperties.tags(raw), key);
        List<StoredProperties.Entry> after = change.apply(new ArrayList<>(before));
        if (after != null) {
            StoredProperties.writeEntries(s, id, raw, key, after);
        }
    }

    /** The current entries of one key; empty when the vertex is gone. */
    List<StoredProperties.Entry> entries(String key) {
        Node n = record(graph.session());
        if (n == null) {
            return List.of();
        }
        Map<String, Object> raw = n.properties();
        return StoredProperties.entries(id, raw, StoredProperties.tags(raw), key);
    }

    @Override
    public <V> Iterator<VertexProperty<V>> properties(String... propertyKeys) {
        Node n = record(graph.session());
        if (n == null) {
            return Collections.emptyIterator();
        }
        Map<String, Object> raw = n.properties();
        Map<String, String> tags = StoredProperties.tags(raw);
        Iterable<String> keys;
        if (propertyKeys.length == 0) {
            keys = StoredProperties.keys(raw);
        } else {
            Set<String> wanted = new LinkedHashSet<>(java.util.Arrays.asList(propertyKeys));
            wanted.removeIf(k -> k == null || StoredProperties.isReserved(k) || !raw.containsKey(k));
            keys = wanted;
        }
        List<VertexProperty<V>> out = new ArrayList<>();
        for (String k : keys) {
            for (StoredProperties.Entry e : StoredProperties.entries(id, raw, tags, k)) {
                out.add(new SableVertexProperty<>(this, k, e));
            }
        }
        return out.iterator();
    }

    @Override
    public Set<String> keys() {
        Node n = record(graph.session());
        return n == null ? Set.of() : new LinkedHashSet<>(StoredProperties.keys(n.properties()));
    }

    @Override
    public Iterator<Edge> edges(Direction direction, String... edgeLabels) {
        Session s = graph.session();
        return edgeStream(s, direction, edgeLabels).map(e -> (Edge) new SableEdge(graph, e, s)).iterator();
    }

    @Override
    public Iterator<Vertex> vertices(Direction direction, String... edgeLabels) {
        Session s = graph.session();
        if (direction == Direction.BOTH) {
            return Stream.concat(
                    edgeStream(s, Direction.OUT, edgeLabels).map(e -> (Vertex) new SableVertex(graph, e.to())),
                    edgeStream(s, Direction.IN, edgeLabels).map(e -> (Vertex) new SableVertex(graph, e.from())))
                    .iterator();
        }
        boolean out = direction == Direction.OUT;
        return edgeStream(s, direction, edgeLabels)
                .map(e -> (Vertex) new SableVertex(graph, out ? e.to() : e.from())).iterator();
    }

    /**
     * How many edges {@link #edgeStream} would list, from the counts Sable keeps per node and edge
     * type: no edge is read. BOTH is outgoing plus incoming, so a self-loop counts twice, as there.
     */
    long degree(Direction direction, String... labels) {
        if (direction == Direction.BOTH) {
            return degree(Direction.OUT, labels) + degree(Direction.IN, labels);
        }
        Session s = graph.session();
        dev.sablegraph.core.Direction d = direction == Direction.OUT ? dev.sablegraph.core.Direction.OUTGOING
                : dev.sablegraph.core.Direction.INCOMING;
        if (labels.length == 0) {
            return s.tx.degree(id, d, null);
        }
        long n = 0;
        for (String label : new LinkedHashSet<>(java.util.Arrays.asList(labels))) {
            if (!label.isEmpty()) {
                n += s.tx.degree(id, d, label);
            }
        }
        return n;
    }

    /**
     * The edges at this vertex, each label looked up in the adjacency by type. BOTH lists the
     * outgoing edges, then the incoming ones, so a self-loop appears twice, as TinkerPop expects.
     */
    Stream<dev.sablegraph.core.Edge> edgeStream(Session s, Direction direction, String... labels) {
        if (direction == Direction.BOTH) {
            return Stream.concat(edgeStream(s, Direction.OUT, labels), edgeStream(s, Direction.IN, labels));
        }
        dev.sablegraph.core.Direction d = direction == Direction.OUT ? dev.sablegraph.core.Direction.OUTGOING
                : dev.sablegraph.core.Direction.INCOMING;
        if (labels.length == 0) {
            return s.tx.streamEdges(id, d, null);
        }
        if (labels.length == 1) {
            return labels[0].isEmpty() ? Stream.empty() : s.tx.streamEdges(id, d, labels[0]);
        }
        return new LinkedHashSet<>(java.util.Arrays.asList(labels)).stream().filter(l -> !l.isEmpty())
                .flatMap(l -> s.tx.streamEdges(id, d, l));
    }

    @Override
    public void remove() {
        Session s = graph.session();
        existing(s);
        try {
            List<dev.sablegraph.core.Edge> edges = s.tx.edges(id, dev.sablegraph.core.Direction.BOTH, null);
            for (dev.sablegraph.core.Edge e : edges) {
                s.tx.deleteEdge(e.id());
            }
            s.tx.deleteNode(id);
        } catch (EntityNotFoundException e) {
            throw SableElement.removed(Vertex.class, id);
        } finally {
            s.wrote();
        }
    }

    @Override
    public String toString() {
        return StringFactory.vertexString(this);
    }
}
