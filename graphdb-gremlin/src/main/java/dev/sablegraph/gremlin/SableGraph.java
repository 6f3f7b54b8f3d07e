package dev.sablegraph.gremlin;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.Node;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.tinkerpop.gremlin.process.computer.GraphComputer;
import org.apache.tinkerpop.gremlin.process.traversal.TraversalStrategies;
import org.apache.tinkerpop.gremlin.structure.Edge;
import org.apache.tinkerpop.gremlin.structure.Element;
import org.apache.tinkerpop.gremlin.structure.Graph;
import org.apache.tinkerpop.gremlin.structure.T;
import org.apache.tinkerpop.gremlin.structure.Transaction;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.structure.VertexProperty;
import org.apache.tinkerpop.gremlin.structure.util.ElementHelper;
import org.apache.tinkerpop.gremlin.structure.util.StringFactory;

/**
 * Sable as an Apache TinkerPop graph: Gremlin traversals, {@code g.io()} import and export, and
 * TinkerPop's transaction model over a {@link ConcurrentGraphDB}.
 *
 * <pre>{@code
 * try (SableGraph graph = SableGraph.open(Path.of("data/graph"))) {
 *     GraphTraversalSource g = graph.traversal();
 *     g.addV("person").property("name", "ada").iterate();
 *     graph.tx().commit();
 * }
 * }</pre>
 *
 * <p>Each thread works in its own snapshot-isolated Sable transaction, opened on first use and ended
 * by {@code graph.tx().commit()} or {@code rollback()}; a write-write conflict surfaces as
 * {@link dev.sablegraph.core.WriteConflictException} from the write or from {@code commit()}. Vertex
 * and edge ids are Sable's {@code Long} ids. A value given through Gremlin reads back through Gremlin
 * with the Java type it was given in, also after close and reopen (docs/gremlin.md tells how each
 * type is stored and what the plain API sees). No graph computer, no graph variables.
 */
@Graph.OptIn(Graph.OptIn.SUITE_STRUCTURE_STANDARD)
@Graph.OptIn(Graph.OptIn.SUITE_PROCESS_STANDARD)
@Graph.OptIn(Graph.OptIn.SUITE_PROCESS_LIMITED_STANDARD)
public final class SableGraph implements Graph {
    static {
        TraversalStrategies.GlobalCache.registerStrategies(SableGraph.class,
                TraversalStrategies.GlobalCache.getStrategies(Graph.class).clone()
                        .addStrategies(SableGraphStepStrategy.instance(), SableDegreeCountStrategy.instance()));
    }

    /** Configuration key of the database directory (required by {@link #open(Configuration)}). */
    public static final String CONFIG_DIRECTORY = SableConfiguration.DIRECTORY;
    /**
     * Configuration key of the cardinality {@code property(key, value)} uses when none is given:
     * {@code single} (the default), {@code list} or {@code set}.
     */
    public static final String CONFIG_VERTEX_PROPERTY_CARDINALITY = SableConfiguration.CARDINALITY;

    private final ConcurrentGraphDB db;
    private final BaseConfiguration configuration = new BaseConfiguration();
    private final SableTransaction transaction = new SableTransaction(this);
    private final SableFeatures features;

    private SableGraph(ConcurrentGraphDB db, Configuration conf) {
        this.db = db;
        this.configuration.copy(conf);
        this.features = new SableFeatures(SableConfiguration.cardinality(conf));
    }

    /**
     * Opens (or creates) the database named by {@code sable.directory}; the entry point
     * {@code GraphFactory.open} calls. Other {@code sable.X} keys set the {@code GraphConfig}
     * setting {@code X} ({@code sable.pageCacheBytes}, {@code sable.durability}, ...);
     * {@code sable.gremlin.vertexPropertyCardinality} sets the default cardinality.
     *
     * @param conf the configuration, with at least {@code sable.directory}
     * @return the open graph
     * @throws IllegalArgumentException when the directory is missing or a key is unknown or bad
     */
    public static SableGraph open(Configuration conf) {
        if (conf == null) {
            throw Graph.Exceptions.argumentCanNotBeNull("configuration");
        }
        String dir = SableConfiguration.directory(conf);
        SableConfiguration.cardinality(conf); // a bad value fails before the database opens
        ConcurrentGraphDB db = ConcurrentGraphDB.open(Path.of(dir), SableConfiguration.graphConfig(conf));
        BaseConfiguration c = new BaseConfiguration();
        c.copy(conf);
        c.setProperty(Graph.GRAPH, SableGraph.class.getName());
        return new SableGraph(db, c);
    }

