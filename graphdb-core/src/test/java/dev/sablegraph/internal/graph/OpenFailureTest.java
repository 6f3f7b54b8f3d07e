package dev.sablegraph.internal.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphConfig;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed open, whatever it failed with, releases the directory lock (a later open in the same
 * JVM works) and leaves the directory as it found it: what the open created is removed.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OpenFailureTest {
    @TempDir
    Path dir;

    @Test
    void anErrorAfterTheLockIsTakenReleasesTheLock() {
        Path db = dir.resolve("db");
        OutOfMemoryError injected = new OutOfMemoryError("injected");
        OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class,
                () -> GraphStore.openWithLog(db, GraphConfig.defaults(), dataFile -> {
                    throw injected;
                }));
        assertEquals(injected, thrown);
        try (UnloggedGraph again = UnloggedGraph.open(db)) {
            again.addNode(Set.of("N"), Map.of());
        }
    }

    @Test
    void aFailedOpenOfANewDirectoryRemovesTheDirectoriesItCreated() {
        Path db = dir.resolve("parent").resolve("db");
        assertThrows(AssertionError.class, () -> GraphStore.openWithLog(db, GraphConfig.defaults(), dataFile -> {
            throw new AssertionError("injected");
        }));
        assertFalse(Files.exists(dir.resolve("parent")), "the failed open left " + dir.resolve("parent"));
    }

    @Test
    void aFailedOpenOfAnEmptyDirectoryLeavesItEmpty() throws IOException {
        assertThrows(IllegalStateException.class, () -> GraphStore.openWithLog(dir, GraphConfig.defaults(), dataFile -> {
            throw new IllegalStateException("injected");
        }));
        assertEquals(List.of(), list(dir), "the failed open left files behind");
    }

    @Test
    void aCorruptDataFileIsReportedKeptAsItWasAndNotLocked() throws IOException {
        byte[] junk = new byte[8192];
        Arrays.fill(junk, (byte) 7);
        Files.write(dir.resolve("data.sable"), junk);
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThrows(CorruptionException.class, () -> UnloggedGraph.open(dir).close(),
                    "attempt " + attempt + ": a second attempt must meet the same file, not a held lock");
        }
        assertEquals(List.of("data.sable"), list(dir), "only the data file, no LOCK");
        assertArrayEquals(junk, Files.readAllBytes(dir.resolve("data.sable")));
    }

    @Test
    void theDirectMemoryCheckNamesBothSizesAndReadsTheDefaultAsTheMaximumHeap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DirectMemoryLimit.requireRoomForPageCache(256L << 20, 64L << 20));
        assertTrue(e.getMessage().contains("256 MiB") && e.getMessage().contains("64 MiB"), e.getMessage());
        DirectMemoryLimit.requireRoomForPageCache(64L << 20, 64L << 20);
        assertEquals(2L << 30, DirectMemoryLimit.limit(0, 2L << 30), "0 stands for the maximum heap");
        assertEquals(16L << 20, DirectMemoryLimit.limit(16L << 20, 2L << 30));
    }

    /**
     * Direct memory smaller than the page cache: before the check, the page cache's allocation threw
     * {@code OutOfMemoryError} with the lock held, and every later open in that JVM was refused as
     * "already open in this process". Needs a JVM of its own for its direct memory limit.
     */
    @Test
    void aPageCacheLargerThanTheDirectMemoryLimitIsRefusedUpFrontNamingBothSizes() throws Exception {
        String out = runChild("-XX:MaxDirectMemorySize=16m", "too-big");
        assertTrue(out.contains("FIRST java.lang.IllegalArgumentException"), out);
        assertTrue(out.contains("32 MiB") && out.contains("16 MiB"), "names both sizes: " + out);
        assertTrue(out.contains("SECOND OK"), "the failed open released the lock: " + out);
    }

    /**
     * The limit is large enough, but other buffers use it: the cache grows only as far as direct
     * memory allows (it grows as pages are touched), then evicts, and the database works.
     */
    @Test
    void aPageCacheThatDoesNotFitBesideDirectMemoryInUseStaysWithinWhatIsLeft() throws Exception {
        String out = runChild("-XX:MaxDirectMemorySize=16m", "in-use");
        Matcher first = Pattern.compile("FIRST OK evictions=(\\d+)").matcher(out);
        assertTrue(first.find(), out);
        assertTrue(Long.parseLong(first.group(1)) > 0, "6 MiB of records in the 4 MiB left: evicted: " + out);
        assertTrue(out.contains("SECOND OK"), out);
    }

    private String runChild(String jvmOption, String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cp = new ArrayList<>();
        cp.add(codeSource(OpenFailureMain.class));
        cp.add(codeSource(UnloggedGraph.class));
        cp.add(System.getProperty("java.class.path"));
        List<String> cmd = List.of(java, "-Xmx256m", jvmOption, "-XX:TieredStopAtLevel=1", "-cp",
                String.join(File.pathSeparator, cp), OpenFailureMain.class.getName(), mode,
                dir.resolve("db").toString());
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            child.getOutputStream().close();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not finish: " + out);
            assertEquals(0, child.exitValue(), out);
            return out;
        } finally {
            child.destroyForcibly();
        }
    }

    private static String codeSource(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static List<String> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
