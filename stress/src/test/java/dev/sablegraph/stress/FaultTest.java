package dev.sablegraph.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code --faults}: parsing, its default, and the way back to a crash child's command line. */
class FaultTest {
    @Test
    void parsesAllNoneAndLists() throws Exception {
        assertEquals(EnumSet.allOf(Fault.class), Fault.parse("--faults", "all"));
        assertEquals(EnumSet.noneOf(Fault.class), Fault.parse("--faults", "none"));
        assertEquals(EnumSet.of(Fault.OVERSIZED, Fault.ABANDONED), Fault.parse("--faults", "abandoned, oversized"));
        assertEquals(EnumSet.of(Fault.INTERRUPTS, Fault.OVER_LIMIT), Fault.parse("--faults", "INTERRUPTS,over-limit"));
    }

    @Test
    void anUnknownFaultIsNamedWithTheChoices() {
        UsageException e = assertThrows(UsageException.class, () -> Fault.parse("--faults", "oversized,lightning"));
        assertTrue(e.getMessage().contains("'lightning'"), e.getMessage());
        assertTrue(e.getMessage().contains("interrupts,oversized,over-limit,abandoned"), e.getMessage());
        assertThrows(UsageException.class, () -> Fault.parse("--faults", "oversized,"));
    }

    @Test
    void formatIsTheInverseOfParse() throws Exception {
        for (Set<Fault> s : Set.of(EnumSet.allOf(Fault.class), EnumSet.noneOf(Fault.class),
                EnumSet.of(Fault.ABANDONED), EnumSet.of(Fault.INTERRUPTS, Fault.OVER_LIMIT))) {
            assertEquals(s, Fault.parse("--faults", Fault.format(s)));
        }
        assertEquals("all", Fault.format(EnumSet.allOf(Fault.class)));
        assertEquals("oversized,abandoned", Fault.format(Set.of(Fault.ABANDONED, Fault.OVERSIZED)));
    }

    @Test
    void everyFaultIsOnByDefaultAndTheChildGetsTheSameChoice() throws Exception {
        assertEquals(EnumSet.allOf(Fault.class), StressOptions.parse("--dir", "d").faults());
        StressOptions o = StressOptions.parse("--dir", "d", "--crash-cycles", "2", "--faults", "over-limit,abandoned");
        StressOptions child = StressOptions.parse(o.childArgs(5).toArray(String[]::new));
        assertEquals(EnumSet.of(Fault.OVER_LIMIT, Fault.ABANDONED), child.faults());
        assertEquals(EnumSet.noneOf(Fault.class),
                StressOptions.parse(StressOptions.parse("--dir", "d", "--faults", "none").childArgs(5)
                        .toArray(String[]::new)).faults());
        assertTrue(o.describe().endsWith("faults over-limit,abandoned"), o.describe());
    }
}
