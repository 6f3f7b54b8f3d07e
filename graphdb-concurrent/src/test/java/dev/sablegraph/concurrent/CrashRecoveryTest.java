package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a committing child JVM with SIGKILL at random moments, 20 times on one directory. After
 * each kill the database must open, hold every commit the child acknowledged, hold nothing partial
 * of any other (counter == items), and keep its edges and list values consistent.
 */
class CrashRecoveryTest {
    private static final int CYCLES = Integer.getInteger("sable.crash.cycles", 20);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everyAcknowledgedCommitSurvivesSigkill() throws Exception {
        Random rnd = new Random(42);
        Set<Long> acknowledged = new HashSet<>();
        java.util.Map<Long, Long> victimOf = new java.util.HashMap<>(); // tried commit seq -> item it deletes
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            runAndKill(cycle + 1, 150 + rnd.nextInt(900), acknowledged, victimOf);
            verify(acknowledged, victimOf, cycle);
        }
        assertTrue(acknowledged.size() > CYCLES, "the child committed work: " + acknowledged.size());
    }

    private void runAndKill(long seed, long runMillis, Set<Long> acks, java.util.Map<Long, Long> victimOf)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWorkload.class.getName(), dir.toString(), Long.toString(seed));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertEquals("READY", first, "child did not start (see its stderr)");
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(runMillis);
                } catch (InterruptedException ignored) {
                    // kill now
                }
                // SIGKILL: no shutdown hooks, no close(). Through the handle, so that our end of the
                // child's stdout stays open and no acknowledgement already printed is lost.
                child.toHandle().destroyForcibly();
            });
            killer.start();
            for (String line; (line = out.readLine()) != null; ) {
                String[] f = line.split(" ");
                if (f[0].equals("ACK")) {
                    acks.add(Long.parseLong(f[1]));
                } else if (f[0].equals("TRY")) {
                    // A retry after a conflict replaces the earlier attempt, which did not commit.
                    if (f[2].equals("-1")) {
                        victimOf.remove(Long.parseLong(f[1]));
                    } else {
                        victimOf.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
                    }
                }
            }
            killer.join();
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertFalse(child.exitValue() == 0, "the child was killed, it did not exit");
    }

    private void verify(Set<Long> acknowledged, java.util.Map<Long, Long> victimOf, int cycle) {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir); Transaction tx = db.begin()) {
            List<Node> counters = tx.nodesByLabel("Counter");
            assertEquals(1, counters.size(), "cycle " + cycle + ": one counter");
            List<Node> items = tx.nodesByLabel("Item");
            long count = (Long) counters.get(0).properties().get("count");
            assertEquals(items.size(), count, "cycle " + cycle + ": counter equals items (no partial commit)");
            Set<Long> present = new HashSet<>();
            Set<Long> itemIds = new HashSet<>();
            for (Node n : items) {
                long seq = (Long) n.properties().get("seq");
                present.add(seq);
                itemIds.add(n.id());
                List<Long> trail = CrashWorkload.trail(seq, (Long) n.properties().get("worker"));
                assertEquals(trail, n.properties().get("trail"), "cycle " + cycle + ": the list value of item " + seq);
                if (seq % 50 == 0) {
                    assertEquals(List.of(n), tx.findNodes("Item", "trail", trail), "cycle " + cycle + ": found by its list");
                }
            }
            // Acknowledged items are present unless a transaction that may have committed deleted
            // them; victims of acknowledged transactions are gone.
            Set<Long> mayBeDeleted = new HashSet<>(victimOf.values());
            for (long seq : acknowledged) {
                if (!mayBeDeleted.contains(seq)) {
                    assertTrue(present.contains(seq), "cycle " + cycle + ": acknowledged commit " + seq + " lost");
                }
                Long victim = victimOf.get(seq);
                if (victim != null) {
                    assertFalse(present.contains(victim), "cycle " + cycle + ": delete acknowledged by " + seq + " lost");
                }
            }
            for (Node n : items) {
                for (Edge e : tx.edges(n.id(), Direction.BOTH, null)) {
                    assertTrue(itemIds.contains(e.from()) && itemIds.contains(e.to()),
                            "cycle " + cycle + ": edge " + e + " has a missing endpoint");
                }
            }
            IntegrityReport report = db.checkIntegrity();
            assertTrue(report.isClean(), "cycle " + cycle + ": integrity check after recovery\n" + report);
        }
    }
}
