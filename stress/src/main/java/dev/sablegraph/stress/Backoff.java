package dev.sablegraph.stress;

import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A short random pause before retrying after a write conflict. Under SYNC a hot node's next
 * commit waits for the log force; retrying at once only meets the same conflict again and burns
 * the CPU the committers need.
 */
final class Backoff {
    private Backoff() {}

    /** Up to 50 µs times 2^attempt, capped at about 3 ms. */
    static void pause(int attempt, SplittableRandom rnd) {
        LockSupport.parkNanos(rnd.nextLong(1, 50_000L << Math.min(attempt, 6)));
    }
}
