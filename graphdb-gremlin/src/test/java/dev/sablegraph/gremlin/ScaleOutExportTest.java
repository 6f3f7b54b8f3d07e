package dev.sablegraph.gremlin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.script.Bindings;
import javax.script.ScriptException;
import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.tinkerpop.gremlin.jsr223.GremlinLangScriptEngine;
import org.apache.tinkerpop.gremlin.process.traversal.IO;
import org.apache.tinkerpop.gremlin.process.traversal.Traversal;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.structure.Graph;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.structure.io.graphson.GraphSONMapper;
import org.apache.tinkerpop.gremlin.structure.io.graphson.GraphSONResourceAccess;
import org.apache.tinkerpop.gremlin.structure.io.graphson.GraphSONVersion;
import org.apache.tinkerpop.gremlin.structure.io.graphson.GraphSONWriter;
import org.apache.tinkerpop.gremlin.tinkergraph.structure.TinkerGraph;
import org.apache.tinkerpop.shaded.jackson.databind.ObjectMapper;
import org.apache.tinkerpop.shaded.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Sable half of the scale-out check (docs/gremlin.md, "Moving to JanusGraph"): TinkerPop's
 * grateful-dead graph plus two vertices of typed values, loaded into Sable, is exported with
 * {@code g.io()} as GraphSON 3 and Gryo, and a fixed list of Gremlin traversals is evaluated on it.
 * The answers must equal TinkerGraph's on the same data; they are written beside the export as typed
 * GraphSON 3, where the {@code janusgraph-compat} module (profile {@code janusgraph}) reads the export
 * into JanusGraph and checks that the same traversals give the same answers there.
 *
 * <p>It also writes one single-vertex GraphSON 3 file per value type ({@code types/}), so that the
 * other side can say which Java types survive the trip into JanusGraph.
 */
class ScaleOutExportTest {
    /** Where the export goes; the janusgraph-compat module reads it from here. */
    static final Path EXPORT = Path.of(System.getProperty("sable.scaleout.dir", "target/janusgraph-export"));

    /**
     * The traversals, by name, as Gremlin text in the grammar both TinkerPop 3.7 (JanusGraph 1.1)
     * and 3.8 accept. None returns an element or an id: ids differ between the two databases.
     */
    static final Map<String, String> TRAVERSALS = traversals();

