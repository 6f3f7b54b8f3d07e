package dev.sablegraph.stress;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rate limit shared by all workers: at most one caller per interval gets a turn, the first to find
 * it due. Workers pick operations at random, so an expensive one (an integrity check, an oversized
 * transaction) is made cheap on average by letting most picks return at once.
 */
final class Every {
    private final long intervalNanos;
    private final AtomicLong next;

    /** The first turn comes {@code first} from now, then one every {@code interval}. */
    Every(Duration first, Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.next = new AtomicLong(System.nanoTime() + first.toNanos());
    }

    Every(Duration interval) {
        this(interval, interval);
    }

    /** True for the one caller that takes the turn now due; false when none is due or another took it. */
    boolean take(long nowNanos) {
        long due = next.get();
        return nowNanos - due >= 0 && next.compareAndSet(due, nowNanos + intervalNanos);
    }
}
