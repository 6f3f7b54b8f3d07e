package dev.sablegraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * {@code import(export(x)) == x}: a random graph written through transactions, exported as CSV by
 * {@code sable export} and imported by {@code sable import}, is the same graph: node for node in id
 * order (the import numbers them densely from 0, the original may have gaps where nodes were
 * deleted) with the same labels and property values of the same types, and the same edges. Names
 * and strings carry the delimiters, quotes, line breaks and non-ASCII text that CSV must escape.
 */
class ExportRoundTripProperties {
    private static final GraphConfig SMALL = GraphConfig.builder().pageCacheBytes(8L << 20).walSegmentBytes(1L << 20)
            .build();

    private final List<Path> roots = new ArrayList<>();

    /** A node to create: its labels and properties, and whether it is deleted again (an id gap). */
    record NodeSpec(Set<String> labels, Map<String, Object> properties, boolean deleted) {}

    /** An edge between the i-th and j-th kept nodes. */
    record EdgeSpec(int from, int to, String type, Map<String, Object> properties) {}

    record GraphSpec(List<NodeSpec> nodes, List<EdgeSpec> edges) {}

    @Property(tries = 15)
    void importOfExportIsTheSameGraph(@ForAll("graphs") GraphSpec graph) throws IOException {
        roundTrip(graph);
    }

    @Property(tries = 10)
    void listValuesSurviveTheRoundTrip(@ForAll("graphsWithLists") GraphSpec graph) throws IOException {
        roundTrip(graph);
    }

    private void roundTrip(GraphSpec graph) throws IOException {
        Path root = Files.createTempDirectory("sable-roundtrip");
        roots.add(root);
        Path source = root.resolve("source");
        List<Long> ids = build(source, graph);
        Path csv = root.resolve("csv");
        Cli export = Cli.run("export", "--from", source.toString(), "--to", csv.toString(), "--format", "csv");
        assertEquals(0, export.exit(), export::toString);
        Path copy = root.resolve("copy");
        Cli imported = Cli.run("import", "--into", copy.toString(), "--nodes=" + csv.resolve("nodes.csv"),
                "--relationships=" + csv.resolve("relationships.csv"), "--max-memory=64m");
        assertEquals(0, imported.exit(), imported::toString);
        List<Long> dense = new ArrayList<>();
        for (long i = 0; i < ids.size(); i++) {
            dense.add(i);
        }
        assertEquals(read(source, ids), read(copy, dense));
    }

    @AfterProperty
    void removeDirectories() {
        roots.forEach(TestFiles::deleteTree);
        roots.clear();
    }

    /** Builds the graph; returns the ids of the nodes kept, ascending. */
    private static List<Long> build(Path dir, GraphSpec g) {
        List<Long> kept = new ArrayList<>();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, SMALL); Transaction tx = db.begin()) {
            for (NodeSpec n : g.nodes()) {
                long id = tx.addNode(n.labels(), n.properties());
                if (n.deleted()) {
                    tx.deleteNode(id);
                } else {
                    kept.add(id);
                }
            }
            for (EdgeSpec e : g.edges()) {
                if (!kept.isEmpty()) {
                    tx.addEdge(kept.get(e.from() % kept.size()), kept.get(e.to() % kept.size()), e.type(), e.properties());
                }
            }
            tx.commit();
        }
        return kept;
    }

    /** The graph as comparable values: nodes by position in {@code ids}, edges as a multiset by positions. */
    private static Map<String, Object> read(Path dir, List<Long> ids) {
        Map<Long, Integer> position = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            position.put(ids.get(i), i);
        }
        List<Object> nodes = new ArrayList<>();
        Map<List<Object>, Integer> edges = new HashMap<>();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, SMALL); Transaction tx = db.begin()) {
            for (long id : ids) {
                Node n = tx.getNode(id).orElseThrow();
                nodes.add(List.of(n.labels(), comparable(n.properties())));
                for (Edge e : tx.edges(id, Direction.OUTGOING, null)) {
                    edges.merge(List.of(position.get(e.from()), position.get(e.to()), e.type(), comparable(e.properties())),
                            1, Integer::sum);
                }
            }
            long next = ids.isEmpty() ? 0 : ids.get(ids.size() - 1) + 1;
            assertEquals(java.util.Optional.empty(), tx.getNode(next), "no node beyond the last one expected");
        }
        return Map.of("nodes", nodes, "edges", edges);
    }

    /** Properties with byte arrays as lists, so that maps compare by content. */
    private static Map<String, Object> comparable(Map<String, Object> properties) {
        Map<String, Object> out = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (v instanceof byte[] bytes) {
                List<Byte> list = new ArrayList<>();
                for (byte b : bytes) {
                    list.add(b);
                }
                out.put(k, List.of("bytes", list));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<GraphSpec> graphs() {
        return graphs(false);
    }

    @Provide
    Arbitrary<GraphSpec> graphsWithLists() {
        return graphs(true);
    }

    private static Arbitrary<GraphSpec> graphs(boolean lists) {
        Arbitrary<Map<String, Object>> properties = Arbitraries.maps(keys(), values(lists)).ofMaxSize(4);
        Arbitrary<NodeSpec> node = Combinators.combine(names().set().ofMaxSize(3), properties,
                Arbitraries.integers().between(0, 5).map(i -> i == 0))
                .as(NodeSpec::new);
        Arbitrary<EdgeSpec> edge = Combinators.combine(Arbitraries.integers().between(0, 20),
                Arbitraries.integers().between(0, 20), names(), properties).as(EdgeSpec::new);
        return Combinators.combine(node.list().ofMaxSize(12), edge.list().ofMaxSize(20)).as(GraphSpec::new);
    }

    /** Labels and types: plain, and with what CSV must quote (but no array delimiter in a label). */
    private static Arbitrary<String> names() {
        return Arbitraries.of("Person", "KNOWS", "with space", "com,ma", "quo\"te", "line\nbreak", "ünï", "x:ID",
                ":LABEL", "\"");
    }

    /** Keys, some of which look like header syntax. */
    private static Arbitrary<String> keys() {
        return Arbitraries.of("name", "a:b", "age:int", "with,comma", "quo\"te", "k[]", "(g)", ":ID", "x", "new\nline");
    }

    private static Arbitrary<String> strings() {
        Arbitrary<String> any = Arbitraries.strings().withCharRange(' ', '~').withChars("\n\r\t\u0000\uFEFFüé中\u2028")
                .ofMaxLength(12);
        return Arbitraries.oneOf(any, Arbitraries.of("", "\"\"", ",", ";", "😀 emoji", " padded "));
    }

    private static Arbitrary<Object> values(boolean lists) {
        Arbitrary<Object> doubles = Arbitraries.oneOf(Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        Double.MIN_VALUE, Double.MAX_VALUE, 1e-300, 123456789.125));
        Arbitrary<Object> scalars = Arbitraries.oneOf(
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L).map(l -> (Object) l),
                doubles,
                Arbitraries.of(true, false).map(b -> (Object) b),
                strings().map(s -> (Object) s),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(5).map(b -> (Object) b));
        if (!lists) {
            return scalars;
        }
        Arbitrary<String> element = strings().filter(s -> s.indexOf(';') < 0);
        Arbitrary<Object> list = Arbitraries.oneOf(
                Arbitraries.longs().list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.doubles().list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.of(true, false).list().ofMaxSize(4).map(l -> (Object) l),
                element.list().ofMaxSize(4).filter(l -> !l.equals(List.of(""))).map(l -> (Object) l));
        return Arbitraries.oneOf(scalars, list);
    }
}
