package dev.sablegraph.internal.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pacing rule of {@link SpillPacer}, with the clock passed in. */
class SpillPacerTest {
    private static final long DUE = 100;
    private static final long NOW = 1_000_000_000L;

    /** A pacer whose last checkpoint wrote a page in {@code nanosPerPage}. */
    private static SpillPacer drainingAt(long nanosPerPage) {
        SpillPacer pacer = new SpillPacer(DUE, NOW);
        pacer.drained(1_000, 1_000 * nanosPerPage);
        return pacer;
    }

    @Test
    void pressureRisesFromTwiceToFourTimesTheDueVolume() {
        SpillPacer pacer = new SpillPacer(DUE, NOW);
        assertEquals(0, pacer.pressure(0));
        assertEquals(0, pacer.pressure(2 * DUE));
        assertEquals(0.5, pacer.pressure(3 * DUE), 1e-9);
        assertEquals(1, pacer.pressure(4 * DUE));
        assertEquals(1, pacer.pressure(40 * DUE));
    }

    @Test
    void nobodyWaitsBelowTwiceTheDueVolumeAndThosePagesAreNotChargedLater() {
        SpillPacer pacer = drainingAt(10_000);
        assertEquals(0, pacer.reserve(2 * DUE, 500, NOW));
        assertEquals(0, pacer.reserve(4 * DUE, 500, NOW), "the 500 pages spilled below the threshold cost nothing");
    }

    @Test
    void eachFreshPageCostsTheDrainTimeAtFullPressure() {
        SpillPacer pacer = drainingAt(10_000);
        assertEquals(0, pacer.reserve(0, 1_000, NOW));
        assertEquals(20 * 10_000, pacer.reserve(4 * DUE, 1_020, NOW));
        assertEquals(0, pacer.reserve(4 * DUE, 1_020, NOW), "no fresh page, no wait");
    }

    @Test
    void chargesQueueOnOneTimeline() {
        SpillPacer pacer = drainingAt(10_000);
        assertEquals(10 * 10_000, pacer.reserve(4 * DUE, 10, NOW));
        assertEquals(20 * 10_000, pacer.reserve(4 * DUE, 20, NOW), "waits for the charge before it and its own");
        long later = NOW + TimeUnit.SECONDS.toNanos(1);
        assertEquals(10 * 10_000, pacer.reserve(4 * DUE, 30, later), "an elapsed timeline is not owed");
    }

    @Test
    void halfPressureChargesHalf() {
        SpillPacer pacer = drainingAt(10_000);
        assertEquals(10 * 5_000, pacer.reserve(3 * DUE, 10, NOW));
    }

    @Test
    void nothingIsChargedBeforeACheckpointMeasuredTheDrain() {
        assertEquals(0, new SpillPacer(DUE, NOW).reserve(10 * DUE, 1_000, NOW));
    }

    @Test
    void noSingleWaitExceedsTheCap() {
        SpillPacer pacer = drainingAt(TimeUnit.MILLISECONDS.toNanos(1));
        assertEquals(SpillPacer.MAX_WAIT_NANOS, pacer.reserve(4 * DUE, 1_000, NOW));
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() {
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        SpillPacer.await(TimeUnit.SECONDS.toNanos(10));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertTrue(Thread.interrupted(), "the interrupt is kept");
    }
}
