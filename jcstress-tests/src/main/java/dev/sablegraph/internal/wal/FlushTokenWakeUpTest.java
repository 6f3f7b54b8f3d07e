package dev.sablegraph.internal.wal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * The flush token's parking never loses a wake-up. In package {@code dev.sablegraph.internal.wal}
 * because the token is package-private to the log.
 */
public final class FlushTokenWakeUpTest {
    private FlushTokenWakeUpTest() {}

    /**
     * A committer waits for its position; the holder publishes the durable position and releases.
     * The committer enqueues before it re-checks; the releaser publishes before it scans.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the waiter saw the position or was woken")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "lost wake-up: the waiter parked for ever")
    @State
    public static class DurablePosition {
        private final FlushToken token = new FlushToken();
        private volatile long durable;

        public DurablePosition() {
            token.tryAcquire();
        }

        @Actor
        public void committer() {
            while (durable < 1) {
                token.awaitDurable(1, () -> durable >= 1);
            }
        }

        @Signal
        public void forceEnds() {
            durable = 1;
            token.release(1);
        }
    }

    /**
     * A thread waits to take the token (the flusher, or a committer waiting for its turn); the
     * holder releases without covering it. The release must pick it as the next holder.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the waiter took the token")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "lost wake-up: the token is free and the waiter parked")
    @State
    public static class NextHolder {
        private final FlushToken token = new FlushToken();

        public NextHolder() {
            token.tryAcquire();
        }

        @Actor
        public void waiter() {
            while (!token.tryAcquire()) {
                token.awaitTurn(5, () -> false);
            }
        }

        @Signal
        public void holderReleases() {
            token.release(0);
        }
    }
}
