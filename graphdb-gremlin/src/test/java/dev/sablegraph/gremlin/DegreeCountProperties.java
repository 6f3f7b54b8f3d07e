package dev.sablegraph.gremlin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.tinkerpop.gremlin.process.traversal.Traversal;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversal;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.structure.Edge;
import org.apache.tinkerpop.gremlin.structure.Vertex;

/**
 * The degree-count strategy counts what reading the edges counts: for random graphs with self-loops
 * and several edge labels, some edges committed and some added or removed in the open transaction,
 * every {@code out/in/both(E)(labels).count()} equals the same traversal without the strategy
 * (which reads each edge), also after a barrier that gives traversers a bulk above one.
 */
class DegreeCountProperties {
    private static final List<Function<GraphTraversal<Vertex, Vertex>, GraphTraversal<Vertex, Long>>> COUNTS = List.of(
            t -> t.out().count(), t -> t.in().count(), t -> t.both().count(),
            t -> t.out("a").count(), t -> t.in("b").count(), t -> t.both("a", "b").count(),
            t -> t.out("a", "a").count(), t -> t.outE().count(), t -> t.inE("a").count(),
            t -> t.bothE("b").count(), t -> t.both().both("a").count(), t -> t.out().in().both().count(),
            t -> t.local(__out_count()).sum());

    private Path dir;
    private SableGraph graph;

    private static Traversal<Vertex, Long> __out_count() {
        return org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.__.<Vertex>out("b").count();
    }

    @BeforeProperty
    void open() throws IOException {
        dir = Files.createTempDirectory("degree-count");
        graph = SableGraph.open(dir);
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
    Arbitrary<List<Tuple.Tuple4<Integer, Integer, String, Boolean>>> edges() {
        // from, to (often equal: self-loops), label, committed before the uncommitted changes
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 4),
                Arbitraries.of("a", "b", "c"), Arbitraries.of(true, true, false)).as(Tuple::of).list().ofMaxSize(20);
    }

    @Property(tries = 40)
    void degreeCountsAnswerAsReadingEdgesDoes(@ForAll("edges") List<Tuple.Tuple4<Integer, Integer, String, Boolean>> edges,
            @ForAll("removals") List<Integer> removals) {
        GraphTraversalSource g = graph.traversal();
        g.V().drop().iterate();
        graph.tx().commit();
        List<Vertex> vertices = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            vertices.add(graph.addVertex("v"));
        }
        List<Edge> added = new ArrayList<>();
        for (var e : edges) {
            if (e.get4()) {
                added.add(vertices.get(e.get1()).addEdge(e.get3(), vertices.get(e.get2())));
            }
        }
        graph.tx().commit();
        for (var e : edges) {
            if (!e.get4()) {
                added.add(vertices.get(e.get1()).addEdge(e.get3(), vertices.get(e.get2())));
            }
        }
        for (int r : removals) {
            if (r < added.size() && g.E(added.get(r).id()).hasNext()) {
                added.get(r).remove(); // committed or not: the open transaction's own writes count
            }
        }
        GraphTraversalSource plain = g.withoutStrategies(SableDegreeCountStrategy.class);
        for (var count : COUNTS) {
            for (Vertex v : vertices) {
                assertEquals(count.apply(plain.V(v.id())).next(), count.apply(g.V(v.id())).next());
            }
            assertEquals(count.apply(plain.V()).next(), count.apply(g.V()).next());
        }
        graph.tx().rollback();
    }

    @Provide
    Arbitrary<List<Integer>> removals() {
        return Arbitraries.integers().between(0, 19).list().ofMaxSize(5);
    }

    @Property(tries = 1)
    void explainShowsTheDegreeStep() {
        String explained = graph.traversal().V().out("a").count().explain().prettyPrint();
        assertTrue(explained.contains("SableDegreeCountStep"), explained);
        String kept = graph.traversal().V().out("a").dedup().count().explain().prettyPrint();
        assertTrue(!kept.contains("SableDegreeCountStep"), "vertices that go on to another step are read: " + kept);
    }
}
