package dev.sablegraph.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.Durability;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StressOptionsTest {
    @Test
    void parsesEveryOption() throws Exception {
        StressOptions o = StressOptions.parse("--dir", "/tmp/x", "--threads", "50", "--duration=10m", "--seed", "7",
                "--cache-mb", "32", "--items", "500", "--durability", "async", "--lock-strategy", "READ_WRITE",
                "--stall-timeout", "45s", "--progress", "2s");
        assertEquals(Path.of("/tmp/x"), o.dir());
        assertEquals(50, o.threads());
        assertEquals(Duration.ofMinutes(10), o.duration());
        assertEquals(7, o.seed());
        assertEquals(32L << 20, o.graphConfig().pageCacheBytes());
        assertEquals(Durability.ASYNC, o.durability());
        assertEquals(Duration.ofSeconds(45), o.stallTimeout());
        assertEquals(0, o.crashCycles());
    }

    @ParameterizedTest
    @CsvSource({"60s, 60000", "10m, 600000", "1h, 3600000", "24h, 86400000", "1h30m, 5400000", "500ms, 500",
            "2d, 172800000"})
    void parsesDurations(String text, long millis) throws Exception {
        assertEquals(Duration.ofMillis(millis), StressOptions.duration("--duration", text));
    }

    @Test
    void crashOptionsRoundTripToTheChild() throws Exception {
        StressOptions o = StressOptions.parse("--dir", "d", "--crash-cycles", "3", "--kill-after", "2s-5s",
                "--threads", "9", "--items", "300", "--checkpoint-kb", "64");
        assertTrue(o.crashMode());
        assertEquals(Duration.ofSeconds(2), o.killAfterMin());
        assertEquals(Duration.ofSeconds(5), o.killAfterMax());
        StressOptions child = StressOptions.parse(o.childArgs(99).toArray(String[]::new));
        assertTrue(child.child());
        assertEquals(99, child.seed());
        assertEquals(9, child.threads());
        assertEquals(300, child.items());
        assertEquals(64 << 10, child.graphConfig().checkpointLogBytes());
        assertEquals(o.dir(), child.dir());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--dir d --threads abc | --threads",
            "--dir d --threads 0 | --threads",
            "--dir d --duration 60 | --duration",
            "--dir d --duration 1x | --duration",
            "--dir d --durability FAST | --durability",
            "--dir d --lock-strategy NONE | --lock-strategy",
            "--dir d --crash-cycles -1 | --crash-cycles",
            "--dir d --kill-after 4s-1s | --kill-after",
            "--dir d --cache-mb | --cache-mb",
            "--dir d --checkpoint-kb 63 | --checkpoint-kb",
            "--dir d --bogus 1 | --bogus",
            "--threads 5 | --dir",
            "--dir d --crash-cycles 2 --duration 1m | --duration"})
    void aBadArgumentIsNamed(String line, String named) {
        UsageException e = assertThrows(UsageException.class, () -> StressOptions.parse(line.trim().split(" +")));
        assertTrue(e.getMessage().contains(named.trim()), e.getMessage());
    }

    @Test
    void theCommandLineReportsABadArgumentWithExitCode2() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = StressMain.run(new String[] {"--dir", "d", "--threads", "many"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8), reason -> {});
        assertEquals(StressMain.USAGE, code);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("stress: --threads: 'many'"), bytes::toString);
    }

    @Test
    void helpPrintsUsage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(StressMain.OK, StressMain.run(new String[] {"--help"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8), reason -> {}));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("--crash-cycles N"));
    }
}
