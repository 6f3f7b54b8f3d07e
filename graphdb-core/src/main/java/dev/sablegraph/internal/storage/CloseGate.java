package dev.sablegraph.internal.storage;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lets a resource be freed at close without any thread still using it: threads {@link #enter}
 * before they touch it and {@link #exit} after; {@link #close} refuses new entries, and the release
 * action runs exactly once, as soon as the gate is closed and nobody is inside — at close when the
 * gate is empty, else at the exit of the last thread inside. Close never waits.
 *
 * <p>Why no thread is inside when the action runs (a Dekker handshake; Java orders all volatile
 * accesses, atomic updates included, in one total order consistent with each thread's program
 * order):
 * <ul>
 *   <li>An entering thread increments a counter, then reads {@link #closed}; close writes
 *       {@code closed}, then reads the counters. So either the entrant sees {@code closed} (and
 *       leaves at once, touching nothing) or every later read of the counters sees its increment.</li>
 *   <li>A thread decrements the same counter it incremented (its {@link #enter} returns which), so
 *       no counter is ever below zero, and counters read one after the other that are all zero
 *       mean that every thread that got in before close has left.</li>
 *   <li>After close every exit reads the counters again, so the last one out runs the action; the
 *       {@link #released} flag makes it run once when two see zero.</li>
 * </ul>
 *
 * <p>The counters are striped by thread, each on its own cache lines: every page access enters
 * and exits, and one shared counter would bounce a cache line between all reading threads, which
 * the page cache avoids everywhere else.
 */
final class CloseGate {
    /** What {@link #enter} returns when the gate is closed. */
    static final int CLOSED = -1;
    /** Longs from one counter to the next: 128 bytes, two cache lines (adjacent-line prefetch). */
    private static final int SPACING = 16;

    private final AtomicLongArray inside; // counter i at i * SPACING; atomic
    private final int stripeMask;
    private final Runnable release;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean closed;

    CloseGate(Runnable release) {
        int stripes = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 4 - 1)) << 1;
        this.inside = new AtomicLongArray(stripes * SPACING);
        this.stripeMask = stripes - 1;
        this.release = release;
    }

    /** Enters unless closed: returns the ticket to pass to {@link #exit}, or {@link #CLOSED}. */
    int enter() {
        // The thread's id, not its identity hash: ids are consecutive, so threads spread over the
        // stripes, and reading one is a field load, where the identity hash of a Thread (whose
        // header its monitor may have taken) was a call into the VM on every page access.
        int stripe = (int) Thread.currentThread().getId() & stripeMask;
        inside.getAndIncrement(stripe * SPACING);
        if (closed) {
            exit(stripe);
            return CLOSED;
        }
        return stripe;
    }

    /** Leaves; the ticket is what {@link #enter} returned. The last thread out of a closed gate releases. */
    void exit(int ticket) {
        inside.getAndDecrement(ticket * SPACING);
        if (closed) {
            releaseIfEmpty();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Refuses new entries; releases now if nobody is inside, else the last to leave does. Idempotent. */
    void close() {
        closed = true;
        releaseIfEmpty();
    }

    private void releaseIfEmpty() {
        for (int i = 0; i <= stripeMask; i++) {
            if (inside.get(i * SPACING) != 0) {
                return;
            }
        }
        if (released.compareAndSet(false, true)) {
            release.run();
        }
    }
}
