package dev.sablegraph.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/** The warm-up calls the benchmark named by JMH, with or without a Blackhole, and only that one. */
class SingleThreadWarmUpTest {
    /** Stands in for a benchmark class: counts the calls each method receives. */
    public static final class Counting {
        int plain;
        int withBlackhole;
        int other;

        public long plain() {
            return ++plain;
        }

        public void withBlackhole(Blackhole bh) {
            bh.consume(++withBlackhole);
        }

        public void other() {
            other++;
        }

        public void fails() {
            throw new IllegalStateException("broken benchmark");
        }
    }

    @Test
    void callsTheNamedMethodForTheGivenTimeAndReportsHowOften() {
        Counting c = new Counting();
        long calls = SingleThreadWarmUp.run(c, "dev.sablegraph.jmh.Counting.plain", 0.05);
        assertTrue(calls > 0, "no calls in 50 ms");
        assertEquals(calls, c.plain);
        assertEquals(0, c.withBlackhole + c.other);
    }

    @Test
    void passesABlackholeToMethodsThatTakeOne() {
        Counting c = new Counting();
        long calls = SingleThreadWarmUp.run(c, "x.Counting.withBlackhole", 0.05);
        assertTrue(calls > 0);
        assertEquals(calls, c.withBlackhole);
    }

    @Test
    void zeroSecondsCallsNothing() {
        Counting c = new Counting();
        assertEquals(0, SingleThreadWarmUp.run(c, "x.Counting.plain", 0));
        assertEquals(0, c.plain);
    }

    @Test
    void anUnknownBenchmarkIsNamedInTheError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SingleThreadWarmUp.run(new Counting(), "x.Counting.missing", 0.01));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void aFailingBenchmarkStopsTheWarmUpWithItsCause() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SingleThreadWarmUp.run(new Counting(), "x.Counting.fails", 0.01));
        assertTrue(e.getMessage().contains("fails"), e.getMessage());
        assertEquals("broken benchmark", e.getCause().getMessage());
    }

    @Test
    void theSecondsComeFromThePropertyOrTheDefault() {
        String key = SingleThreadWarmUp.SECONDS_PROPERTY;
        String before = System.getProperty(key);
        try {
            System.clearProperty(key);
            assertEquals(7.0, SingleThreadWarmUp.seconds(7));
            System.setProperty(key, "2.5");
            assertEquals(2.5, SingleThreadWarmUp.seconds(7));
            System.setProperty(key, "-1");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SingleThreadWarmUp.seconds(7));
            assertTrue(e.getMessage().contains(key), e.getMessage());
            System.setProperty(key, "NaN");
            assertThrows(IllegalArgumentException.class, () -> SingleThreadWarmUp.seconds(7));
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
        assertSame(before, System.getProperty(key));
    }
}
