package dev.sablegraph.gremlin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.tinkerpop.gremlin.process.traversal.IO;
import org.apache.tinkerpop.gremlin.structure.Edge;
import org.apache.tinkerpop.gremlin.structure.Graph;
import org.apache.tinkerpop.gremlin.structure.Property;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.structure.VertexProperty;
import org.apache.tinkerpop.gremlin.structure.io.graphml.GraphMLResourceAccess;
import org.apache.tinkerpop.gremlin.structure.io.graphson.GraphSONResourceAccess;
import org.apache.tinkerpop.gremlin.structure.io.gryo.GryoResourceAccess;
import org.apache.tinkerpop.gremlin.tinkergraph.structure.TinkerGraph;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code g.io()} on TinkerPop's own data: a file read into Sable, the database closed and reopened,
 * holds the graph TinkerGraph reads from the same file (labels, properties with their Java types,
 * edges between the same vertices), and what Sable writes in each format reads back into TinkerGraph
 * as that graph again.
 */
class IoCompareTest {
    @TempDir
    Path dir;

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("grateful-dead GraphML", GraphMLResourceAccess.class, "grateful-dead.xml", IO.graphml),
                Arguments.of("grateful-dead GraphSON 3", GraphSONResourceAccess.class, "grateful-dead-v3.json",
                        IO.graphson),
                Arguments.of("grateful-dead Gryo", GryoResourceAccess.class, "grateful-dead-v3.kryo", IO.gryo),
                Arguments.of("air-routes Gryo", TinkerGraph.class, "air-routes.kryo", IO.gryo));
    }

    private Path copy(Class<?> anchor, String name) throws IOException {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            assertTrue(in != null, "resource " + name);
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        }
    }

    private SableGraph openSable() {
        BaseConfiguration c = new BaseConfiguration();
        c.setProperty(SableGraph.CONFIG_DIRECTORY, dir.resolve("db").toString());
        c.setProperty("sable.durability", "ASYNC");
        c.setProperty(SableGraph.CONFIG_VERTEX_PROPERTY_CARDINALITY, "list");
        return SableGraph.open(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void readReopenCompareAndWriteBack(String name, Class<?> anchor, String file, String format) throws Exception {
        Path source = copy(anchor, file);
        TinkerGraph reference = TinkerGraph.open();
        reference.traversal().io(source.toString()).with(IO.reader, format).read().iterate();
        List<String> expected = canonical(reference);

        try (SableGraph sable = openSable()) {
            sable.traversal().io(source.toString()).with(IO.reader, format).read().iterate();
            sable.tx().commit();
        }
        try (SableGraph sable = openSable()) {
            assertEquals(expected, canonical(sable), name + ": Sable after reopen");
            for (String out : List.of(IO.graphml, IO.graphson, IO.gryo)) {
                Path written = dir.resolve("out-" + out);
                sable.traversal().io(written.toString()).with(IO.writer, out).write().iterate();
                TinkerGraph back = TinkerGraph.open();
                back.traversal().io(written.toString()).with(IO.reader, out).read().iterate();
                assertEquals(expected, canonical(back), name + ": written by Sable as " + out);
            }
            sable.tx().rollback();
        }
    }

    /** Every vertex and edge as text independent of ids: label, then typed properties. */
    static List<String> canonical(Graph graph) {
        Map<Object, String> vertices = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (Iterator<Vertex> it = graph.vertices(); it.hasNext(); ) {
            Vertex v = it.next();
            List<String> props = new ArrayList<>();
            for (Iterator<VertexProperty<Object>> p = v.properties(); p.hasNext(); ) {
                VertexProperty<Object> vp = p.next();
                props.add(vp.key() + "=" + typed(vp.value()));
            }
            Collections.sort(props);
            String text = v.label() + props;
            vertices.put(v.id(), text);
            out.add("V " + text);
        }
        for (Iterator<Edge> it = graph.edges(); it.hasNext(); ) {
            Edge e = it.next();
            List<String> props = new ArrayList<>();
            for (Iterator<Property<Object>> p = e.properties(); p.hasNext(); ) {
                Property<Object> pr = p.next();
                props.add(pr.key() + "=" + typed(pr.value()));
            }
            Collections.sort(props);
            out.add("E " + e.label() + props + " " + vertices.get(e.outVertex().id()) + " -> "
                    + vertices.get(e.inVertex().id()));
        }
        Collections.sort(out);
        return out;
    }

    private static String typed(Object value) {
        String text = value.getClass().isArray() ? Arrays.deepToString(new Object[] {value}) : String.valueOf(value);
        return value.getClass().getSimpleName() + ":" + text;
    }
}
