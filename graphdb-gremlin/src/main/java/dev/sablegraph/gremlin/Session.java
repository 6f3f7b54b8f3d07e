package dev.sablegraph.gremlin;

import dev.sablegraph.concurrent.Transaction;

/**
 * One thread's Sable transaction as the Gremlin layer uses it. It counts the writes made through it,
 * so that an element may keep the record it read and reuse it while the count has not moved: a
 * record read in this session is exactly what the session would read again.
 */
final class Session {
    final Transaction tx;
    private long writes;

    Session(Transaction tx) {
        this.tx = tx;
    }

    /** Called after every write through this session: records read before it are stale. */
    void wrote() {
        writes++;
    }

    long writes() {
        return writes;
    }
}
