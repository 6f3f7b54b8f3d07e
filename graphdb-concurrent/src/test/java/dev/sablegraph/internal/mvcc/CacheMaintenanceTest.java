package dev.sablegraph.internal.mvcc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The background thread runs queued cache tasks and lives on whatever one of them throws. */
class CacheMaintenanceTest {
    @Test
    void aTaskThatThrowsAnErrorIsDroppedAndTheNextOneRuns() {
        CacheMaintenance maintenance = new CacheMaintenance();
        List<String> ran = new ArrayList<>();
        maintenance.execute(() -> ran.add("first"));
        maintenance.execute(() -> {
            throw new OutOfMemoryError("injected: a cache task ran out of heap");
        });
        maintenance.execute(() -> {
            throw new IllegalStateException("injected: a cache task failed");
        });
        maintenance.execute(() -> ran.add("last"));

        assertTrue(maintenance.runPending(), "there were tasks");
        assertTrue(ran.equals(List.of("first", "last")), "every task that did not fail ran: " + ran);
        assertFalse(maintenance.hasPending());
        assertFalse(maintenance.runPending(), "nothing left");
    }
}
