package dev.sablegraph.stress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The fault counts: what the report line says, and how a crash child's counts reach the parent. */
class FaultStatsTest {
    private static final int N = FaultStats.Count.values().length;

    @Test
    void theReportNamesEachFaultAndItsOutcome() {
        FaultStats stats = new FaultStats(EnumSet.allOf(Fault.class), 10);
        for (FaultStats.Count c : FaultStats.Count.values()) {
            stats.record(c); // ABANDONED_ROLLED_BACK is taken from the database, not recorded
        }
        stats.record(FaultStats.Count.INTERRUPTS_SENT);
        long[] counts = stats.snapshot(13); // the database counted 3 since the workload began
        assertEquals(2, counts[FaultStats.Count.INTERRUPTS_SENT.ordinal()]);
        assertEquals(3, counts[FaultStats.Count.ABANDONED_ROLLED_BACK.ordinal()]);
        String line = FaultStats.describe(stats.enabled(), counts);
        assertTrue(line.startsWith("faults: interrupts 2 sent, 1 landed in an operation, 1 of those threw"), line);
        assertTrue(line.contains("oversized transactions 1, 1 committed whole"), line);
        assertTrue(line.contains("over-limit writes 1, 1 refused"), line);
        assertTrue(line.contains("abandoned transactions 1, 3 rolled back"), line);
    }

    @Test
    void aFaultThatIsOffSaysSo() {
        String line = FaultStats.describe(EnumSet.of(Fault.ABANDONED), new long[N]);
        assertEquals("faults: interrupts off; oversized off; over-limit off; abandoned transactions 0, 0 rolled back"
                + " by the database", line);
    }

    @Test
    void childCountsRoundTripAndAdd() throws Exception {
        long[] first = new long[N];
        long[] last = new long[N];
        for (int i = 0; i < N; i++) {
            first[i] = i;
            last[i] = 1_000 + i;
        }
        String lines = ChildProtocol.READY + "\n" + ChildProtocol.faults(first) + "\n" + "ACK 1\n"
                + ChildProtocol.faults(last) + "\n";
        ChildTranscript t = new ChildTranscript(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)),
                Fixture.COUNTERS, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertTrue(t.awaitEnd(60_000));
        assertEquals(null, t.error());
        assertArrayEquals(last, t.faults(), "the last report counts");
        long[] sum = FaultStats.sum(first, last);
        assertEquals(1_000 + 2 * (N - 1), sum[N - 1]);
    }

    @Test
    void aGarbledFaultsLineFailsTheCycle() throws Exception {
        ChildTranscript t = new ChildTranscript(new ByteArrayInputStream("FAULTS 1 2\n".getBytes(StandardCharsets.UTF_8)),
                Fixture.COUNTERS, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertTrue(t.awaitEnd(60_000));
        assertNotNull(t.error());
    }
}
