package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.testkit.FaultInjectingChannelFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Error in a background round (out of memory, most likely, while another thread's huge
 * transaction holds the heap) neither kills the background thread nor passes unnoticed: writes
 * stop with an exception that names it, reads go on, and the database closes as usual. Before, the
 * thread died with it, and the database went on taking commits with no collection and no
 * checkpoints.
 */
class BackgroundErrorTest {
    @TempDir
    Path dir;

    private static long commitNode(ConcurrentGraphDB db, int i) {
        try (Transaction tx = db.begin()) {
            long id = tx.addNode(Set.of("N"), Map.of("i", (long) i, "pad", "x".repeat(200)));
            tx.commit();
            return id;
        }
    }

    /** Waits until {@code condition} holds; a thread that never gets there fails the test by its {@code @Timeout}. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(5);
        }
    }

    @Test
    @Timeout(120)
    void anErrorInABackgroundCheckpointStopsWritesLoudlyAndTheThreadLivesOn() throws Exception {
        FaultInjectingChannelFactory channels = new FaultInjectingChannelFactory();
        GraphConfig config = GraphConfig.builder().checkpointLogBytes(64 << 10).gcIntervalMillis(5).build();
        long first;
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config, channels)) {
            first = commitNode(db, 0);
            // The next force on the background thread: a checkpoint's. It forces the log up to its
            // position unless commits already have (then it does not force it at all), and always its
            // double-write image, whose channel comes from the same factory. Before the image did,
            // a run where every checkpoint found the log forced failed this test now and then.
            channels.errorOnForceBy("sable-gc");
            for (int i = 1; channels.errorsThrown() == 0; i++) {
                assertTrue(i < 100_000, "no background checkpoint forced the log");
                try {
                    commitNode(db, i);
                } catch (GraphException refused) {
                    break; // the error came: the log it hit refuses writes at once
                }
            }
            assertEquals(1, channels.errorsThrown());
            long rounds = db.backgroundWork().rounds();
            // An open transaction wants a round at every interval, not one every 10 s of housekeeping.
            try (Transaction reader = db.begin()) {
                await(() -> db.backgroundWork().rounds() >= rounds + 3); // the thread lives on
            }
            GraphException refused = assertThrows(GraphException.class, () -> commitNode(db, -1));
            assertTrue(refused.getMessage().contains("Java heap space"), refused.getMessage());
            try (Transaction tx = db.begin()) {
                assertEquals(0L, tx.getNode(first).orElseThrow().properties().get("i"), "reads go on");
            }
        }
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config); Transaction tx = db.begin()) {
            assertTrue(tx.getNode(first).isPresent(), "reopened: every acknowledged commit is there");
        }
    }
}