    private static Map<String, String> traversals() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("vertex count", "g.V().count()");
        t.put("edge count", "g.E().count()");
        t.put("vertices by label", "g.V().groupCount().by(T.label)");
        t.put("edges by label", "g.E().groupCount().by(T.label)");
        t.put("songs", "g.V().hasLabel('song').count()");
        t.put("out-degree sum of songs (followedBy)",
                "g.V().hasLabel('song').local(__.outE('followedBy').count()).sum()");
        t.put("in-degree sum of artists (sungBy)",
                "g.V().hasLabel('artist').local(__.inE('sungBy').count()).sum()");
        t.put("song out-degree distribution", "g.V().hasLabel('song').groupCount().by(__.outE().count())");
        t.put("songs by type", "g.V().hasLabel('song').groupCount().by('songType')");
        t.put("top five songs by followedBy in-degree",
                "g.V().hasLabel('song').order().by(__.inE('followedBy').count(), Order.desc).by('name')"
                        + ".limit(5).values('name')");
        t.put("2-hop paths from DARK STAR",
                "g.V().has('song', 'name', 'DARK STAR').out('followedBy').out('followedBy').path().count()");
        t.put("2-hop walks over followedBy", "g.V().out('followedBy').out('followedBy').count()");
        t.put("songs Garcia sang", "g.V().has('artist', 'name', 'Garcia').in('sungBy').values('name').order()");
        t.put("writers of DARK STAR",
                "g.V().has('song', 'name', 'DARK STAR').out('writtenBy').values('name').order()");
        t.put("songs played more than 500 times",
                "g.V().has('song', 'performances', P.gt(500)).values('name').order()");
        t.put("songs played between 100 and 200 times",
                "g.V().hasLabel('song').has('performances', P.between(100, 200)).count()");
        t.put("songs never played", "g.V().has('song', 'performances', 0).count()");
        t.put("DARK STAR, typed values", "g.V().has('song', 'name', 'DARK STAR').valueMap()");
        t.put("performances of DARK STAR", "g.V().has('song', 'name', 'DARK STAR').values('performances')");
        t.put("sum of performances", "g.V().hasLabel('song').values('performances').sum()");
        t.put("followedBy weight sum, max, mean",
                "g.E().hasLabel('followedBy').values('weight').fold().project('sum', 'max', 'mean')"
                        + ".by(__.sum(Scope.local)).by(__.max(Scope.local)).by(__.mean(Scope.local))");
        t.put("heaviest followedBy", "g.E().hasLabel('followedBy').order().by('weight', Order.desc)"
                + ".by(__.outV().values('name')).by(__.inV().values('name')).limit(3)"
                + ".project('from', 'to', 'weight').by(__.outV().values('name')).by(__.inV().values('name'))"
                + ".by('weight')");
        t.put("typed vertices, all values", "g.V().hasLabel('typed').order().by('name').valueMap()");
        t.put("typed lookup by Long", "g.V().has('typed', 'aLong', 9007199254740993L).values('name')");
        t.put("typed lookup by Integer given as Long", "g.V().has('typed', 'anInt', 42L).values('name')");
        t.put("typed lookup by Float", "g.V().has('typed', 'aFloat', P.lt(0)).values('name')");
        t.put("typed edge strength", "g.E().hasLabel('typedLink').values('strength')");
        return t;
    }

    /**
     * The values of the two typed vertices: the types both plain GraphSON 3 (what {@code g.io()}
     * writes) and JanusGraph carry as they are. Short, Byte and the others need GraphSON's extended
     * module; the per-type files show what becomes of them.
     */
    static void addTypedVertices(Graph graph) {
        GraphTraversalSource g = graph.traversal();
        Vertex a = g.addV("typed").property("name", "a").property("anInt", 42)
                .property("aLong", 9_007_199_254_740_993L).property("aDouble", 0.1).property("aFloat", 1.5f)
                .property("aBool", true)
                .property("aUuid", UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"))
                .property("aDate", new Date(1_700_000_000_000L)).next();
        Vertex b = g.addV("typed").property("name", "b").property("anInt", -1).property("aLong", -5L)
                .property("aDouble", 2.5e300).property("aFloat", -0.25f).property("aBool", false)
                .property("aUuid", UUID.fromString("7c9e6679-7425-40de-944b-e07fc1f90ae7"))
                .property("aDate", new Date(0L)).next();
        g.addE("typedLink").from(a).to(b).property("strength", 0.75).iterate();
    }

    /** One value of each type a Gremlin user may have stored, for the per-type files. */
    static Map<String, Object> typeProbes() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Integer", 42);
        p.put("Long", 9_007_199_254_740_993L);
        p.put("Short", (short) 12);
        p.put("Byte", (byte) 7);
        p.put("Double", 0.1);
        p.put("Float", 1.5f);
        p.put("Boolean", true);
        p.put("String", "text");
        p.put("Character", 'x');
        p.put("UUID", UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"));
        p.put("Date", new Date(1_700_000_000_000L));
        p.put("OffsetDateTime", OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 0, ZoneOffset.ofHours(2)));
        p.put("BigInteger", new BigInteger("123456789012345678901234567890"));
        p.put("BigDecimal", new BigDecimal("1.10"));
        p.put("List of Strings", List.of("a", "b"));
        p.put("int array", new int[] {1, 2});
        return p;
    }

    @TempDir
    Path dir;

    @Test
    void sableAnswersEqualTinkerGraphsAndTheExportIsWritten() throws Exception {
        Files.createDirectories(EXPORT.resolve("types"));
        Path source = dir.resolve("grateful-dead-v3.json");
        try (InputStream in = GraphSONResourceAccess.class.getResourceAsStream("grateful-dead-v3.json")) {
            Files.copy(in, source);
        }

        TinkerGraph reference = TinkerGraph.open();
        reference.traversal().io(source.toString()).with(IO.reader, IO.graphson).read().iterate();
        addTypedVertices(reference);
        Map<String, List<Object>> expected = answers(reference.traversal());

        try (SableGraph sable = openSable(dir.resolve("db"))) {
            sable.traversal().io(source.toString()).with(IO.reader, IO.graphson).read().iterate();
            addTypedVertices(sable);
            sable.tx().commit();
        }
        try (SableGraph sable = openSable(dir.resolve("db"))) {
            Map<String, List<Object>> actual = answers(sable.traversal());
            for (String name : TRAVERSALS.keySet()) {
                assertEquals(expected.get(name), actual.get(name), name);
                assertTrue(!actual.get(name).isEmpty(), name + " gives an answer");
            }
            sable.traversal().io(EXPORT.resolve("graph.json").toString()).with(IO.writer, IO.graphson).write()
                    .iterate();
            sable.traversal().io(EXPORT.resolve("graph.kryo").toString()).with(IO.writer, IO.gryo).write().iterate();
            sable.tx().rollback();
            writeAnswers(actual, EXPORT.resolve("answers.json"));
        }
        writeTypeProbes();
    }

    /**
     * One single-vertex graph per probe type, in three files: {@code types/io/T.json} by
     * {@code g.io()} (plain GraphSON 3; absent when it cannot write the type),
     * {@code types/extended/T.json} by a GraphSON 3 writer with TinkerPop's extended module, and
     * {@code types/gryo/T.kryo} by {@code g.io()} as Gryo.
     */
    private void writeTypeProbes() throws IOException {
        List<String> plainWritable = new ArrayList<>();
        GraphSONWriter extended = GraphSONWriter.build()
                .mapper(GraphSONMapper.build().version(GraphSONVersion.V3_0).addDefaultXModule(true).create())
                .create();
        try (SableGraph sable = openSable(dir.resolve("probes"))) {
            GraphTraversalSource g = sable.traversal();
            for (Map.Entry<String, Object> probe : typeProbes().entrySet()) {
                g.V().drop().iterate();
                g.addV("probe").property("v", probe.getValue()).iterate();
                sable.tx().commit();
                String name = probe.getKey().replace(' ', '-');
                Path plain = Files.createDirectories(EXPORT.resolve("types/io")).resolve(name + ".json");
                try {
                    g.io(plain.toString()).with(IO.writer, IO.graphson).write().iterate();
                    plainWritable.add(probe.getKey());
                } catch (IllegalStateException cannotWrite) {
                    Files.deleteIfExists(plain);
                }
                Path x = Files.createDirectories(EXPORT.resolve("types/extended")).resolve(name + ".json");
                try (OutputStream out = Files.newOutputStream(x)) {
                    extended.writeGraph(out, sable);
                }
                Path gryo = Files.createDirectories(EXPORT.resolve("types/gryo")).resolve(name + ".kryo");
                g.io(gryo.toString()).with(IO.writer, IO.gryo).write().iterate();
                sable.tx().rollback();
            }
        }
        // What plain GraphSON 3 has a type for; docs/gremlin.md lists the rest.
        assertEquals(List.of("Integer", "Long", "Double", "Float", "Boolean", "String", "UUID", "Date",
                "List of Strings", "int array"), plainWritable);
    }

    /** Each traversal's full result list, evaluated from its Gremlin text. */
    static Map<String, List<Object>> answers(GraphTraversalSource g) throws ScriptException {
        GremlinLangScriptEngine engine = new GremlinLangScriptEngine();
        Bindings bindings = engine.createBindings();
        bindings.put("g", g);
        Map<String, List<Object>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : TRAVERSALS.entrySet()) {
            Traversal<?, ?> traversal = (Traversal<?, ?>) engine.eval(t.getValue(), bindings);
            out.put(t.getKey(), new ArrayList<>(traversal.toList()));
        }
        return out;
    }

    /**
     * The answers as typed GraphSON 3: a list of {name, gremlin, answer}, so that the reader gets
     * the same Java types back ({@code g:Int32} is an Integer, {@code g:Int64} a Long).
     */
    private static void writeAnswers(Map<String, List<Object>> answers, Path file) throws IOException {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Map.Entry<String, List<Object>> a : answers.entrySet()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", a.getKey());
            entry.put("gremlin", TRAVERSALS.get(a.getKey()));
            entry.put("answer", a.getValue());
            entries.add(entry);
        }
        ObjectMapper mapper = GraphSONMapper.build().version(GraphSONVersion.V3_0).create().createMapper()
                .enable(SerializationFeature.INDENT_OUTPUT);
        try (OutputStream out = Files.newOutputStream(file)) {
            mapper.writeValue(out, entries);
        }
    }

    private static SableGraph openSable(Path directory) {
        BaseConfiguration c = new BaseConfiguration();
        c.setProperty(SableGraph.CONFIG_DIRECTORY, directory.toString());
        c.setProperty("sable.durability", "ASYNC");
        return SableGraph.open(c);
    }
}
