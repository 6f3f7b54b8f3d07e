package dev.sablegraph.internal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.DatabaseLockedException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The directory lock excludes a second opener, in this JVM and in another process. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void secondAcquireInSameJvmIsRefusedUntilTheFirstIsClosed() {
        DirectoryLock first = DirectoryLock.acquire(dir);
        try {
            assertTrue(Files.exists(dir.resolve(DirectoryLock.FILE_NAME)));
            DatabaseLockedException e = assertThrows(DatabaseLockedException.class, () -> DirectoryLock.acquire(dir));
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            // Still refused: the failed attempt must not have disturbed the holder.
            assertThrows(DatabaseLockedException.class, () -> DirectoryLock.acquire(dir));
        } finally {
            first.close();
        }
        try (DirectoryLock again = DirectoryLock.acquire(dir)) {
            assertNotNull(again);
        }
        try (DirectoryLock third = DirectoryLock.acquire(dir)) {
            assertNotNull(third);
        }
    }

    @Test
    void differentDirectoriesDoNotConflict() throws IOException {
        Path other = Files.createDirectory(dir.resolve("other"));
        try (DirectoryLock a = DirectoryLock.acquire(dir); DirectoryLock b = DirectoryLock.acquire(other)) {
            assertNotNull(a);
            assertNotNull(b);
        }
    }

    @Test
    void abandonRemovesWhatAcquiringCreatedAndNothingElse() throws IOException {
        Path fresh = dir.resolve("a").resolve("b");
        DirectoryLock.acquire(fresh).abandon();
        assertFalse(Files.exists(dir.resolve("a")), "created directories are removed");

        Files.createFile(dir.resolve(DirectoryLock.FILE_NAME)); // a database was here before
        Files.createFile(dir.resolve("data.sable"));
        DirectoryLock.acquire(dir).abandon();
        assertTrue(Files.exists(dir.resolve(DirectoryLock.FILE_NAME)), "a lock file it found stays");
        assertTrue(Files.exists(dir.resolve("data.sable")));
        try (DirectoryLock again = DirectoryLock.acquire(dir)) {
            assertNotNull(again, "abandon released the lock");
        }
    }

    @Test
    void lockHeldByAnotherProcessIsRefusedAndFreedWhenThatProcessDies() throws Exception {
        Process child = startChild("hold");
        try {
            BlockingQueue<String> out = linesOf(child);
            String line = out.poll(60, TimeUnit.SECONDS);
            assertEquals("LOCKED", line, "child did not report holding the lock; stderr: " + stderrOf(child));

            DatabaseLockedException e = assertThrows(DatabaseLockedException.class, () -> DirectoryLock.acquire(dir));
            assertTrue(e.getMessage().contains("another process"), e.getMessage());
            // Refused again: our failed attempt must not have changed anything.
            assertThrows(DatabaseLockedException.class, () -> DirectoryLock.acquire(dir));
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        // The OS drops the lock with the process.
        try (DirectoryLock mine = DirectoryLock.acquire(dir)) {
            assertNotNull(mine);
        }
    }

    @Test
    void lockHeldByThisProcessIsRefusedToAnotherProcess() throws Exception {
        try (DirectoryLock mine = DirectoryLock.acquire(dir)) {
            assertNotNull(mine);
            ChildResult r = runChild("try");
            assertEquals(LockHolderMain.EXIT_LOCKED_OUT, r.exit, "child output: " + r.output);
            assertTrue(r.output.startsWith("LOCKED_OUT"), r.output);
        }
        ChildResult r = runChild("try");
        assertEquals(0, r.exit, "after release the other process gets the lock: " + r.output);
        assertTrue(r.output.startsWith("ACQUIRED"), r.output);
    }

    /**
     * A refused second attempt in this JVM must leave this JVM's lock in force against other
     * processes. With POSIX (fcntl) record locks, closing any descriptor of the LOCK file releases
     * every lock the process holds on it, so the refused attempt must not close a channel of its own
     * on that file while the holder is alive.
     */
    @Test
    void refusedSecondAcquireInThisJvmDoesNotReleaseTheLockForOtherProcesses() throws Exception {
        try (DirectoryLock mine = DirectoryLock.acquire(dir)) {
            assertNotNull(mine);
            assertThrows(DatabaseLockedException.class, () -> DirectoryLock.acquire(dir));
            ChildResult r = runChild("try");
            assertEquals(LockHolderMain.EXIT_LOCKED_OUT, r.exit,
                    "another process acquired the lock this JVM still holds; child said: " + r.output);
        }
    }

    // ---- child process plumbing ----

    private record ChildResult(int exit, String output) {}

    private ChildResult runChild(String mode) throws Exception {
        Process child = startChild(mode);
        try {
            child.getOutputStream().close();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not finish");
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return new ChildResult(child.exitValue(), output + stderrOf(child));
        } finally {
            child.destroyForcibly();
        }
    }

    private Process startChild(String mode) throws IOException, URISyntaxException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cp = new ArrayList<>();
        cp.add(codeSource(LockHolderMain.class));
        cp.add(codeSource(DirectoryLock.class));
        cp.add(System.getProperty("java.class.path"));
        List<String> cmd = List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                String.join(File.pathSeparator, cp), LockHolderMain.class.getName(), mode, dir.toString());
        return new ProcessBuilder(cmd).redirectErrorStream(false).start();
    }

    private static String codeSource(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static BlockingQueue<String> linesOf(Process p) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    q.add(line);
                }
            } catch (IOException ignored) {
                // the child went away
            }
        }, "child-stdout");
        t.setDaemon(true);
        t.start();
        return q;
    }

    private static String stderrOf(Process p) {
        if (p.isAlive()) {
            return "";
        }
        try {
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return err.isEmpty() ? "" : " [stderr: " + err + "]";
        } catch (IOException e) {
            return "";
        }
    }
}
