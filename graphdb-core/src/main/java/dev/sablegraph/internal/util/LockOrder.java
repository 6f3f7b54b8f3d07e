package dev.sablegraph.internal.util;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Checks at run time that locks are taken in the order of docs/lock-order.md. Each lock has a
 * rank; a thread may only take a lock of a strictly higher rank than every lock it holds (or one
 * it already holds, for reentrant locks). Used as {@code assert LockOrder.acquire(RANK)}, so the
 * check costs nothing unless assertions are enabled (tests run with {@code -ea}).
 */
public final class LockOrder {
    // Ranks, outermost first. Keep in step with docs/lock-order.md.
    public static final int SCHEMA = 3;
    public static final int CHECKPOINT = 5;
    public static final int BACKUP_COPY = 7;
    public static final int COMMIT = 10;
    public static final int GRAPH = 30;
    public static final int TOKENS = 35;
    public static final int STRUCTURE = 40;
    public static final int FLUSH = 50;
    public static final int ALLOCATOR = 60;
    public static final int FILE_GROWTH = 70;
    public static final int CHANNEL_REOPEN = 80;

    private static final ThreadLocal<Deque<Integer>> HELD = ThreadLocal.withInitial(ArrayDeque::new);

    private LockOrder() {}

    /** Records that the current thread takes a lock of {@code rank}; fails if that breaks the order. */
    public static boolean acquire(int rank) {
        Deque<Integer> held = HELD.get();
        Integer top = held.peek();
        if (top != null && rank < top) {
            throw new AssertionError("lock order violated: taking rank " + rank + " while holding " + held
                    + " (see docs/lock-order.md)");
        }
        if (top != null && rank == top && !reentrant(rank)) {
            throw new AssertionError("lock order violated: two locks of rank " + rank + " held at once");
        }
        held.push(rank);
        return true;
    }

    /** Records that the current thread released its most recent lock of {@code rank}. */
    public static boolean release(int rank) {
        Deque<Integer> held = HELD.get();
        if (!held.removeFirstOccurrence(rank)) {
            throw new AssertionError("released rank " + rank + " that was not held; held " + held);
        }
        return true;
    }

    /** Locks of one rank that a thread may hold twice because they are the same reentrant lock. */
    private static boolean reentrant(int rank) {
        return rank == COMMIT || rank == TOKENS;
    }

    /** The ranks the current thread holds, innermost first (for tests). */
    public static Deque<Integer> held() {
        return new ArrayDeque<>(HELD.get());
    }
}
