package dev.sablegraph.concurrent;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.WriteConflictException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The loop behind {@link ConcurrentGraphDB#inTransaction}: runs the work in a fresh transaction,
 * commits what it left open, and after a {@link WriteConflictException} waits and runs it again, a
 * bounded number of times. Nothing else is retried.
 *
 * <p>Between attempts it waits twice. First a random share of a bound that doubles with each
 * attempt (exponential backoff with full jitter), which spreads retrying threads apart. Then, with
 * new first attempts held back by the {@link RetryGate}, until the commits installed by then are
 * visible to new snapshots: a commit is visible only once its log force returned
 * ({@code CommitProtocol}), and a retry that began before would read below the commit it lost to
 * and conflict again at its first write. Measured with two threads incrementing one node
 * (docs/benchmarks.md, "Retries"), the backoff alone does not help: the winner, which does not
 * wait, has its next commit in its force again by the time the loser's backoff ends, and the loser
 * gives up.
 */
final class ConflictRetry {
    /** The least time to wait for the commit a conflict lost to to become visible: a log force or two. */
    private static final long MIN_VISIBILITY_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Beyond this many doublings the bound is at its cap for every allowed setting (60 s ≤ 1 ms · 2^16). */
    private static final int MAX_DOUBLINGS = 20;

    private final int maxAttempts;
    private final long baseNanos;
    private final long maxNanos;
    /** Waits until the commits installed so far are visible to new snapshots, at most the given nanoseconds. */
    private final LongConsumer awaitCommitsVisible;
    private final RetryGate gate;

    ConflictRetry(GraphConfig config, LongConsumer awaitCommitsVisible) {
        this.awaitCommitsVisible = awaitCommitsVisible;
        this.maxAttempts = config.maxTransactionAttempts();
        this.baseNanos = TimeUnit.MILLISECONDS.toNanos(config.retryBackoffBaseMillis());
        this.maxNanos = TimeUnit.MILLISECONDS.toNanos(config.retryBackoffMaxMillis());
        this.gate = new RetryGate(maxNanos);
    }

    /**
     * Runs {@code work} in transactions from {@code begin} until one commits, or rolls back by the
     * work's own choice; returns the work's result. See {@link ConcurrentGraphDB#inTransaction}.
     */
    <T> T run(Supplier<SnapshotTransaction> begin, Function<? super Transaction, ? extends T> work) {
        gate.awaitRetries();
        for (int attempt = 1; ; attempt++) {
            WriteConflictException conflict;
            try {
                return attempt(begin.get(), work);
            } catch (WriteConflictException e) {
                conflict = e;
            } finally {
                if (attempt > 1) {
                    gate.exitRetry();
                }
            }
            if (attempt >= maxAttempts) {
                throw new WriteConflictException("gave up after " + attempt + " attempts (maxTransactionAttempts),"
                        + " each a write conflict; the last: " + conflict.getMessage(), conflict);
            }
            backOff(attempt, conflict);
            gate.enterRetry(); // from here to the end of the next attempt: first attempts wait
            try {
                awaitCommitsVisible.accept(Math.max(maxNanos, MIN_VISIBILITY_WAIT_NANOS));
            } catch (RuntimeException | Error e) {
                gate.exitRetry();
                throw e;
            }
        }
    }

    /** One attempt: whatever the work throws leaves the transaction rolled back (closed). */
    private static <T> T attempt(SnapshotTransaction tx, Function<? super Transaction, ? extends T> work) {
        try (tx) {
            T result = work.apply(tx);
            if (!tx.isFinished()) {
                tx.commit();
            }
            return result;
        }
    }

    /**
     * Waits before attempt {@code attempt + 1}. An interrupt ends the retries: the interrupt
     * status stays set and the conflict is thrown, saying so.
     */
    private void backOff(int attempt, WriteConflictException conflict) {
        long bound = backoffBoundNanos(attempt);
        long wait = bound == 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1);
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted(attempt, conflict, null);
        }
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(attempt, conflict, e);
        }
    }

    /** The bound of the random wait after attempt {@code attempt}: base · 2^(attempt-1), at most the cap. */
    long backoffBoundNanos(int attempt) {
        return Math.min(maxNanos, baseNanos << Math.min(attempt - 1, MAX_DOUBLINGS));
    }

    private static WriteConflictException interrupted(int attempt, WriteConflictException conflict,
            InterruptedException cause) {
        WriteConflictException e = new WriteConflictException("gave up after " + attempt + " attempts: interrupted"
                + " while waiting to retry after a write conflict; the last: " + conflict.getMessage(), conflict);
        if (cause != null) {
            e.addSuppressed(cause);
        }
        return e;
    }
}
