package dev.sablegraph.gremlin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.structure.VertexProperty;

/**
 * The index strategy returns exactly what a scan returns: for random graphs whose values are numbers
 * of every Java type Gremlin compares by value (and strings, and multi-properties), each
 * {@code has(label, key, value)} and {@code hasLabel(label)} answers as it does without the strategy.
 */
class IndexLookupProperties {
    private Path dir;
    private SableGraph graph;

    @BeforeProperty
    void open() throws IOException {
        dir = Files.createTempDirectory("index-lookup");
        graph = SableGraph.open(dir);
        // indexed: the lookups read the property index (and the multi-valued nodes beside it)
        graph.database().createIndex("a", "k");
        graph.database().createIndex("b", "k");
        if (!graph.database().awaitIndexesOnline(java.time.Duration.ofMinutes(1))) {
            throw new IllegalStateException("indexes not online");
        }
    }

    @AfterProperty
    void close() throws IOException {
        graph.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.of(1, 1L, 1.0d, 1.0f, (short) 1, (byte) 1, new BigDecimal("1.00"), BigInteger.ONE, "1",
                2, 2.5d, 2.5f, new BigDecimal("2.5"), new BigInteger("100000000000000000000"), 1e20d,
                new BigDecimal("1E+20"), Long.MAX_VALUE, 9.223372036854776E18, 0.1f, 0.1d, Double.NaN, true, "a");
    }

    @Provide
    Arbitrary<List<Tuple.Tuple3<String, Object, Boolean>>> vertices() {
        return Arbitraries.lazy(() -> net.jqwik.api.Combinators.combine(
                Arbitraries.of("a", "b", "vertex"), values(), Arbitraries.of(false, false, false, true))
                .as(Tuple::of).list().ofMaxSize(12));
    }

    @Property(tries = 60)
    void indexLookupsAnswerAsScansDo(@ForAll("vertices") List<Tuple.Tuple3<String, Object, Boolean>> vertices,
            @ForAll("values") Object query, @ForAll boolean commitFirst) {
        GraphTraversalSource g = graph.traversal();
        g.V().drop().iterate();
        for (Tuple.Tuple3<String, Object, Boolean> t : vertices) {
            Vertex v = graph.addVertex(t.get1());
            v.property(VertexProperty.Cardinality.list, "k", t.get2());
            if (t.get3()) {
                v.property(VertexProperty.Cardinality.list, "k", "other"); // two values: stored as entries
            }
        }
        if (commitFirst) {
            graph.tx().commit();
        }
        GraphTraversalSource scan = g.withoutStrategies(SableGraphStepStrategy.class);
        for (String label : List.of("a", "b", "vertex")) {
            assertEquals(scan.V().has(label, "k", query).id().toList(), g.V().has(label, "k", query).id().toList(),
                    () -> "has(" + label + ", k, " + query + ")");
            assertEquals(scan.V().hasLabel(label).id().toList(), g.V().hasLabel(label).id().toList());
        }
        assertEquals(scan.V().hasLabel("a", "b").has("k", query).id().toList(),
                g.V().hasLabel("a", "b").has("k", query).id().toList());
        graph.tx().commit();
    }
}
