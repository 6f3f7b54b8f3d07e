package dev.sablegraph.internal.mvcc;

/**
 * The recent history of one node or edge, newest first, kept in memory while some snapshot may
 * still need a state older than the one in the store.
 *
 * <p>The store always holds the newest committed state (or, for a deleted entity, its last state
 * until garbage collection purges it); this chain holds the states it replaced, each tagged with the
 * commit timestamp from which it was valid. {@link #visibleAt} is the one visibility rule of Sable
 * ({@link #existsAt} and {@link #seesStoreState} are parts of it, for callers that need less than
 * the state):
 *
 * <table>
 *   <caption>What a snapshot taken at timestamp s sees</caption>
 *   <tr><th>condition</th><th>visible state</th></tr>
 *   <tr><td>no chain for the entity, created by the commit at {@code c > s} ({@link Creations#createdAt})</td>
 *       <td>nothing</td></tr>
 *   <tr><td>no chain for the entity otherwise</td><td>the store's state (it committed at or before s)</td></tr>
 *   <tr><td>{@code latestTs <= s}, not deleted</td><td>the store's state</td></tr>
 *   <tr><td>{@code latestTs <= s}, deleted</td><td>nothing</td></tr>
 *   <tr><td>{@code latestTs > s}</td><td>the newest older version with {@code ts <= s}; nothing if none
 *       (the entity was created after s)</td></tr>
 * </table>
 *
 * Uncommitted writes never enter a chain or the store: they live in their transaction until commit,
 * so no snapshot can see them (the dirty-read defect of the engine we started from cannot occur).
 *
 * <p>Concurrency: chains are changed only under the database's exclusive commit access; readers
 * read them under shared or validated optimistic access. Fields are volatile so that optimistic
 * readers see whole references; pruning only cuts versions no registered snapshot can reach.
 *
 * @param <T> the state type (an immutable node or edge value); null stands for "absent"
 */
public final class VersionChain<T> {
    /** One replaced state: valid from {@code ts} until the next newer version (or the store's). */
    public static final class Version<T> {
        final long ts;
        final T state;
        volatile Version<T> older;

        Version(long ts, T state, Version<T> older) {
            this.ts = ts;
            this.state = state;
            this.older = older;
        }
    }

    // guarded by the graph guard's write side (written); volatile for optimistic readers
    private volatile long latestTs;
    private volatile boolean latestDeleted;
    private volatile long edgeChangeTs;
    private volatile Version<T> older;
    /**
     * Whether a replaced state may have index entries that the states after it lack: set by
     * {@link #noteIndexEntriesLeftBehind} and never cleared while the chain lives. While false,
     * every replaced state's entries are entries of the store's state (each replacement kept them
     * all, see {@code GraphStore.replaceNode}), so collecting the chain drops none. Written and read
     * under the graph guard's write side only.
     */
    private boolean indexEntriesLeftBehind;

    /** A chain for an entity whose history no snapshot needs yet. */
    public VersionChain() {
    }

    /**
     * A chain for an entity the commit at {@code createdTs} created, or 0 when every live snapshot
     * sees it ({@link Creations#createdAt}): snapshots before {@code createdTs} see nothing, as
     * after a {@code push(createdTs, null, 0, false)}.
     */
    public VersionChain(long createdTs) {
        this.latestTs = createdTs;
    }

    /**
     * Records a commit at {@code ts} that replaced {@code previous} (null: the entity did not exist)
     * with whatever the store now holds, or deleted the entity when {@code deleted}.
     * {@code previousTs} is when {@code previous} became valid (0 when older than any snapshot).
     */
    public void push(long ts, T previous, long previousTs, boolean deleted) {
        if (older == null && latestTs == 0) {
            // A creation remembers no version: "no version at or before s" already reads as
            // absent (as for a chain made from a creation run, VersionChain(long)).
            older = previous == null ? null : new Version<>(previousTs, previous, null);
        } else {
            older = new Version<>(latestTs, previous, older);
        }
        latestTs = ts;
        latestDeleted = deleted;
    }

    /** Notes that the state a push replaced had index entries its successor lacks (or may have). */
    public void noteIndexEntriesLeftBehind() {
        indexEntriesLeftBehind = true;
    }

    /** Whether collecting older states may have index entries to drop (see the field). */
    public boolean indexEntriesLeftBehind() {
        return indexEntriesLeftBehind;
    }

    /** Notes that a commit at {@code ts} added or removed an edge at this node. */
    public void markEdgeChange(long ts) {
        edgeChangeTs = ts;
    }

    public long latestTs() {
        return latestTs;
    }

