package dev.sablegraph.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which failures an interrupt excuses, and for which operation. */
class InterruptInjectorTest {
    @AfterEach
    void clearOurInterrupt() {
        Thread.interrupted();
    }

    @Test
    void onlyAnInterruptInTheCauseChainExcuses() {
        assertTrue(InterruptInjector.causedByInterrupt(new GraphException("commit failed",
                new IOException("cannot force", new ClosedByInterruptException()))));
        assertTrue(InterruptInjector.causedByInterrupt(new RuntimeException(new InterruptedException())));
        assertTrue(InterruptInjector.causedByInterrupt(new InterruptedIOException()));
        // Another thread's closed channel is the damage an interrupt must not do: never excused.
        assertFalse(InterruptInjector.causedByInterrupt(new GraphException("read failed",
                new IOException(new ClosedChannelException()))));
        assertFalse(InterruptInjector.causedByInterrupt(new AssertionError("lock order")));
    }

    @Test
    void aCyclicCauseChainEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertFalse(InterruptInjector.causedByInterrupt(a));
    }

    @Test
    void anInterruptCountsForTheOperationItLandedIn() {
        FaultStats stats = new FaultStats(EnumSet.allOf(Fault.class), 0);
        InterruptInjector injector = new InterruptInjector(1, stats);
        injector.register(0, Thread.currentThread());

        Thread.currentThread().interrupt(); // landed after the previous operation
        long token = injector.beforeOperation(0);
        assertFalse(Thread.currentThread().isInterrupted(), "a stale interrupt is cleared before the next operation");
        assertFalse(injector.interruptedSince(0, token));

        injector.interrupt(0); // lands during the operation
        assertTrue(Thread.currentThread().isInterrupted());
        assertTrue(injector.interruptedSince(0, token));
        assertEquals(1, stats.get(FaultStats.Count.INTERRUPTS_SENT));

        long next = injector.beforeOperation(0);
        assertFalse(Thread.currentThread().isInterrupted());
        assertFalse(injector.interruptedSince(0, next), "the next operation starts clean");
    }
}
