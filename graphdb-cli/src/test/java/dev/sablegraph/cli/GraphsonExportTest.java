package dev.sablegraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sable export --format graphson}: one JSON object per line, each a vertex in TinkerPop's
 * GraphSON 3.0 adjacency-list form, with typed values.
 */
class GraphsonExportTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    private static Map<String, Object> typed(String type, Object value) {
        return Map.of("@type", type, "@value", value);
    }

    private static Map<String, Object> int64(long v) {
        return typed("g:Int64", new BigDecimal(v));
    }

    @Test
    void oneVertexPerLineWithItsEdgesAndTypedValues() throws IOException {
        Path db = dir.resolve("db");
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db); Transaction tx = graph.begin()) {
            long a = tx.addNode(Set.of("Person", "Author"), Map.of("name", "Ada \"A\"\n", "born", 1815L,
                    "height", 1.65, "alive", false, "raw", new byte[] {1, 2, 3}));
            long b = tx.addNode(Set.of(), Map.of());
            tx.addEdge(a, b, "KNOWS", Map.of("since", 1833L, "w", Double.NaN));
            tx.addEdge(a, a, "SELF", Map.of());
            tx.commit();
        }
        Path out = dir.resolve("graph.json");
        Cli r = Cli.run("export", "--from", db.toString(), "--to", out.toString(), "--format", "graphson");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("Exported 2 nodes and 2 edges"), r.out());
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(2, lines.size());

        Map<String, Object> ada = object(MiniJson.parse(lines.get(0)));
        assertEquals(int64(0), ada.get("id"));
        assertEquals("Author::Person", ada.get("label"));
        Map<String, Object> outE = object(ada.get("outE"));
        assertEquals(Set.of("KNOWS", "SELF"), outE.keySet());
        Map<String, Object> knows = object(list(outE.get("KNOWS")).get(0));
        assertEquals(int64(0), knows.get("id"));
        assertEquals(int64(1), knows.get("inV"));
        assertEquals(Map.of("since", int64(1833), "w", typed("g:Double", "NaN")), knows.get("properties"));
        Map<String, Object> self = object(list(outE.get("SELF")).get(0));
        assertEquals(Map.of("id", int64(1), "inV", int64(0)), self, "no properties: none written");
        assertEquals(List.of(Map.of("id", int64(1), "outV", int64(0))), object(ada.get("inE")).get("SELF"),
                "a self-loop is an outgoing and an incoming edge of its vertex");
        Map<String, Object> props = object(ada.get("properties"));
        assertEquals(List.of("alive", "born", "height", "name", "raw"), List.copyOf(props.keySet()));
        assertEquals(Boolean.FALSE, value(props, "alive"));
        assertEquals(int64(1815), value(props, "born"));
        assertEquals(typed("g:Double", new BigDecimal("1.65")), value(props, "height"));
        assertEquals("Ada \"A\"\n", value(props, "name"));
        assertEquals(typed("gx:ByteBuffer", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})),
                value(props, "raw"));
        Map<String, Object> firstProperty = object(list(props.get("alive")).get(0));
        assertEquals(int64(0), firstProperty.get("id"), "vertex properties are numbered in the file");

        Map<String, Object> other = object(MiniJson.parse(lines.get(1)));
        assertEquals("vertex", other.get("label"), "TinkerPop's label of a vertex without one");
        assertFalse(other.containsKey("outE"));
        assertFalse(other.containsKey("properties"));
        Map<String, Object> in = object(list(object(other.get("inE")).get("KNOWS")).get(0));
        assertEquals(int64(0), in.get("outV"));

        Cli again = Cli.run("export", "--from", db.toString(), "--to", out.toString(), "--format", "graphson");
        assertEquals(1, again.exit(), "an existing file is never overwritten");
    }

    private static Object value(Map<String, Object> properties, String key) {
        List<Object> values = list(properties.get(key));
        assertEquals(1, values.size(), "single cardinality");
        return object(values.get(0)).get("value");
    }
}
