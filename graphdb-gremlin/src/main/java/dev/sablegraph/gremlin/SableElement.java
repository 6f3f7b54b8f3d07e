package dev.sablegraph.gremlin;

import org.apache.tinkerpop.gremlin.structure.Element;
import org.apache.tinkerpop.gremlin.structure.Graph;
import org.apache.tinkerpop.gremlin.structure.util.ElementHelper;

/**
 * A vertex or edge: its graph and its Sable id, nothing else that could go stale. The record it was
 * read from is kept only for the session and write count it was read at (see {@link Session}).
 *
 * @param <R> the Sable record type ({@code Node} or {@code Edge})
 */
abstract class SableElement<R> implements Element {
    final SableGraph graph;
    final long id;
    private R cached;
    private Session cachedIn;
    private long cachedAt;

    SableElement(SableGraph graph, long id) {
        this.graph = graph;
        this.id = id;
    }

    /** Keeps a record read in session {@code s} (before its next write). */
    final void remember(R record, Session s) {
        this.cached = record;
        this.cachedIn = s;
        this.cachedAt = s.writes();
    }

    /** The record as session {@code s} sees it, or null when it does not see the element. */
    final R record(Session s) {
        if (s == cachedIn && s.writes() == cachedAt && cached != null) {
            return cached;
        }
        R r = read(s);
        if (r != null) {
            remember(r, s);
        }
        return r;
    }

    /** The record as session {@code s} sees it, or TinkerPop's "already removed" exception. */
    final R existing(Session s) {
        R r = record(s);
        if (r == null) {
            throw SableElement.removed(kind(), id);
        }
        return r;
    }

    /** The exception for the use of an element this transaction does not see (any more). */
    static IllegalStateException removed(Class<?> kind, Object id) {
        return new IllegalStateException(kind.getSimpleName() + " with id " + id + " was removed.");
    }

    abstract R read(Session s);

    abstract Class<? extends Element> kind();

    @Override
    public final Object id() {
        return id;
    }

    @Override
    public final Graph graph() {
        return graph;
    }

    @Override
    public final boolean equals(Object o) {
        return ElementHelper.areEqual(this, o);
    }

    @Override
    public final int hashCode() {
        return ElementHelper.hashCode(this);
    }
}
