package dev.sablegraph.internal.wal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The log's flush token: whoever holds it is the one thread writing or forcing segments. Not a
 * lock: the holder does I/O while others wait for what it publishes (the durable position).
 *
 * <p>Why not a flag under a lock with a condition (the first version): after each force, every
 * group-commit waiter had to re-acquire that lock to leave its wait, one after another, each
 * hand-off a context switch while the other core idled. Here waiters park on a queue and the
 * releaser unparks them without a lock; each re-checks volatile state on its own.
 *
 * <p>Three kinds of waiter: a thread that wants the token (the log's flusher, an appender whose
 * buffer is full, close), a committer that waits for its position and would take the token to
 * force it ({@link #awaitTurn}), and a committer that left the forcing to the flusher
 * ({@link #awaitDurable}).
 *
 * <p>Whom a release wakes: every waiter whose position the release made durable (it is done), and
 * the oldest of the others that wants the token (it takes it next and forces for the rest).
 * Waking all of them, as the second version did, woke each committer about twice per commit: once
 * to find its record not yet covered and park again, once to leave. On 2 cores that second
 * wake-up is a context switch per commit, and it delayed the very thread the next force waited for.
 *
 * <p>No lost wake-up: a waiter enqueues itself before it re-checks its condition, and the releaser
 * publishes the durable position and clears the token before it scans the queue; either the
 * waiter sees the change, or the releaser finds it in the queue. A waiter that wants the token
 * and is left parked had an older one woken instead, which takes the token or
 * finds another holder; either way a later release scans the queue again. A committer waiting in
 * {@link #awaitDurable} needs a thread that will force its position: it asked the flusher first.
 * Spurious wake-ups are harmless: every caller waits in a loop.
 */
final class FlushToken {
    /**
     * What a parked thread waits for: the log to be durable up to {@code position}, and whether it
     * would take the token to get there. Compared by identity: the queue removes exactly this entry.
     */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        final long position;
        final boolean wantsToken;

        Waiter(long position, boolean wantsToken) {
            this.position = position;
            this.wantsToken = wantsToken;
        }
    }

    /** Position of a waiter that wants the token itself, whatever is durable. */
    private static final long TOKEN_ONLY = Long.MAX_VALUE;

    private final AtomicBoolean held = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    /** Threads parked (or about to park) in this token's queue; cheaper to read than its size. */
    private final AtomicInteger parked = new AtomicInteger();

    boolean tryAcquire() {
        return !held.get() && held.compareAndSet(false, true);
    }

    /** How many threads wait on this token now, for it or for a durable position. */
    int waiting() {
        return parked.get();
    }

    /**
     * Frees the token (the caller holds it). Wakes the waiters whose position is at or below
     * {@code durable}, and the oldest of the others that wants the token, to take it next.
     */
    void release(long durable) {
        held.set(false);
        boolean successorWoken = false;
        Iterator<Waiter> it = waiters.iterator();
        // Only the waiters queued before this call: see wakeAll for why not more.
        for (int n = waiters.size(); n > 0 && it.hasNext(); n--) {
            Waiter w = it.next();
            if (w.position <= durable) {
                wake(w);
            } else if (w.wantsToken && !successorWoken) {
                // A waiter already leaving the queue is awake anyway; then pick the next one.
                successorWoken = wake(w);
            }
        }
    }

    /** Frees the token and wakes every waiter: after a failure or at close, everyone must look. */
    void releaseAndWakeAll() {
        held.set(false);
        wakeAll();
    }

    /**
     * Wakes every thread waiting now. Only those: woken threads may queue again at once (to wait
     * for the next holder), and draining until the queue is empty would chase them, unparking them
     * over and over for as long as the next force takes (measured: 440 wake-ups per release, both
     * cores busy). The queue is FIFO, so the first {@code size()} polls take every thread queued
     * before the call.
     */
    void wakeAll() {
        for (int n = waiters.size(); n > 0; n--) {
            Waiter w = waiters.poll();
            if (w == null) {
                return;
            }
            LockSupport.unpark(w.thread);
        }
    }

    /** Unparks {@code w} if it is still queued (it is then the release's to wake); returns whether. */
    private boolean wake(Waiter w) {
        if (waiters.remove(w)) {
            LockSupport.unpark(w.thread);
            return true;
        }
        return false;
    }

    /**
     * Parks the caller while the token is held and {@code done} is false, until a release picks
     * it to go next, or {@link #wakeAll}; may return early.
     */
    void awaitRelease(BooleanSupplier done) {
        awaitTurn(TOKEN_ONLY, done);
    }

    /**
     * Parks the caller while the token is held and {@code done} is false, until a release at or
     * beyond {@code position}, or one that picks the caller to take the token and force next, or
     * {@link #wakeAll}; may return early.
     */
    void awaitTurn(long position, BooleanSupplier done) {
        park(position, true, () -> !held.get() || done.getAsBoolean());
    }

    /**
     * Parks the caller while {@code done} is false, until a release at or beyond {@code position},
     * or {@link #wakeAll}; may return early. Whoever makes {@code position} durable releases the
     * token after it, so the caller must have made sure someone will (the log's flusher).
     */
    void awaitDurable(long position, BooleanSupplier done) {
        park(position, false, done);
    }

    /**
     * Interrupts are ignored here (the status is kept): the wait is bounded by one force, and a
     * committer that stopped waiting would not know its outcome.
     */
    private void park(long position, boolean wantsToken, BooleanSupplier done) {
        Waiter me = new Waiter(position, wantsToken);
        parked.incrementAndGet();
        waiters.add(me);
        try {
            if (!done.getAsBoolean()) {
                boolean interrupted = Thread.interrupted(); // a set status would make park return at once
                LockSupport.park(this);
                if (interrupted) {
                    me.thread.interrupt();
                }
            }
        } finally {
            waiters.remove(me);
            parked.decrementAndGet();
        }
    }
}
