package dev.sablegraph.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Short end-to-end runs of the tool as the command line runs it, minus System.exit. */
class StressRunTest {
    @TempDir
    Path dir;

    /** Runs the tool; returns its exit code, having printed its output for the build log. */
    private static Run run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = StressMain.run(args, out, reason -> out.println("(test) watchdog: " + reason));
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        return new Run(code, text);
    }

    private record Run(int code, String output) {}

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aShortInProcessRunPasses() {
        // 4 s: the first oversized transaction comes within 3 s. Every fault is on by default.
        Run r = run("--dir", dir.resolve("db").toString(), "--threads", "8", "--duration", "4s", "--seed", "1",
                "--items", "300", "--progress", "1s", "--cache-mb", "16");
        assertEquals(StressMain.OK, r.code(), r.output());
        assertTrue(r.output().contains("CLEAN: no problems found"), r.output());
        assertTrue(r.output().contains("RESULT: PASS"), r.output());
        assertTrue(r.output().contains("ops/s"), "progress lines: " + r.output());
        // Each fault was injected, and each ended as it must (n of n): a different outcome is a violation.
        assertInjected(r.output(), "interrupts (\\d[\\d,]*) sent");
        assertInjected(r.output(), "oversized transactions (\\d[\\d,]*), \\1 committed whole");
        assertInjected(r.output(), "over-limit writes (\\d[\\d,]*), \\1 refused");
        assertInjected(r.output(), "abandoned transactions (\\d[\\d,]*), \\1 rolled back");
    }

    private static void assertInjected(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        assertTrue(m.find() && !m.group(1).equals("0"), () -> "expected '" + regex + "' with a count above 0 in "
                + output);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void faultsCanBeTurnedOff() {
        Run r = run("--dir", dir.resolve("db").toString(), "--threads", "4", "--duration", "1s", "--seed", "4",
                "--items", "100", "--faults", "none");
        assertEquals(StressMain.OK, r.code(), r.output());
        assertTrue(r.output().contains("faults: interrupts off; oversized off; over-limit off; abandoned off"),
                r.output());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aShortCrashRunPassesAndReusesItsDirectory() {
        String db = dir.resolve("db").toString();
        Run r = run("--dir", db, "--threads", "4", "--crash-cycles", "2", "--kill-after", "1s-2s", "--seed", "2",
                "--items", "300");
        assertEquals(StressMain.OK, r.code(), r.output());
        assertTrue(r.output().contains("cycle 2/2: SIGKILL"), r.output());
        assertTrue(r.output().contains("faults: interrupts"), r.output());
        assertTrue(r.output().contains("RESULT: PASS"), r.output());
        // A second run continues on the database the first one left.
        Run again = run("--dir", db, "--threads", "4", "--duration", "1s", "--seed", "3", "--items", "300");
        assertEquals(StressMain.OK, again.code(), again.output());
    }

    @Test
    void refusesADirectoryWithOtherFiles() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Run r = run("--dir", dir.toString(), "--duration", "1s");
        assertEquals(StressMain.USAGE, r.code());
        assertTrue(r.output().contains("--dir: " + dir + " is not empty"), r.output());
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    }
}
