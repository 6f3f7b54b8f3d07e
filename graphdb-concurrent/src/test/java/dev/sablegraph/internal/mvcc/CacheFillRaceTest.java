package dev.sablegraph.internal.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Node;
import dev.sablegraph.internal.util.AccessGuard;
import dev.sablegraph.internal.graph.GraphStore;
import dev.sablegraph.internal.txn.WriteSet;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader that misses the node or edge cache under {@link LockStrategy#OPTIMISTIC} runs beside a
 * commit of the same entity, interleaved step by step: it decides to read the store before the
 * commit changes it, reads the store while the commit is held inside its store change, and fills
 * the cache after the commit has changed the store, pushed its chain entry and invalidated the
 * entry. Its own
 * optimistic read is retried, but its fill must not be served to any later snapshot: that would
 * hide the commit from every later reader and let a writer that read the old state pass the
 * conflict check (a lost update).
 *
 * <p>The commit is held inside its store change by holding the token dictionary's monitor: its new state uses a property key never seen before, so the store must create that
 * token before it writes the record.
 */
@Timeout(120) // a broken interleaving hangs rather than fails; never a measure of speed
class CacheFillRaceTest {
    @TempDir
    Path dir;

    @Test
    void aNodeFillThatRacedACommitIsNeverServedAfterIt() throws Exception {
        try (GraphStore store = GraphStore.open(dir, GraphConfig.builder().lockStrategy(LockStrategy.OPTIMISTIC).pageCacheBytes(16 << 20).build())) {
            VersionedGraph graph = graphOn(store);
            long id = store.reserveNodeId();
            install(graph, 1, w -> w.putNode(id, node(id, Map.of("v", 0L)), true));

            Object seen = raceOneFill(graph, store, id,
                    () -> graph.node(id, 1),
                    () -> install(graph, 2, w -> w.putNode(id, node(id, Map.of("v", 1L, "brandNewKey", 1L)), false)),
                    () -> graph.nodeChangedAt(id));

            assertEquals(0L, ((Node) seen).properties().get("v"), "the racing reader's own snapshot (1) sees the old state");
            Node later = graph.guard().read(() -> graph.node(id, 2));
            assertEquals(1L, later.properties().get("v"),
                    "a snapshot after the commit must read the committed state, not the racing reader's fill");
        }
    }

    @Test
    void anEdgeFillThatRacedACommitIsNeverServedAfterIt() throws Exception {
        try (GraphStore store = GraphStore.open(dir, GraphConfig.builder().lockStrategy(LockStrategy.OPTIMISTIC).pageCacheBytes(16 << 20).build())) {
            VersionedGraph graph = graphOn(store);
            long a = store.reserveNodeId();
            long b = store.reserveNodeId();
            long id = store.reserveEdgeId();
            install(graph, 1, w -> {
                w.putNode(a, node(a, Map.of()), true);
                w.putNode(b, node(b, Map.of()), true);
                w.putEdge(id, new Edge(id, a, b, "R", Map.of("v", 0L)), true);
            });

            Object seen = raceOneFill(graph, store, id,
                    () -> graph.edge(id, 1),
                    () -> install(graph, 2, w -> w.putEdge(id, new Edge(id, a, b, "R", Map.of("v", 1L, "brandNewKey", 1L)),
                            false)),
                    () -> graph.edgeChangedAt(id));

            assertEquals(0L, ((Edge) seen).properties().get("v"), "the racing reader's own snapshot (1) sees the old state");
            Edge later = graph.guard().read(() -> graph.edge(id, 2));
            assertEquals(1L, later.properties().get("v"),
                    "a snapshot after the commit must read the committed state, not the racing reader's fill");
        }
    }

    /** Installs one commit at {@code ts} the way the database does (no log here). */
    private static void install(VersionedGraph graph, long ts, java.util.function.Consumer<WriteSet> writes) {
        WriteSet w = new WriteSet(Long.MAX_VALUE);
        writes.accept(w);
        graph.install(w.drainToCommitRecord(ts), () -> { });
    }

    private static VersionedGraph graphOn(GraphStore store) {
        store.pager().cache().useSpillFile(store.directory().resolve("spill.pages"), java.nio.channels.FileChannel::open); // installs are atomic store changes, which need it
        return new VersionedGraph(store, AccessGuard.of(LockStrategy.OPTIMISTIC), 100, 100, new CacheMaintenance());
    }

    private static Node node(long id, Map<String, Object> properties) {
        return new Node(id, Set.of("N"), properties);
    }

    /**
     * Runs {@code read} (at snapshot 1) on a reader thread and {@code install} (commit 2) on a
     * committer thread, in the order the class comment describes; returns what the reader read.
     */
    private static Object raceOneFill(VersionedGraph graph, GraphStore store, long id, Supplier<Object> read,
            Runnable install, LongSupplier changedAt) throws Exception {
        Pause beforeLoad = new Pause();
        Pause afterLoad = new Pause();
        AtomicReference<Object> seen = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                seen.set(graph.guard().read(read));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "racing reader");
        graph.loadProbe = new VersionedGraph.LoadProbe() {
            @Override
            public void beforeLoad(long loaded) {
                if (Thread.currentThread() == reader && loaded == id) {
                    beforeLoad.arriveAndWait();
                }
            }

            @Override
            public void afterLoad(long loaded) {
                if (Thread.currentThread() == reader && loaded == id) {
                    afterLoad.arriveAndWait();
                }
            }
        };
        reader.start();
        beforeLoad.awaitArrival(); // the reader has decided to read the store state (commit 1 is its newest)

        Object tokens = tokenDictionary(store);
        Thread committer = new Thread(() -> {
            try {
                install.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "committer");
        synchronized (tokens) {
            committer.start();
            awaitBlocked(committer);
            assertEquals(1, changedAt.getAsLong(), "the commit is held inside its store change, before its chain push");
            beforeLoad.release();
            afterLoad.awaitArrival(); // the reader read the store, which still holds the old state
        }
        committer.join(); // the commit changed the store and invalidated the cache entry
        afterLoad.release(); // now the reader fills the cache
        reader.join();
        graph.loadProbe = null;
        if (failure.get() != null) {
            throw new AssertionError("a racing thread failed", failure.get());
        }
        return seen.get();
    }

    /** The store's token dictionary: its monitor serialises token creation (package-private in core). */
    private static Object tokenDictionary(GraphStore store) throws ReflectiveOperationException {
        Method tokens = GraphStore.class.getDeclaredMethod("tokens");
        tokens.setAccessible(true);
        return tokens.invoke(store);
    }

    private static void awaitBlocked(Thread t) {
        while (t.getState() != Thread.State.BLOCKED) {
            if (t.getState() == Thread.State.TERMINATED) {
                fail("the committer finished without waiting for the token dictionary; this test must find another way to hold it");
            }
            Thread.onSpinWait();
        }
    }

    /** One thread arrives and waits; another waits for the arrival and releases it. One use. */
    private static final class Pause {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void arriveAndWait() {
            if (arrived.getCount() == 0) {
                return; // already used: a retried read passes straight through
            }
            arrived.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        void awaitArrival() throws InterruptedException {
            arrived.await();
        }

        void release() {
            released.countDown();
        }
    }
}
