package dev.sablegraph.internal.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.internal.graph.codec.IndexKeys;
import dev.sablegraph.internal.graph.codec.SchemaKeys;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The integrity check finds what is there and reports each kind of damage it is for. */
class IntegrityCheckTest {
    private static final GraphConfig CONFIG = GraphConfig.builder().pageCacheBytes(4L << 20).build();

    @TempDir
    Path dir;

    @Test
    void aGraphBuiltThroughTheApiIsCleanWithExactCounts() {
        long liveNodes;
        long liveEdges;
        try (UnloggedGraph db = UnloggedGraph.open(dir, CONFIG)) {
            db.createIndex("Person", "name");
            db.createIndex("Person", "age");
            List<Long> nodes = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                nodes.add(db.addNode(Set.of("Person"), Map.of("name", "p" + i, "age", (long) (i % 50))));
            }
            Random random = new Random(7);
            List<Long> edges = new ArrayList<>();
            for (int i = 0; i < 1_500; i++) {
                long from = nodes.get(random.nextInt(nodes.size()));
                long to = i % 100 == 0 ? from : nodes.get(random.nextInt(nodes.size())); // some self-loops
                edges.add(db.addEdge(from, to, i % 2 == 0 ? "KNOWS" : "LIKES", Map.of("w", (long) i)));
            }
            for (int i = 0; i < edges.size(); i += 3) {
                db.deleteEdge(edges.get(i));
            }
            for (int i = 0; i < 100; i++) {
                db.setNodeProperty(nodes.get(i), "age", 99L);
                db.removeNodeProperty(nodes.get(i + 100), "name");
            }
            long isolated = db.addNode(Set.of("Person", "Lonely"), Map.of());
            db.deleteNode(isolated);
            liveNodes = db.nodeCount();
            liveEdges = db.edgeCount();
        }
        try (UnloggedGraph db = UnloggedGraph.open(dir, CONFIG)) {
            IntegrityReport report = db.checkIntegrity();
            assertTrue(report.isClean(), report.toString());
            assertEquals(liveNodes, report.count("nodes"));
            assertEquals(liveEdges, report.count("edges"));
            assertEquals(300, report.count("label index entries"));
            assertEquals(300 * 2 - 100, report.count("schema index entries"));
            assertEquals(2, report.count("indexes"));
            assertTrue(report.count("data file pages verified on disk (checksum, type)") > 1, report.toString());
            assertTrue(report.toString().contains("CLEAN"), report.toString());
        }
    }

    @Test
    void aFlippedByteOnDiskIsReportedWithItsPage() throws IOException {
        try (UnloggedGraph db = UnloggedGraph.open(dir, CONFIG)) {
            for (int i = 0; i < 2_000; i++) {
                db.addNode(Set.of("N"), Map.of("pad", "x".repeat(100) + i));
            }
        }
        Path data = dir.resolve(StoreLayout.DATA_FILE);
        int pageSize = CONFIG.pageSize();
        long page;
        try (UnloggedGraph db = UnloggedGraph.open(dir, CONFIG)) {
            assertTrue(db.checkIntegrity().isClean());
            page = db.checkIntegrity().count("data file pages verified on disk (checksum, type)") - 1;
        }
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            long at = page * pageSize + pageSize / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
        try (UnloggedGraph db = UnloggedGraph.open(dir, CONFIG)) {
            IntegrityReport report = db.checkIntegrity();
            assertFalse(report.isClean());
            assertTrue(report.problems().stream().anyMatch(p -> p.contains("at page " + page) && p.contains("checksum")),
                    report.toString());
            assertTrue(report.toString().contains("DAMAGED"), report.toString());
        }
        assertTrue(Files.exists(data));
    }

    @Test
    void anIndexEntryNoStateHasIsReportedUnlessASnapshotMayNeedIt() {
        try (GraphStore store = GraphStore.open(dir, CONFIG)) {
            long id = store.reserveNodeId();
            store.createNode(id, Set.of("Person"), Map.of("name", "Ada"));
            int person = store.tokens().idOf(TokenKind.LABEL, "Person");
            store.graphIndexes().tree(GraphIndexes.Tree.LABEL).insert(IndexKeys.label(person, 999));

            IntegrityReport strict = check(store, n -> false);
            assertFalse(strict.isClean());
            assertTrue(strict.problems().stream().anyMatch(p -> p.contains("label index has an entry for node 999")),
                    strict.toString());

            IntegrityReport tolerant = check(store, n -> n == 999);
            assertTrue(tolerant.isClean(), tolerant.toString());
            assertEquals(1, tolerant.count("index entries kept for older snapshots"));
        }
    }

    @Test
    void aMissingIndexEntryIsReported() {
        try (GraphStore store = GraphStore.open(dir, CONFIG)) {
            store.addIndex("Person", "name", false);
            store.markIndexOnline("Person", "name");
            long id = store.reserveNodeId();
            store.createNode(id, Set.of("Person"), Map.of("name", "Ada"));
            int person = store.tokens().idOf(TokenKind.LABEL, "Person");
            int name = store.tokens().idOf(TokenKind.PROPERTY_KEY, "name");
            store.graphIndexes().tree(GraphIndexes.Tree.SCHEMA).delete(SchemaKeys.key(person, name, "Ada", id));

            IntegrityReport report = check(store, n -> true);
            assertTrue(report.problems().stream().anyMatch(p -> p.contains("node " + id + ": the schema index lacks")),
                    report.toString());
        }
    }

    @Test
    void anEdgeWhoseEndpointRecordIsLostIsReportedFromBothSides() {
        try (GraphStore store = GraphStore.open(dir, CONFIG)) {
            long a = store.reserveNodeId();
            long b = store.reserveNodeId();
            store.createNode(a, Set.of("N"), Map.of());
            store.createNode(b, Set.of("N"), Map.of());
            long e = store.reserveEdgeId();
            store.createEdge(e, a, b, "T", Map.of());
            assertTrue(check(store, n -> false).isClean());

            store.nodes().ids().set(b, 0); // the id no longer leads to b's record

            IntegrityReport report = check(store, n -> true);
            List<String> problems = report.problems();
            assertTrue(problems.stream().anyMatch(p -> p.contains("edge " + e + ": its target node " + b + " does not exist")),
                    report.toString());
            assertTrue(problems.stream().anyMatch(p -> p.contains("orphaned node record")), report.toString());
            assertTrue(problems.stream().anyMatch(p -> p.contains("0 incoming entries for 1 edges")), report.toString());
        }
    }

    @Test
    void aDamagedListValueIsReportedNotRead() {
        try (GraphStore store = GraphStore.open(dir, CONFIG)) {
            long id = store.reserveNodeId();
            store.createNode(id, Set.of("Person"), Map.of("scores", List.of(7L)));
            assertTrue(check(store, n -> false).isClean());

            byte[] bytes = store.nodes().find(id).encode();
            assertEquals(3, bytes[bytes.length - 9], "the list's element type (Long) before its one element");
            bytes[bytes.length - 9] = 9; // no such element type
            long ptr = store.nodes().records().update(store.nodes().ids().get(id), bytes);
            store.nodes().ids().set(id, ptr);

            IntegrityReport report = check(store, n -> false);
            assertFalse(report.isClean());
            assertTrue(report.problems().stream().anyMatch(p -> p.startsWith("node " + id + ":")
                    && p.contains("unknown list element type 9")), report.toString());
        }
    }

    @Test
    void staleEntriesOfTheGivenNodesAreDroppedAndOthersKept() {
        try (GraphStore store = GraphStore.open(dir, CONFIG)) {
            store.addIndex("Person", "name", false);
            store.markIndexOnline("Person", "name");
            long id = store.reserveNodeId();
            store.createNode(id, Set.of("Person"), Map.of("name", "Ada"));
            store.replaceNode(id, Set.of("Person"), Map.of("name", "Grace"), false); // keeps Ada's entry
            long other = store.reserveNodeId();
            store.createNode(other, Set.of("Person"), Map.of("name", "Alan"));
            store.replaceNode(other, Set.of("Person"), Map.of("name", "Joan"), false);

            assertEquals(1, store.dropStaleIndexEntries(new long[] {id}));
            IntegrityReport report = check(store, n -> n == other);
            assertTrue(report.isClean(), report.toString());
            assertEquals(1, report.count("index entries kept for older snapshots"), "only other's entry is left");
        }
    }

    private static IntegrityReport check(GraphStore store, java.util.function.LongPredicate stale) {
        IntegrityReport.Builder b = IntegrityReport.builder();
        store.checkIntegrity(stale, b);
        return b.build();
    }
}