    public boolean isDeleted() {
        return latestDeleted;
    }

    public long edgeChangeTs() {
        return edgeChangeTs;
    }

    /** The state visible at snapshot {@code s}; {@code storeState} is what the store holds now. */
    public T visibleAt(long s, T storeState) {
        return visibleAt(s, latestTs, storeState);
    }

    /**
     * The rule of the table above, for a caller that read {@code latest} (this chain's
     * {@link #latestTs}, or 0 without a chain) once, decided with {@link #seesStoreState} whether
     * to read the store, and now resolves with what it read ({@code storeState}, unused otherwise).
     */
    public T visibleAt(long s, long latest, T storeState) {
        if (seesStoreState(latest, s)) {
            return latestDeleted ? null : storeState;
        }
        return olderStateAt(s);
    }

    /**
     * Whether snapshot {@code s} sees the entity at all, decided from the chain alone (no store
     * state needed): the store still holds a deleted entity until it is purged, so the answer for a
     * snapshot that sees the newest commit is "not deleted".
     */
    public boolean existsAt(long s) {
        return seesStoreState(latestTs, s) ? !latestDeleted : olderStateAt(s) != null;
    }

    /**
     * Whether a snapshot at {@code s} sees the store's state of an entity whose chain's newest
     * commit is {@code latest} (0: no chain). Readers use it to skip reading the store when the
     * answer lies in the chain.
     */
    public static boolean seesStoreState(long latest, long s) {
        return latest <= s;
    }

    /** The newest replaced state valid at {@code s}; null when the entity did not exist then. */
    private T olderStateAt(long s) {
        for (Version<T> v = older; v != null; v = v.older) {
            if (v.ts <= s) {
                return v.state;
            }
        }
        return null;
    }

    /** Every state the chain still remembers, newest first (for index clean-up at collection). */
    public void forEachOlderState(java.util.function.Consumer<T> action) {
        for (Version<T> v = older; v != null; v = v.older) {
            if (v.state != null) {
                action.accept(v.state);
            }
        }
    }

    /** True when no snapshot at or after {@code horizon} needs anything but the store's state. */
    public boolean isObsolete(long horizon) {
        return latestTs <= horizon && edgeChangeTs <= horizon;
    }

    /**
     * Drops versions no snapshot at or after {@code horizon} can reach: everything older than the
     * newest version valid at the horizon. Returns how many versions remain.
     */
    public int prune(long horizon) {
        int kept = 0;
        for (Version<T> v = older; v != null; v = v.older) {
            kept++;
            if (v.ts <= horizon) {
                v.older = null;
                break;
            }
        }
        return kept;
    }

    /** How many versions {@link #prune} would keep at {@code horizon}, without pruning. */
    public int lengthAfterPrune(long horizon) {
        int kept = 0;
        for (Version<T> v = older; v != null; v = v.older) {
            kept++;
            if (v.ts <= horizon) {
                break;
            }
        }
        return kept;
    }

    /** The states {@link #prune} would keep at {@code horizon}, newest first, without pruning. */
    public void forEachStateKeptByPrune(long horizon, java.util.function.Consumer<T> action) {
        for (Version<T> v = older; v != null; v = v.older) {
            if (v.state != null) {
                action.accept(v.state);
            }
            if (v.ts <= horizon) {
                break;
            }
        }
    }

    /**
     * Why this chain is malformed, or null when it is well formed: its newest change is no newer
     * than the newest installed commit ({@code latestTs <= newestCommit}), and its versions are
     * newest first with timestamps strictly below the one that replaced them (the order
     * {@link #visibleAt} relies on).
     */
    public String malformation(long newestCommit) {
        if (latestTs > newestCommit || edgeChangeTs > newestCommit) {
            return "changed at " + Math.max(latestTs, edgeChangeTs) + ", after the newest commit " + newestCommit;
        }
        long newer = latestTs;
        int n = 0;
        for (Version<T> v = older; v != null; v = v.older) {
            if (v.ts >= newer || v.ts < 0) {
                return "version " + n + " is valid from " + v.ts + ", not before its successor's " + newer;
            }
            newer = v.ts;
            n++;
        }
        return null;
    }

    /** Whether the chain remembers any state older than the store's (not just absence). */
    public boolean hasOlderState() {
        for (Version<T> v = older; v != null; v = v.older) {
            if (v.state != null) {
                return true;
            }
        }
        return false;
    }

    public int length() {
        int n = 0;
        for (Version<T> v = older; v != null; v = v.older) {
            n++;
        }
        return n;
    }
}
