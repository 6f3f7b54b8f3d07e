package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Node;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code byte[]} property values are copied in and out: changing an array after handing it to the
 * database, or an array the database returned, changes nothing any transaction reads: not the
 * same {@code Node}, not the transaction's own writes, not the committed state (which is cached
 * and kept in version chains, and handed to every later reader).
 */
class ByteArrayPropertyTest {
    private static final byte[] ORIGINAL = {1, 2, 3};

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void anArrayReturnedByAReadIsTheReadersOwn(LockStrategy strategy) {
        try (ConcurrentGraphDB db = ConcurrencyTestSupport.open(dir, strategy)) {
            long a;
            long e;
            try (Transaction tx = db.begin()) {
                a = tx.addNode(Set.of("N"), Map.of("blob", ORIGINAL.clone()));
                e = tx.addEdge(a, a, "R", Map.of("blob", ORIGINAL.clone()));
                scribbleOn(tx.getNode(a).orElseThrow().properties().get("blob")); // its own, uncommitted write
                scribbleOn(tx.getEdge(e).orElseThrow().properties().get("blob"));
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                Node n = tx.getNode(a).orElseThrow();
                scribbleOn(n.properties().get("blob"));
                assertBlob(n.properties().get("blob"), "the same Node read again");
                assertBlob(n.properties().values().iterator().next(), "the same Node's values()");
                assertBlob(tx.getNode(a).orElseThrow().properties().get("blob"), "a second read in the same transaction");
                scribbleOn(tx.nodesByLabel("N").get(0).properties().get("blob"));
                scribbleOn(tx.findNodes("N", "blob", ORIGINAL).get(0).properties().get("blob"));

                Edge edge = tx.getEdge(e).orElseThrow();
                scribbleOn(edge.properties().get("blob"));
                assertBlob(edge.properties().get("blob"), "the same Edge read again");
                scribbleOn(tx.edges(a, Direction.OUTGOING, "R").get(0).properties().get("blob"));
                assertBlob(tx.getEdge(e).orElseThrow().properties().get("blob"), "a second edge read in the same transaction");
            }
            try (Transaction tx = db.begin()) {
                assertBlob(tx.getNode(a).orElseThrow().properties().get("blob"), "a later transaction's node");
                assertBlob(tx.getEdge(e).orElseThrow().properties().get("blob"), "a later transaction's edge");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LockStrategy.class)
    void anArrayPassedInIsCopied(LockStrategy strategy) {
        try (ConcurrentGraphDB db = ConcurrencyTestSupport.open(dir, strategy)) {
            byte[] added = ORIGINAL.clone();
            byte[] set = ORIGINAL.clone();
            byte[] onEdge = ORIGINAL.clone();
            byte[] setOnEdge = ORIGINAL.clone();
            long a;
            long e;
            try (Transaction tx = db.begin()) {
                a = tx.addNode(Set.of("N"), Map.of("added", added));
                tx.setNodeProperty(a, "set", set);
                e = tx.addEdge(a, a, "R", Map.of("added", onEdge));
                tx.setEdgeProperty(e, "set", setOnEdge);
                scribbleOn(added);
                scribbleOn(set);
                scribbleOn(onEdge);
                scribbleOn(setOnEdge);
                assertBlob(tx.getNode(a).orElseThrow().properties().get("added"), "own write of addNode");
                assertBlob(tx.getNode(a).orElseThrow().properties().get("set"), "own write of setNodeProperty");
                assertBlob(tx.getEdge(e).orElseThrow().properties().get("added"), "own write of addEdge");
                assertBlob(tx.getEdge(e).orElseThrow().properties().get("set"), "own write of setEdgeProperty");
                tx.commit();
            }
            try (Transaction tx = db.begin()) {
                assertBlob(tx.getNode(a).orElseThrow().properties().get("added"), "committed addNode");
                assertBlob(tx.getNode(a).orElseThrow().properties().get("set"), "committed setNodeProperty");
                assertBlob(tx.getEdge(e).orElseThrow().properties().get("added"), "committed addEdge");
                assertBlob(tx.getEdge(e).orElseThrow().properties().get("set"), "committed setEdgeProperty");
            }
        }
    }

    private static void scribbleOn(Object array) {
        ((byte[]) array)[0] = 99;
    }

    private static void assertBlob(Object actual, String read) {
        assertArrayEquals(ORIGINAL, (byte[]) actual, read + " sees a change made to another copy");
    }
}
