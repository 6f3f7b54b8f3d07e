package dev.sablegraph.stress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EveryTest {
    @Test
    void oneTurnPerInterval() {
        Every e = new Every(Duration.ZERO, Duration.ofHours(1));
        long now = System.nanoTime();
        assertTrue(e.take(now));
        assertFalse(e.take(now), "the turn is taken");
        assertFalse(e.take(now + Duration.ofMinutes(59).toNanos()));
        assertTrue(e.take(now + Duration.ofMinutes(61).toNanos()));
    }

    @Test
    void theFirstTurnWaitsItsDelay() {
        long now = System.nanoTime();
        Every e = new Every(Duration.ofHours(1));
        assertFalse(e.take(now));
        assertTrue(e.take(now + Duration.ofHours(2).toNanos()));
    }
}
