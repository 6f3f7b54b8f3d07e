package dev.sablegraph.core;

/** How readers and the writer of a database are kept apart. */
public enum LockStrategy {
    /** One mutex around every operation: the baseline that the other two are measured against. */
    GLOBAL_MUTEX,
    /** A {@link java.util.concurrent.locks.ReentrantReadWriteLock}: readers share, writers exclude. */
    READ_WRITE,
    /**
     * A {@link java.util.concurrent.locks.StampedLock}: readers take no lock and validate afterwards,
     * falling back to its read lock after a failed validation; writers exclude.
     */
    OPTIMISTIC
}
