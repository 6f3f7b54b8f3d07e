package dev.sablegraph.gremlin;

import dev.sablegraph.core.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.tinkerpop.gremlin.process.traversal.Compare;
import org.apache.tinkerpop.gremlin.process.traversal.Contains;
import org.apache.tinkerpop.gremlin.process.traversal.P;
import org.apache.tinkerpop.gremlin.process.traversal.step.HasContainerHolder;
import org.apache.tinkerpop.gremlin.process.traversal.step.map.GraphStep;
import org.apache.tinkerpop.gremlin.process.traversal.step.map.GraphStepContract;
import org.apache.tinkerpop.gremlin.process.traversal.step.util.HasContainer;
import org.apache.tinkerpop.gremlin.process.traversal.util.AndP;
import org.apache.tinkerpop.gremlin.structure.Edge;
import org.apache.tinkerpop.gremlin.structure.Element;
import org.apache.tinkerpop.gremlin.structure.T;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.structure.util.StringFactory;
import org.apache.tinkerpop.gremlin.util.iterator.IteratorUtils;

/**
 * {@code g.V()} / {@code g.E()} with the {@code has} filters that followed it folded in (by
 * {@link SableGraphStepStrategy}). For vertices it reads the smallest source Sable offers: the
 * property index ({@code streamFindNodes}) for a label with a key equal to a value, the label index
 * ({@code streamNodesByLabel}) for a label alone, else every node. Whatever the source, each element
 * is tested against every filter, so the index only narrows what is read.
 */
final class SableGraphStep<S, E extends Element> extends GraphStep<S, E> implements HasContainerHolder<S, E> {
    private final List<HasContainer> hasContainers = new ArrayList<>();

    @SuppressWarnings("unchecked")
    SableGraphStep(GraphStepContract<S, E> original) {
        super(original.getTraversal(), original.getReturnClass(), original.isStartStep(), original.getIds());
        original.getLabels().forEach(this::addLabel);
        this.setIteratorSupplier(() -> (Iterator<E>) (Vertex.class.isAssignableFrom(this.returnClass)
                ? vertices() : edges()));
    }

    private SableGraph graph() {
        return (SableGraph) getTraversal().getGraph().get();
    }

    private Iterator<Edge> edges() {
        if (ids == null) {
            return Collections.emptyIterator();
        }
        Iterator<Edge> all = ids.length > 0 ? graph().edges(ids) : graph().edges();
        return IteratorUtils.filter(all, e -> HasContainer.testAll(e, hasContainers));
    }

    private Iterator<Vertex> vertices() {
        if (ids == null) {
            return Collections.emptyIterator();
        }
        SableGraph graph = graph();
        if (ids.length > 0) {
            return IteratorUtils.filter(graph.vertices(ids), v -> HasContainer.testAll(v, hasContainers));
        }
        Session s = graph.session();
        List<String> labels = indexableLabels();
        Iterator<Node> source;
        if (labels == null) {
            source = s.tx.allNodes().iterator();
        } else {
            HasContainer equality = indexableEquality();
            List<Iterator<Node>> parts = new ArrayList<>();
            for (String label : labels) {
                if (equality == null) {
                    parts.add(s.tx.streamNodesByLabel(label).iterator());
                } else {
                    List<Object> forms = storedForms(equality.getValue());
                    if (forms == null) {
                        parts.add(s.tx.streamNodesByLabel(label).iterator());
                        continue;
                    }
                    for (Object stored : forms) {
                        parts.add(s.tx.streamFindNodes(label, equality.getKey(), stored).iterator());
                    }
                    // a key with several values or meta-properties is stored as text: those nodes carry
                    // a label of their own, and are read too (through the label index: no scan)
                    parts.add(s.tx.streamNodesByLabel(StoredProperties.MULTI)
                            .filter(n -> n.labels().contains(label)).iterator());
                }
            }
            source = parts.size() == 1 ? parts.get(0) : new SortedUnion(parts);
        }
        Iterator<Vertex> vertices = IteratorUtils.map(source, n -> (Vertex) new SableVertex(graph, n, s));
        return IteratorUtils.filter(vertices, v -> HasContainer.testAll(v, hasContainers));
    }

