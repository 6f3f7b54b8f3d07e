package dev.sablegraph.janusgraph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.script.Bindings;
import org.apache.tinkerpop.gremlin.jsr223.GremlinLangScriptEngine;
import org.apache.tinkerpop.gremlin.process.traversal.IO;
import org.apache.tinkerpop.gremlin.process.traversal.Traversal;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.structure.io.graphson.GraphSONMapper;
import org.apache.tinkerpop.gremlin.structure.io.graphson.GraphSONReader;
import org.apache.tinkerpop.gremlin.structure.io.graphson.GraphSONVersion;
import org.janusgraph.core.Cardinality;
import org.janusgraph.core.JanusGraph;
import org.janusgraph.core.JanusGraphFactory;
import org.janusgraph.core.Multiplicity;
import org.janusgraph.core.PropertyKey;
import org.janusgraph.core.schema.JanusGraphManagement;
import org.janusgraph.graphdb.tinkerpop.JanusGraphIoRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JanusGraph half of the scale-out check (docs/gremlin.md, "Moving to JanusGraph"):
 * graphdb-gremlin's {@code ScaleOutExportTest} exported a Sable graph with {@code g.io()} and wrote
 * the answers of a list of Gremlin traversals beside it. Here that export is read into JanusGraph
 * 1.1.0 (in-memory backend, schema defined first, as JanusGraph's bulk-loading advice says) and the
 * same traversal texts, run through TinkerPop 3.7.3's {@link GremlinLangScriptEngine}, must give
 * answers equal to Sable's, Java types included ({@code Integer} stays {@code Integer}).
 */
class SableExportInJanusGraphTest {
    private static final Path EXPORT = Path.of(System.getProperty("sable.export.dir",
            "../graphdb-gremlin/target/janusgraph-export"));

    private static final String REFUSED = "refused";

    /**
     * Traversals whose answer differs in type only, by TinkerPop version: {@code sum()} of Integers
     * is an Integer in TinkerPop 3.8 (Sable) and a Long in 3.7 (JanusGraph 1.1). Their answers are
     * compared with Sable's Integers widened to Long: same value, JanusGraph's type.
     */
    private static final Set<String> SUM_IS_LONG_IN_TINKERPOP_3_7 = Set.of("sum of performances");

    private static List<Map<String, Object>> sableAnswers;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readSableAnswers() throws Exception {
        Path file = EXPORT.resolve("answers.json");
        assertTrue(Files.isRegularFile(file), file + " is missing: build graphdb-gremlin in the same run "
                + "(mvn -P janusgraph -pl graphdb-gremlin,janusgraph-compat -am verify)");
        try (InputStream in = Files.newInputStream(file)) {
            sableAnswers = GraphSONMapper.build().version(GraphSONVersion.V3_0).create().createMapper()
                    .readValue(in, List.class);
        }
        assertTrue(sableAnswers.size() > 20, "answers read: " + sableAnswers.size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"graph.json", "graph.kryo"})
    void theSameTraversalsGiveTheSameAnswersOnJanusGraph(String exportFile) throws Exception {
        try (JanusGraph janus = JanusGraphFactory.build()
                .set("storage.backend", "inmemory")
                // what JanusGraph's bulk-loading guide sets; the schema below is then the only one
                .set("schema.default", "none")
                .set("storage.batch-loading", true)
                .set("ids.block-size", 100_000)
                .open()) {
            defineSchema(janus);
            String format = exportFile.endsWith(".json") ? IO.graphson : IO.gryo;
            janus.traversal().io(EXPORT.resolve(exportFile).toString()).with(IO.reader, format).read().iterate();
            janus.tx().commit();

            GremlinLangScriptEngine engine = new GremlinLangScriptEngine();
            Bindings bindings = engine.createBindings();
            bindings.put("g", janus.traversal());
            List<String> differences = new ArrayList<>();
            for (Map<String, Object> entry : sableAnswers) {
                String gremlin = (String) entry.get("gremlin");
                List<Object> janusAnswer = new ArrayList<>(((Traversal<?, ?>) engine.eval(gremlin, bindings)).toList());
                Object expected = SUM_IS_LONG_IN_TINKERPOP_3_7.contains(entry.get("name"))
                        ? widenIntegers(entry.get("answer")) : entry.get("answer");
                if (!expected.equals(janusAnswer)) {
                    differences.add(entry.get("name") + ": " + gremlin + "\n  Sable:       "
                            + typed(entry.get("answer")) + "\n  JanusGraph:  " + typed(janusAnswer));
                }
            }
            janus.tx().rollback();
            assertEquals(List.of(), differences, exportFile + ": answers that differ");
        }
    }

    /** The export's schema, declared before loading: labels, keys with their Java types, an index on name. */
    private static void defineSchema(JanusGraph janus) {
        JanusGraphManagement m = janus.openManagement();
        for (String label : List.of("song", "artist", "typed")) {
            m.makeVertexLabel(label).make();
        }
        for (String label : List.of("followedBy", "sungBy", "writtenBy", "typedLink")) {
            m.makeEdgeLabel(label).multiplicity(Multiplicity.MULTI).make();
        }
        Map<String, Class<?>> keys = new LinkedHashMap<>();
        keys.put("name", String.class);
        keys.put("songType", String.class);
        keys.put("performances", Integer.class);
        keys.put("weight", Integer.class);
        keys.put("anInt", Integer.class);
        keys.put("aLong", Long.class);
        keys.put("aDouble", Double.class);
        keys.put("aFloat", Float.class);
        keys.put("aBool", Boolean.class);
        keys.put("aUuid", java.util.UUID.class);
        keys.put("aDate", java.util.Date.class);
        keys.put("strength", Double.class);
        PropertyKey name = null;
        for (Map.Entry<String, Class<?>> k : keys.entrySet()) {
            PropertyKey key = m.makePropertyKey(k.getKey()).dataType(k.getValue()).cardinality(Cardinality.SINGLE)
                    .make();
            name = k.getKey().equals("name") ? key : name;
        }
        m.buildIndex("byName", Vertex.class).addKey(name).buildCompositeIndex();
        m.commit();
    }

    /**
     * What becomes of each value type on the way from Sable into JanusGraph: one single-vertex file
     * per type, written by Sable as plain GraphSON 3 ({@code g.io()}), as GraphSON 3 with
     * TinkerPop's extended module, and as Gryo, read into a fresh JanusGraph with its default
     * (automatic) schema. The table is what docs/gremlin.md shows.
     */
    @Test
    void whichValueTypesSurviveTheTrip() throws Exception {
        Map<String, String> seen = new TreeMap<>();
        for (String kind : List.of("io", "extended", "gryo")) {
            try (Stream<Path> files = Files.list(EXPORT.resolve("types").resolve(kind))) {
                for (Path file : files.sorted().toList()) {
                    String type = file.getFileName().toString().replaceFirst("\\.(json|kryo)$", "");
                    seen.put(type + " " + kind, readProbe(kind, file));
                }
            }
        }
        StringBuilder table = new StringBuilder();
        seen.forEach((k, v) -> table.append(k).append(" -> ").append(v).append('\n'));
        System.out.println("Value types, Sable export read into JanusGraph:\n" + table);
        assertEquals(expectedTypes(), seen);
    }

    private static String readProbe(String kind, Path file) {
        try (JanusGraph janus = JanusGraphFactory.build().set("storage.backend", "inmemory").open()) {
            GraphTraversalSource g = janus.traversal();
            try {
                if (kind.equals("extended")) {
                    GraphSONReader reader = GraphSONReader.build().mapper(GraphSONMapper.build()
                            .version(GraphSONVersion.V3_0).addDefaultXModule(true)
                            .addRegistry(JanusGraphIoRegistry.instance()).create()).create();
                    try (InputStream in = Files.newInputStream(file)) {
                        reader.readGraph(in, janus);
                    }
                } else {
                    g.io(file.toString()).with(IO.reader, kind.equals("gryo") ? IO.gryo : IO.graphson).read()
                            .iterate();
                }
                janus.tx().commit();
                Object value = g.V().values("v").next();
                return value.getClass().getSimpleName();
            } catch (Exception | AssertionError refused) {
                Throwable root = refused;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                janus.tx().rollback();
                System.out.println(file + ": " + root);
                return REFUSED;
            }
        }
    }

    /**
     * Per type, per file kind: the Java type JanusGraph reads back, "refused" when JanusGraph will
     * not store it, and no entry where Sable's {@code g.io()} GraphSON 3 writer has no type for it
     * (TinkerPop's core GraphSON 3 types; Short, Byte, Character, BigInteger, BigDecimal and the
     * java.time types are in its extended module only).
     */
    private static Map<String, String> expectedTypes() {
        Map<String, String> e = new TreeMap<>();
        for (String same : List.of("Integer", "Long", "Double", "Float", "Boolean", "String", "UUID", "Date")) {
            e.put(same + " io", same);
            e.put(same + " extended", same);
            e.put(same + " gryo", same);
        }
        for (String extendedOnly : List.of("Short", "Byte", "Character")) {
            e.put(extendedOnly + " extended", extendedOnly);
            e.put(extendedOnly + " gryo", extendedOnly);
        }
        // JanusGraph has no data type for these (a property key's type is one of its own list)
        for (String unsupported : List.of("BigInteger", "BigDecimal", "OffsetDateTime")) {
            e.put(unsupported + " extended", REFUSED);
            e.put(unsupported + " gryo", REFUSED);
        }
        // a list is no single value in JanusGraph (list cardinality holds several values instead);
        // GraphSON writes an int[] as an untyped JSON array, which reads back as a list
        e.put("List-of-Strings io", REFUSED);
        e.put("List-of-Strings extended", REFUSED);
        e.put("List-of-Strings gryo", REFUSED);
        e.put("int-array io", REFUSED);
        e.put("int-array extended", REFUSED);
        e.put("int-array gryo", "int[]");
        return e;
    }

    private static Object widenIntegers(Object value) {
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(widenIntegers(x)));
            return out;
        }
        return value instanceof Integer i ? (Object) i.longValue() : value;
    }

    private static String typed(Object value) {
        if (value instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(x -> parts.add(typed(x)));
            return parts.toString();
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, String> parts = new LinkedHashMap<>();
            m.forEach((k, v) -> parts.put(typed(k), typed(v)));
            return parts.toString();
        }
        return value == null ? "null" : value + ":" + value.getClass().getSimpleName();
    }
}
