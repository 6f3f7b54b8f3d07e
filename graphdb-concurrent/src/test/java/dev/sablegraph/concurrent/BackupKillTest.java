package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a child JVM at random moments of a backup it makes under load
 * ({@link BackupKillWorkload}): mostly in the middle of copying the data file, sometimes after
 * the backup returned. Afterwards the source must open intact (integrity check clean, the bank
 * total kept), and the target must either not exist or be a complete copy that opens and checks
 * clean; never something in between. A leftover temporary directory is removed by the next
 * backup to the same target, which must succeed.
 */
class BackupKillTest {
    private static final int CYCLES = Integer.getInteger("sable.backup.kill.cycles", 5);

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aBackupKilledAtAnyMomentLeavesTheSourceIntactAndNoPartialCopy() throws Exception {
        Random rnd = new Random(7);
        Path source = tmp.resolve("db");
        int killedMidCopy = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            Path target = tmp.resolve("copy-" + cycle);
            // most kills land in the copy (which takes a second or more), the last one after it
            long delay = cycle == CYCLES - 1 ? -1 : rnd.nextInt(350);
            boolean done = runAndKill(source, target, delay);
            killedMidCopy += done ? 0 : 1;

            checkBank(source, "source after kill " + cycle);
            Path leftover = tmp.resolve("copy-" + cycle + ".backup-in-progress");
            if (Files.exists(target)) { // the kill came after the rename: the copy must be complete
                checkBank(target, "copy of cycle " + cycle);
            } else {
                assertTrue(!done, "cycle " + cycle + ": the backup returned, so its copy is there");
                try (ConcurrentGraphDB db = ConcurrentGraphDB.open(source)) {
                    db.backup(target); // removes what the killed backup left
                }
                assertTrue(!Files.exists(leftover), "cycle " + cycle + ": the leftover was removed");
                checkBank(target, "copy made after kill " + cycle);
            }
        }
        System.out.printf("BackupKillTest: %d of %d kills hit a running backup%n", killedMidCopy, CYCLES);
        assertTrue(killedMidCopy >= CYCLES / 2, "most kills hit a running copy: " + killedMidCopy);
    }

    /**
     * Runs the child until it printed COPYING, then kills it after {@code delayMillis} (or right
     * after it printed DONE, for a negative delay). Returns whether the backup had returned.
     */
    private static boolean runAndKill(Path source, Path target, long delayMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                BackupKillWorkload.class.getName(), source.toString(), target.toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        boolean done = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("COPYING", out.readLine(), "the child started its backup (see its stderr)");
            if (delayMillis >= 0) {
                Thread.sleep(delayMillis);
                child.toHandle().destroyForcibly();
            } else {
                assertEquals("DONE", out.readLine());
                child.toHandle().destroyForcibly();
            }
            for (String line; (line = out.readLine()) != null; ) {
                done |= line.equals("DONE");
            }
            done |= delayMillis < 0;
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        return done;
    }

    /** Opens {@code dir}, checks its integrity and that the accounts keep their total. */
    private static void checkBank(Path dir, String what) {
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir); Transaction tx = db.begin()) {
            IntegrityReport report = db.checkIntegrity();
            assertTrue(report.isClean(), () -> what + ": " + report);
            long total = 0;
            int accounts = 0;
            for (Node n : tx.nodesByLabel("Account")) {
                total += (Long) n.properties().get("balance");
                accounts++;
            }
            assertEquals(BackupKillWorkload.ACCOUNTS, accounts, what + ": accounts");
            assertEquals(BackupKillWorkload.ACCOUNTS * BackupKillWorkload.INITIAL, total, what + ": the total");
        }
    }
}
