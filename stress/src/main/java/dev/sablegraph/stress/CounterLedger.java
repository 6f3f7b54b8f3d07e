package dev.sablegraph.stress;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the workload knows about each counter without reading the database: its value when the run
 * began, the increments acknowledged (commit returned) and those attempted (commit called, not
 * known to have failed). Any snapshot begun after reading {@code acknowledged} must show at least
 * base + acknowledged, and at most base + attempted read after the snapshot's read.
 */
final class CounterLedger {
    /** Hears of each step, in order; the crash child prints them for its parent. */
    interface Listener {
        Listener NONE = new Listener() {};

        default void attempting(int counter) {}

        default void acknowledged(int counter) {}

        default void failed(int counter) {}
    }

    private final long[] base;
    private final AtomicLongArray acknowledged;
    private final AtomicLongArray attempted;
    private final Listener listener;

    CounterLedger(long[] base, Listener listener) {
        this.base = base.clone();
        this.acknowledged = new AtomicLongArray(base.length);
        this.attempted = new AtomicLongArray(base.length);
        this.listener = listener;
    }

    int size() {
        return base.length;
    }

    /** Called just before {@code commit()}: from here the increment may become visible. */
    void attempting(int c) {
        attempted.incrementAndGet(c);
        listener.attempting(c);
    }

    /** Called once {@code commit()} returned. */
    void acknowledged(int c) {
        acknowledged.incrementAndGet(c);
        listener.acknowledged(c);
    }

    /** Called when {@code commit()} threw (a write conflict or anything else): nothing of it was installed. */
    void failed(int c) {
        attempted.decrementAndGet(c);
        listener.failed(c);
    }

    /** The least value a snapshot begun after this call may show. */
    long lowerBound(int c) {
        return base[c] + acknowledged.get(c);
    }

    /** The most value a snapshot read before this call may have shown. */
    long upperBound(int c) {
        return base[c] + attempted.get(c);
    }

    long inFlight(int c) {
        return attempted.get(c) - acknowledged.get(c);
    }
}