    /**
     * The labels an equality or {@code within} filter on {@code T.label} names, when the label index
     * can answer it; null when it cannot. {@code vertex} is left to a scan: nodes without a label
     * show it too.
     */
    private List<String> indexableLabels() {
        for (HasContainer c : hasContainers) {
            if (!T.label.getAccessor().equals(c.getKey())) {
                continue;
            }
            P<?> p = c.getPredicate();
            Collection<?> values;
            if (p.getBiPredicate() == Compare.eq) {
                values = Collections.singletonList(p.getValue());
            } else if (p.getBiPredicate() == Contains.within && p.getValue() instanceof Collection<?> col) {
                values = col;
            } else {
                continue;
            }
            Set<String> labels = new LinkedHashSet<>();
            boolean usable = true;
            for (Object v : values) {
                if (!(v instanceof String l) || l.isEmpty() || l.equals(Vertex.DEFAULT_LABEL)
                        || StoredProperties.isReserved(l)) {
                    usable = false;
                    break;
                }
                labels.add(l);
            }
            if (usable) {
                return new ArrayList<>(labels);
            }
        }
        return null;
    }

    /** A filter {@code key == value} on a property whose stored forms the property index can find. */
    private HasContainer indexableEquality() {
        for (HasContainer c : hasContainers) {
            String key = c.getKey();
            if (key == null || key.isEmpty() || StoredProperties.isReserved(key) || T.label.getAccessor().equals(key)
                    || T.id.getAccessor().equals(key) || c.getPredicate().getBiPredicate() != Compare.eq) {
                continue;
            }
            Object v = c.getValue();
            if (v instanceof String || v instanceof Boolean || isStandardNumber(v)) {
                return c;
            }
        }
        return null;
    }

    private static boolean isStandardNumber(Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof Double || v instanceof Float || v instanceof java.math.BigInteger
                || v instanceof java.math.BigDecimal;
    }

    /**
     * The stored values equal to {@code value} as Gremlin compares: a string or boolean as it is; a
     * number as the Long it equals exactly, if any, and as its nearest Double (see ValueCodec: every
     * number is stored as one of these two). Null when no list of values can say it: a whole number
     * of magnitude 2^53 or more, which Gremlin finds equal to every Long that widens to the same
     * Double (Long.MAX_VALUE equals 2^63 so); then the label's nodes are read and filtered.
     */
    private static List<Object> storedForms(Object value) {
        if (!(value instanceof Number n)) {
            return List.of(value);
        }
        Long exact = ValueCodec.exactLong(n);
        double d = n.doubleValue();
        if (Math.abs(d) >= 0x1p53 && d == Math.rint(d)) {
            return null;
        }
        return exact == null ? List.of(d) : List.of(exact, d);
    }

    @Override
    public String toString() {
        if (hasContainers.isEmpty()) {
            return super.toString();
        }
        return ids == null || ids.length == 0
                ? StringFactory.stepString(this, returnClass.getSimpleName().toLowerCase(), hasContainers)
                : StringFactory.stepString(this, returnClass.getSimpleName().toLowerCase(), Arrays.toString(ids),
                        hasContainers);
    }

    @Override
    public List<HasContainer> getHasContainers() {
        return Collections.unmodifiableList(hasContainers);
    }

    @Override
    public void addHasContainer(HasContainer hasContainer) {
        if (hasContainer.getPredicate() instanceof AndP<?> and) {
            for (P<?> p : and.getPredicates()) {
                addHasContainer(new HasContainer(hasContainer.getKey(), p));
            }
        } else {
            hasContainers.add(hasContainer);
        }
    }

    @Override
    public int hashCode() {
        return super.hashCode() ^ hasContainers.hashCode();
    }

    /** Merges node iterators that are each in id order into one, each id once. */
    private static final class SortedUnion implements Iterator<Node> {
        private final List<Iterator<Node>> sources;
        private final Node[] heads;
        private Node next;
        private long lastId = Long.MIN_VALUE;
        private boolean started;

        SortedUnion(List<Iterator<Node>> sources) {
            this.sources = sources;
            this.heads = new Node[sources.size()];
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (!started) {
                for (int i = 0; i < heads.length; i++) {
                    heads[i] = sources.get(i).hasNext() ? sources.get(i).next() : null;
                }
                started = true;
            }
            while (true) {
                int min = -1;
                for (int i = 0; i < heads.length; i++) {
                    if (heads[i] != null && (min < 0 || heads[i].id() < heads[min].id())) {
                        min = i;
                    }
                }
                if (min < 0) {
                    return false;
                }
                Node n = heads[min];
                heads[min] = sources.get(min).hasNext() ? sources.get(min).next() : null;
                if (n.id() != lastId) {
                    lastId = n.id();
                    next = n;
                    return true;
                }
            }
        }

        @Override
        public Node next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Node n = next;
            next = null;
            return n;
        }
    }
}
