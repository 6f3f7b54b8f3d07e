package dev.sablegraph.internal.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.internal.storage.RollbackPoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A change either completes, and every rollback point is discarded, or leaves no trace. */
class AtomicChangeTest {
    private static final Path DIR = Path.of("db");
    private final List<String> log = new ArrayList<>();

    private Supplier<RollbackPoint> part(String name, boolean restoreFails) {
        return () -> {
            log.add("take " + name);
            return new RollbackPoint() {
                @Override
                public void restore() {
                    log.add("restore " + name);
                    if (restoreFails) {
                        throw new IllegalStateException("cannot restore " + name);
                    }
                }

                @Override
                public void discard() {
                    log.add("discard " + name);
                }
            };
        };
    }

    @Test
    void aChangeThatCompletesDiscardsEveryPoint() {
        AtomicChange.run(DIR, List.of(part("a", false), part("b", false)), () -> log.add("change"));
        assertEquals(List.of("take a", "take b", "change", "discard a", "discard b"), log);
    }

    @Test
    void aChangeThatThrowsIsTakenBackInOrderAndItsFailurePropagates() {
        IllegalArgumentException failure = new IllegalArgumentException("boom");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> AtomicChange.run(DIR, List.of(part("a", false), part("b", false)), () -> {
                    throw failure;
                }));
        assertSame(failure, thrown);
        assertEquals(List.of("take a", "take b", "restore a", "restore b"), log);
    }

    @Test
    void aFailedRestoreIsReportedWithTheOriginalFailureAsCauseAndTheOthersStillRestored() {
        IllegalArgumentException failure = new IllegalArgumentException("boom");
        RollbackFailedException thrown = assertThrows(RollbackFailedException.class,
                () -> AtomicChange.run(DIR, List.of(part("a", true), part("b", false)), () -> {
                    throw failure;
                }));
        assertSame(failure, thrown.getCause());
        assertTrue(thrown.getMessage().contains("db") && thrown.getMessage().contains("cannot restore a"),
                thrown.getMessage());
        assertEquals(List.of("take a", "take b", "restore a", "restore b"), log);
    }

    @Test
    void pointsTakenBeforeAFailureToTakeOneAreDiscarded() {
        Supplier<RollbackPoint> broken = () -> {
            throw new IllegalStateException("no point");
        };
        assertThrows(IllegalStateException.class,
                () -> AtomicChange.run(DIR, List.of(part("a", false), broken), () -> log.add("change")));
        assertEquals(List.of("take a", "discard a"), log);
    }
}
