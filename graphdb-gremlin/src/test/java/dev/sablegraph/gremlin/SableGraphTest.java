package dev.sablegraph.gremlin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Durability;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.WriteConflictException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.tinkerpop.gremlin.process.traversal.IO;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.structure.Graph;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.structure.VertexProperty;
import org.apache.tinkerpop.gremlin.structure.util.GraphFactory;
import org.apache.tinkerpop.gremlin.tinkergraph.structure.TinkerGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SableGraphTest {
    @TempDir
    Path dir;

    private static Map<String, Object> typedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("int", 29);
        m.put("long", 29L);
        m.put("short", (short) 7);
        m.put("byte", (byte) -3);
        m.put("float", 0.1f);
        m.put("double", 0.1d);
        m.put("bool", true);
        m.put("string", "ada");
        m.put("char", 'x');
        m.put("uuid", UUID.fromString("1c535978-dc36-4cd2-ab82-95a98a847757"));
        m.put("time", OffsetDateTime.of(2026, 12, 5, 10, 30, 0, 0, ZoneOffset.ofHours(2)));
        m.put("bigint", new BigInteger("100000000000000000000000000001"));
        m.put("smallBigint", BigInteger.valueOf(12));
        m.put("bigdec", new BigDecimal("1.10"));
        m.put("intList", List.of(1, 2, 3));
        m.put("floatList", List.of(1.5f, 2.5f));
        m.put("longList", List.of(1L, 2L));
        m.put("mixedList", List.of("a", 1, 2.5f));
        m.put("nestedList", List.of(List.of(1, 2), List.of("x")));
        m.put("map", Map.of("k", 1, "j", List.of(2L)));
        m.put("set", Set.of(1, 2));
        m.put("emptyList", List.of());
        return m;
    }

    private static void assertSameTyped(Object expected, Object actual, String key) {
        assertEquals(expected, actual, key);
        assertEquals(expected.getClass().isArray(), actual.getClass().isArray(), key);
        if (!(expected instanceof List) && !(expected instanceof Map) && !(expected instanceof Set)) {
            assertEquals(expected.getClass(), actual.getClass(), key);
        }
        if (expected instanceof List<?> l) {
            List<?> a = (List<?>) actual;
            for (int i = 0; i < l.size(); i++) {
                assertSameTyped(l.get(i), a.get(i), key + "[" + i + "]");
            }
        }
        if (expected instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertSameTyped(e.getValue(), ((Map<?, ?>) actual).get(e.getKey()), key + "." + e.getKey());
            }
        }
    }

    @Test
    void valuesReadBackWithTheirJavaTypeAfterReopenOnVerticesAndEdges() throws Exception {
        Map<String, Object> values = typedValues();
        Object vid;
        Object eid;
        try (SableGraph graph = SableGraph.open(dir)) {
            GraphTraversalSource g = graph.traversal();
            Vertex a = g.addV("person").next();
            Vertex b = g.addV("person").next();
            values.forEach(a::property);
            var e = a.addEdge("knows", b);
            values.forEach(e::property);
            a.property("ints", new int[] {1, 2});
            a.property("doubles", new double[] {1.5});
            a.property("strings", new String[] {"p", "q"});
            a.property("bytes", new byte[] {1, 2});
            graph.tx().commit();
            vid = a.id();
            eid = e.id();
        }
        try (SableGraph graph = SableGraph.open(dir)) {
            GraphTraversalSource g = graph.traversal();
            Map<Object, Object> vmap = g.V(vid).valueMap().by(org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.__.unfold()).next();
            Map<Object, Object> emap = g.E(eid).valueMap().next();
            for (Map.Entry<String, Object> v : values.entrySet()) {
                assertSameTyped(v.getValue(), vmap.get(v.getKey()), "vertex " + v.getKey());
                assertSameTyped(v.getValue(), emap.get(v.getKey()), "edge " + v.getKey());
            }
            assertArrayEquals(new int[] {1, 2}, (int[]) g.V(vid).values("ints").next());
            assertArrayEquals(new double[] {1.5}, (double[]) g.V(vid).values("doubles").next());
            assertArrayEquals(new String[] {"p", "q"}, (String[]) g.V(vid).values("strings").next());
            assertArrayEquals(new byte[] {1, 2}, (byte[]) g.V(vid).values("bytes").next());
            assertEquals(values.size() + 4, g.V(vid).properties().count().next());
        }
    }

    /** Gryo registers ArrayList, not the JDK's immutable lists: a list value must read as one it can write. */
    @Test
    void everyTypedValueIsWrittenByGryoAndReadBackByTinkerGraph() {
        Map<String, Object> values = typedValues();
        Path file = dir.resolve("typed.kryo");
        try (SableGraph graph = SableGraph.open(dir.resolve("db"))) {
            Vertex a = graph.addVertex("person");
            values.forEach(a::property);
            graph.tx().commit();
            graph.traversal().io(file.toString()).with(IO.writer, IO.gryo).write().iterate();
            graph.tx().rollback();
        }
        TinkerGraph back = TinkerGraph.open();
        back.traversal().io(file.toString()).with(IO.reader, IO.gryo).read().iterate();
        Vertex read = back.vertices().next();
        for (Map.Entry<String, Object> v : values.entrySet()) {
            assertSameTyped(v.getValue(), read.value(v.getKey()), v.getKey());
        }
    }

    @Test
    void thePlainApiSeesStoredValuesAndTheTagsUnderReservedKeys() {
        try (SableGraph graph = SableGraph.open(dir)) {
            Vertex v = graph.addVertex("person");
            v.property("age", 29);
            v.property("weight", 1.5f);
            v.property("name", "ada");
            graph.tx().commit();
            try (Transaction tx = graph.database().begin()) {
                Node n = tx.getNode((Long) v.id()).orElseThrow();
                assertEquals(29L, n.properties().get("age"));
                assertEquals(1.5d, n.properties().get("weight"));
                assertEquals("ada", n.properties().get("name"));
                assertEquals(List.of("age", "i", "weight", "f"), n.properties().get(StoredProperties.TYPES));
                assertEquals(Set.of("person"), n.labels());
            }
            // a value the plain API writes reads through Gremlin as stored
            try (Transaction tx = graph.database().begin()) {
                tx.setNodeProperty((Long) v.id(), "height", 180);
                tx.commit();
            }
            graph.tx().rollback();
            assertEquals(180L, graph.traversal().V(v.id()).values("height").next());
            assertEquals(29, graph.traversal().V(v.id()).values("age").next());
        }
    }

    @Test
    void reservedKeysAndLabelsAreRefusedFromGremlin() {
        try (SableGraph graph = SableGraph.open(dir)) {
            Vertex v = graph.addVertex("person");
            assertThrows(IllegalArgumentException.class, () -> v.property("~types", "x"));
            assertThrows(IllegalArgumentException.class, () -> graph.addVertex("~hidden"));
            assertFalse(v.keys().contains(StoredProperties.TYPES));
        }
    }

    @Test
    void multiAndMetaPropertiesSurviveReopenAndStayVisibleToIndexLookups() {
        Object vid;
        try (SableGraph graph = SableGraph.open(dir)) {
            Vertex v = graph.addVertex("person");
            v.property(VertexProperty.Cardinality.list, "location", "san diego", "startTime", 1997);
            v.property(VertexProperty.Cardinality.list, "location", "santa cruz", "startTime", 2001);
            v.property("name", "marko", "acl", "public");
            graph.tx().commit();
            vid = v.id();
        }
        try (SableGraph graph = SableGraph.open(dir)) {
            // the lookups below go through the indexes, which must find the multi-valued vertex too
            graph.database().createIndex("person", "location");
            graph.database().createIndex("person", "name");
            assertTrue(graph.database().awaitIndexesOnline(java.time.Duration.ofMinutes(1)));
            GraphTraversalSource g = graph.traversal();
            assertEquals("person", g.V(vid).label().next(), "the reserved label is not shown");
            assertEquals(List.of("san diego", "santa cruz"), g.V(vid).values("location").toList());
            assertEquals(List.of(1997, 2001), g.V(vid).properties("location").values("startTime").toList());
            assertEquals("public", g.V(vid).properties("name").values("acl").next());
            assertEquals(1L, g.V().has("person", "location", "santa cruz").count().next());
            assertEquals(1L, g.V().has("person", "name", "marko").count().next());
            g.V(vid).properties("location").hasValue("san diego").drop().iterate();
            g.V(vid).properties("name").properties("acl").drop().iterate();
            graph.tx().commit();
            try (Transaction tx = graph.database().begin()) {
                Node n = tx.getNode((Long) vid).orElseThrow();
                assertEquals("marko", n.properties().get("name"));
                assertTrue(n.labels().contains(StoredProperties.MULTI), "santa cruz still has meta");
            }
            assertEquals(List.of("santa cruz"), g.V(vid).values("location").toList());
        }
    }

    @Test
    void graphFactoryMapsSableKeysToGraphConfigAndRefusesUnknownOnes() {
        BaseConfiguration conf = new BaseConfiguration();
        conf.setProperty(Graph.GRAPH, SableGraph.class.getName());
        conf.setProperty("sable.directory", dir.toString());
        conf.setProperty("sable.durability", "async");
        conf.setProperty("sable.pageCacheBytes", "8388608");
        conf.setProperty("sable.gremlin.vertexPropertyCardinality", "list");
        try (SableGraph graph = (SableGraph) GraphFactory.open(conf)) {
            assertInstanceOf(SableGraph.class, graph);
            assertEquals(VertexProperty.Cardinality.list, graph.features().vertex().getCardinality("x"));
            assertFalse(graph.features().graph().supportsComputer());
            assertTrue(graph.features().graph().supportsTransactions());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        conf.setProperty("sable.noSuchSetting", "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SableGraph.open(conf));
        assertTrue(e.getMessage().contains("sable.noSuchSetting"), e.getMessage());
        conf.clearProperty("sable.noSuchSetting");
        conf.setProperty("sable.durability", "sometimes");
        e = assertThrows(IllegalArgumentException.class, () -> SableGraph.open(conf));
        assertTrue(e.getMessage().contains("sable.durability"), e.getMessage());
        BaseConfiguration none = new BaseConfiguration();
        e = assertThrows(IllegalArgumentException.class, () -> SableGraph.open(none));
        assertTrue(e.getMessage().contains("sable.directory"), e.getMessage());
        assertEquals(Durability.SYNC, dev.sablegraph.core.GraphConfig.defaults().durability());
    }

    @Test
    void idsAreLongsAndAnyWholeNumberOrItsTextFindsTheElement() {
        try (SableGraph graph = SableGraph.open(dir)) {
            Vertex v = graph.addVertex("person");
            assertInstanceOf(Long.class, v.id());
            long id = (Long) v.id();
            GraphTraversalSource g = graph.traversal();
            assertEquals(v, g.V((int) id).next());
            assertEquals(v, g.V(Long.toString(id)).next());
            assertEquals(v, g.V((double) id).next());
            assertFalse(g.V("not an id").hasNext());
            assertFalse(g.V(id + 0.5).hasNext());
        }
    }

    @Test
    void eachThreadHasItsOwnTransactionAndAConflictSurfacesAsWriteConflict() throws Exception {
        try (SableGraph graph = SableGraph.open(dir)) {
            Vertex v = graph.addVertex("person");
            v.property("n", 0);
            graph.tx().commit();
            v.property("n", 1); // this thread's transaction: not committed yet
            CompletableFuture<Object> other = CompletableFuture.supplyAsync(() -> {
                Object seen = graph.traversal().V(v.id()).values("n").next();
                graph.traversal().V(v.id()).property("n", 2).iterate();
                graph.tx().commit();
                return seen;
            });
            assertEquals(0, other.get(), "another thread does not see uncommitted writes");
            assertThrows(WriteConflictException.class, () -> graph.tx().commit());
            assertFalse(graph.tx().isOpen());
            assertEquals(2, graph.traversal().V(v.id()).values("n").next());
        }
    }

    @Test
    void removingAVertexRemovesItsEdges() {
        try (SableGraph graph = SableGraph.open(dir)) {
            GraphTraversalSource g = graph.traversal();
            Vertex a = g.addV("a").next();
            Vertex b = g.addV("b").next();
            g.addE("self").from(a).to(a).iterate();
            g.addE("ab").from(a).to(b).iterate();
            assertEquals(2L, g.V(a).bothE("self").count().next(), "a self-loop counts once per direction");
            g.V(a).drop().iterate();
            graph.tx().commit();
            assertEquals(0L, g.E().count().next());
            assertEquals(1L, g.V().count().next());
        }
    }

    @Test
    void explainShowsTheIndexStrategy() {
        try (SableGraph graph = SableGraph.open(dir)) {
            String explained = graph.traversal().V().has("person", "name", "ada").explain().prettyPrint();
            assertTrue(explained.contains("SableGraphStepStrategy"), explained);
            assertTrue(explained.contains("SableGraphStep"), explained);
        }
    }
}
