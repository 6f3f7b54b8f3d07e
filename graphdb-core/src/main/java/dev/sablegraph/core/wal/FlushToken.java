package dev.sablegraph.core.wal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The log's flush token: whoever holds it is the one thread writing or forcing segments. Not a
 * lock: the holder does I/O while others wait for what it publishes (the durable position).
 *
 * <p>Why not a flag under a lock with a condition (the first version): after each force, every
 * group-commit waiter had to re-acquire that lock to leave its wait, one after another, each
 * hand-off a context switch while the other core idled. Here waiters park on a queue and the
 * releaser unparks them all at once; each re-checks volatile state without taking a lock.
 *
 * <p>No lost wake-up: a waiter enqueues itself before it re-checks the token, and the releaser
 * clears the token before it drains the queue. Either the waiter sees the token free, or the
 * releaser finds it in the queue and unparks it (an unpark before the park makes the park
 * return at once). Spurious wake-ups are harmless: every caller waits in a loop.
 */
final class FlushToken {
    private final AtomicBoolean held = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();

    boolean tryAcquire() {
        return !held.get() && held.compareAndSet(false, true);
    }

    boolean isHeld() {
        return held.get();
    }

    /** Frees the token (the caller holds it) and wakes every waiter to re-check its condition. */
    void release() {
        held.set(false);
        wakeAll();
    }

    /**
     * Wakes every thread waiting now, for state changes other than a release (failure, close).
     * Only those: woken threads may queue again at once (to wait for the next holder), and
     * draining until the queue is empty would chase them, unparking them over and over for as
     * long as the next force takes (measured: 440 wake-ups per release, both cores busy). The
     * queue is FIFO, so the first {@code size()} polls take every thread queued before the call.
     */
    void wakeAll() {
        for (int n = waiters.size(); n > 0; n--) {
            Thread t = waiters.poll();
            if (t == null) {
                return;
            }
            LockSupport.unpark(t);
        }
    }

    /**
     * Parks the caller while the token is held and {@code done} is false, until a release or
     * {@link #wakeAll}; may return early. Interrupts are ignored here (the status is kept): the
     * wait is bounded by one force, and a committer that stopped waiting would not know its
     * outcome.
     */
    void awaitRelease(BooleanSupplier done) {
        Thread me = Thread.currentThread();
        waiters.add(me);
        try {
            if (held.get() && !done.getAsBoolean()) {
                boolean interrupted = Thread.interrupted(); // a set status would make park return at once
                LockSupport.park(this);
                if (interrupted) {
                    me.interrupt();
                }
            }
        } finally {
            waiters.remove(me);
        }
    }
}
