package dev.sablegraph.internal.durability;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces committers while the spill file grows faster than checkpoints drain it, so that the cost of
 * a write load beyond the page cache is spread over many commits instead of falling on the few that
 * meet the hard bound (docs/durability.md, "Back-pressure"). It is a rate limiter on pages entering
 * the spill file, in the manner of a write controller that delays writes before it stops them.
 *
 * <p>The rule: below {@code 2 × due} spilled pages nobody waits. From there to {@code 4 × due}
 * (where committers wait for a checkpoint, {@link Checkpointer#relieveOverdueSpill}), each page
 * spilled since the last paced commit is charged {@code f × drain}, where {@code drain} is the time
 * per page the last checkpoint took and {@code f} rises linearly from 0 to 1 across that range.
 * Charges queue on one timeline ({@link #nextFree}): a committer waits until the charges before and
 * including its own have elapsed. At {@code f = 1} pages enter the spill file no faster than the
 * last checkpoint wrote them out, so the file stops growing short of the hard bound unless
 * checkpoints slow down.
 *
 * <p>Concurrency: all state is in atomics; two committers may charge one page range only if they
 * race on {@link #charged} (each takes a disjoint delta by {@code getAndSet}), so no page is
 * charged twice. Waiting parks the committer before it takes any lock. An interrupt ends the wait
 * early and stays set: pacing is advice, the hard bound is what keeps the spill file finite.
 */
final class SpillPacer {
    /** No single wait is longer than this: the hard bound, not the pacer, handles a stalled drain. */
    static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final long duePages;
    /** Spill writes already charged (the cache's cumulative count when last looked at). */
    private final AtomicLong charged = new AtomicLong();
    /** When the charges handed out so far have elapsed ({@link System#nanoTime()} scale). */
    private final AtomicLong nextFree;
    /** Nanoseconds per page of the last checkpoint; 0 until one completed. */
    private volatile long drainNanosPerPage;

    SpillPacer(long duePages) {
        this(duePages, System.nanoTime());
    }

    /** A pacer whose timeline starts at {@code now} (tests pass their own clock). */
    SpillPacer(long duePages, long now) {
        this.duePages = duePages;
        this.nextFree = new AtomicLong(now);
    }

    /** A checkpoint wrote {@code pages} in {@code nanos}: the drain rate charges are made at. */
    void drained(long pages, long nanos) {
        if (pages > 0) {
            drainNanosPerPage = nanos / pages;
        }
    }

    /**
     * How long the caller should wait, given {@code spilled} pages in the spill file now and
     * {@code spillWrites} pages written to it since open; reserves that time on the timeline.
     */
    long reserve(long spilled, long spillWrites, long now) {
        long fresh = Math.max(0, spillWrites - charged.getAndSet(spillWrites));
        long cost = (long) (fresh * drainNanosPerPage * pressure(spilled));
        if (cost == 0) {
            return 0;
        }
        long until = nextFree.accumulateAndGet(cost, (free, c) -> Math.max(free, now) + c);
        return Math.min(MAX_WAIT_NANOS, until - now);
    }

    /** 0 below twice the due volume, rising to 1 at four times it. */
    double pressure(long spilled) {
        double over = (spilled - 2.0 * duePages) / (2.0 * duePages);
        return Math.max(0, Math.min(1, over));
    }

    /** Waits {@code nanos}; an interrupt ends the wait and stays set. */
    static void await(long nanos) {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !Thread.currentThread().isInterrupted(); left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