    /**
     * Opens (or creates) the database in {@code directory} with the default configuration.
     *
     * @param directory the database directory
     * @return the open graph
     */
    public static SableGraph open(Path directory) {
        BaseConfiguration c = new BaseConfiguration();
        c.setProperty(Graph.GRAPH, SableGraph.class.getName());
        c.setProperty(CONFIG_DIRECTORY, directory.toString());
        return open(c);
    }

    /**
     * The engine underneath, for mixing Sable's own API with Gremlin. Its transactions are not the
     * Gremlin thread's transaction: each sees what the other committed before it began.
     *
     * @return the database this graph reads and writes
     */
    public ConcurrentGraphDB database() {
        return db;
    }

    /** This thread's session (opening the transaction as TinkerPop's read-write behaviour says). */
    Session session() {
        return transaction.session();
    }

    /**
     * Adds a vertex in this thread's transaction, opening it if needed. The id is chosen by Sable;
     * a label is one Sable label (default {@code vertex}); a key given more than once adds each
     * value, as with list cardinality.
     *
     * @param keyValues alternating keys and values, with {@code T.label} for the label
     * @return the new vertex
     * @throws UnsupportedOperationException when {@code T.id} is given (user-supplied ids are not
     *     supported)
     * @throws IllegalArgumentException for an odd or illegal key/value array, a null or empty
     *     label, or a label starting with {@code ~} (reserved)
     */
    @Override
    public Vertex addVertex(Object... keyValues) {
        ElementHelper.legalPropertyKeyValueArray(keyValues);
        if (ElementHelper.getIdValue(keyValues).isPresent()) {
            throw Vertex.Exceptions.userSuppliedIdsNotSupported();
        }
        String label = ElementHelper.getLabelValue(keyValues).orElse(Vertex.DEFAULT_LABEL);
        ElementHelper.validateLabel(label);
        if (StoredProperties.isReserved(label)) {
            throw new IllegalArgumentException("vertex labels starting with ~ are reserved: " + label);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        boolean plain = true; // false when a key repeats: then each value is added, as TinkerGraph does
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i] instanceof T) {
                continue;
            }
            String key = (String) keyValues[i];
            ElementHelper.validateProperty(key, keyValues[i + 1]);
            if (values.containsKey(key)) {
                plain = false;
            }
            if (keyValues[i + 1] != null) {
                values.put(key, keyValues[i + 1]);
            }
        }
        Session s = session();
        Map<String, Object> stored = plain ? StoredProperties.encodeAll(values) : Map.of();
        long id = s.tx.addNode(Set.of(label), stored);
        s.wrote();
        SableVertex v = new SableVertex(this, id);
        if (!plain) {
            ElementHelper.attachProperties(v, VertexProperty.Cardinality.list, keyValues);
        }
        return v;
    }

    /** Adds an edge (see {@link Vertex#addEdge}). */
    Edge addEdge(SableVertex out, Vertex in, String label, Object... keyValues) {
        ElementHelper.validateLabel(label);
        ElementHelper.legalPropertyKeyValueArray(keyValues);
        if (ElementHelper.getIdValue(keyValues).isPresent()) {
            throw Edge.Exceptions.userSuppliedIdsNotSupported();
        }
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i] instanceof T) {
                continue;
            }
            String key = (String) keyValues[i];
            ElementHelper.validateProperty(key, keyValues[i + 1]);
            if (keyValues[i + 1] != null) {
                values.put(key, keyValues[i + 1]);
            } else {
                values.remove(key);
            }
        }
        Session s = session();
        long inId = idOf(in.id()).orElseThrow(() -> SableElement.removed(Vertex.class, in.id()));
        try {
            long id = s.tx.addEdge(out.id, inId, label, StoredProperties.encodeAll(values));
            s.wrote();
            return new SableEdge(this, id);
        } catch (EntityNotFoundException e) {
            boolean outGone = s.tx.getNode(out.id).isEmpty();
            throw SableElement.removed(Vertex.class, outGone ? out.id : inId);
        }
    }

    /**
     * A TinkerPop id as a Sable id: a number that is a whole long, or a string of one; anything else
     * names no element of this graph.
     */
    static Optional<Long> idOf(Object id) {
        if (id instanceof Long l) {
            return Optional.of(l);
        }
        if (id instanceof Number n) {
            return Optional.ofNullable(ValueCodec.exactLong(n));
        }
        if (id instanceof String str) {
            try {
                return Optional.of(new BigDecimal(str.trim()).longValueExact());
            } catch (ArithmeticException | NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The vertices this thread's transaction sees: all of them in id order (read lazily) when no id
     * is given, else those of the given ids that exist, in the order given. An id is a {@code
     * Long}, another whole number, a string of one, or a vertex; anything else names no vertex.
     *
     * @param vertexIds the ids to look up, or none for every vertex
     * @return the vertices found
     */
    @Override
    public Iterator<Vertex> vertices(Object... vertexIds) {
        Session s = session();
        if (vertexIds.length == 0) {
            return s.tx.allNodes().map(n -> (Vertex) new SableVertex(this, n, s)).iterator();
        }
        List<Vertex> out = new ArrayList<>(vertexIds.length);
        for (Object o : vertexIds) {
            Object raw = o instanceof Vertex v ? v.id() : o;
            Optional<Long> id = idOf(raw);
            if (id.isPresent()) {
                Optional<Node> n = s.tx.getNode(id.get());
                n.ifPresent(node -> out.add(new SableVertex(this, node, s)));
            }
        }
        return out.iterator();
    }

    /**
     * The edges this thread's transaction sees, as {@link #vertices} finds vertices.
     *
     * @param edgeIds the ids to look up, or none for every edge
     * @return the edges found
     */
    @Override
    public Iterator<Edge> edges(Object... edgeIds) {
        Session s = session();
        if (edgeIds.length == 0) {
            return s.tx.allEdges().map(e -> (Edge) new SableEdge(this, e, s)).iterator();
        }
        List<Edge> out = new ArrayList<>(edgeIds.length);
        for (Object o : edgeIds) {
            Object raw = o instanceof Edge e ? e.id() : o;
            Optional<Long> id = idOf(raw);
            if (id.isPresent()) {
                s.tx.getEdge(id.get()).ifPresent(e -> out.add(new SableEdge(this, e, s)));
            }
        }
        return out.iterator();
    }

    /**
     * Not supported: Sable has no graph computer.
     *
     * @param <C> the computer type
     * @param graphComputerClass ignored
     * @return never returns
     * @throws UnsupportedOperationException always
     */
    @Override
    public <C extends GraphComputer> C compute(Class<C> graphComputerClass) {
        throw Graph.Exceptions.graphComputerNotSupported();
    }

    /**
     * Not supported: Sable has no graph computer.
     *
     * @return never returns
     * @throws UnsupportedOperationException always
     */
    @Override
    public GraphComputer compute() {
        throw Graph.Exceptions.graphComputerNotSupported();
    }

    /**
     * The thread-bound transaction: each thread's reads and writes run in one Sable
     * snapshot-isolated transaction, opened on first use, ended by {@code commit()} or {@code
     * rollback()}. A write-write conflict surfaces as {@link
     * dev.sablegraph.core.WriteConflictException} from the write or from {@code commit()}.
     *
     * @return the transaction of the calling thread
     */
    @Override
    public Transaction tx() {
        return transaction;
    }

    /**
     * Not supported: Sable has no graph variables.
     *
     * @return never returns
     * @throws UnsupportedOperationException always
     */
    @Override
    public Variables variables() {
        throw Graph.Exceptions.variablesNotSupported();
    }

    /**
     * The configuration the graph was opened with, {@code gremlin.graph} included.
     *
     * @return the configuration
     */
    @Override
    public Configuration configuration() {
        return configuration;
    }

    /**
     * What this graph supports; see {@link SableFeatures}.
     *
     * @return the features
     */
    @Override
    public Features features() {
        return features;
    }

    /**
     * Ends this thread's transaction as its close behaviour says (rollback by default) and closes the
     * database. Other threads' open transactions are the caller's to end first.
     */
    @Override
    public void close() {
        try {
            if (transaction.isOpen()) {
                transaction.close();
            }
        } finally {
            db.close();
        }
    }

    @Override
    public String toString() {
        return StringFactory.graphString(this, configuration.getString(CONFIG_DIRECTORY, ""));
    }
}
