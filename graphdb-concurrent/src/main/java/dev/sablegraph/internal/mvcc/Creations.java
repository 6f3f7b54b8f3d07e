package dev.sablegraph.internal.mvcc;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Which recent commit created each entity of one kind (nodes, or edges) that has no version chain:
 * a commit's creations are kept as runs of consecutive ids, one entry per run, where a chain per
 * created entity cost three map entries and two objects each (a million-edge commit held a
 * million chains; a load of 500-edge commits pushed 500 a commit). Ids a transaction reserves are
 * mostly consecutive, so a commit usually adds one run per kind.
 *
 * <p>Visibility: for an entity with no chain, {@link #createdAt} stands where the chain's
 * {@code latestTs} would, and {@link VersionChain#seesStoreState} decides as for a chain (0, "not
 * created recently", is seen by every snapshot). A chain made later for such an entity starts from
 * its creation ({@link VersionChain#VersionChain(long)}) and answers for it from then on.
 *
 * <p>Runs never overlap: an id is created again only after its entity was deleted and purged, and
 * a purge waits until every live snapshot sees the deletion, by when the creation's run was
 * forgotten ({@link VersionedGraph#collect} forgets runs before it purges, with the same horizon).
 *
 * <p>Concurrency: runs are added and forgotten under the graph guard's write side (installation,
 * collection); {@link #createdAt} reads under its read side, optimistic included: the concurrent
 * skip list never shows a reader a torn run, and the guard discards what a read raced.
 */
final class Creations {
    /** Ids {@code [first, end)}, created by the commit at {@code ts}. */
    private record Run(long first, long end, long ts) {}

    private final ConcurrentSkipListMap<Long, Run> byFirstId = new ConcurrentSkipListMap<>();
    /** The same runs, oldest commit first (commits install in timestamp order); guarded by the write side. */
    private final ArrayDeque<Run> inCommitOrder = new ArrayDeque<>();

    /** The commit that created {@code id}, or 0 when no remembered run holds it. */
    long createdAt(long id) {
        Map.Entry<Long, Run> e = byFirstId.floorEntry(id);
        return e != null && id < e.getValue().end() ? e.getValue().ts() : 0;
    }

    /**
     * Remembers that the commit at {@code ts} created {@code ids[0, count)} (any order: sorted
     * here, in place). Call under the guard's write side, with {@code ts} above every earlier call's.
     */
    void created(long ts, long[] ids, int count) {
        Arrays.sort(ids, 0, count);
        for (int i = 0; i < count; ) {
            int j = i + 1;
            while (j < count && ids[j] == ids[j - 1] + 1) {
                j++;
            }
            Run run = new Run(ids[i], ids[j - 1] + 1, ts);
            assert createdAt(run.first()) == 0 && byFirstId.subMap(run.first(), run.end()).isEmpty()
                    : "runs overlap at " + run;
            byFirstId.put(run.first(), run);
            inCommitOrder.addLast(run);
            i = j;
        }
    }

    /** Forgets the runs of commits every snapshot at or after {@code horizon} sees. Call under the write side. */
    void forgetUpTo(long horizon) {
        while (!inCommitOrder.isEmpty() && inCommitOrder.peekFirst().ts() <= horizon) {
            Run run = inCommitOrder.pollFirst();
            byFirstId.remove(run.first(), run);
        }
    }

    /** Whether any run is remembered. */
    boolean isEmpty() {
        return byFirstId.isEmpty();
    }

    /** How many runs are remembered (for metrics and tests). */
    int runs() {
        return byFirstId.size();
    }

    /** Calls {@code check} with every remembered run's ids and commit (for the integrity check). */
    void forEachRun(RunVisitor check) {
        for (Run run : byFirstId.values()) {
            check.visit(run.first(), run.end(), run.ts());
        }
    }

    /** Receives one run: ids {@code [first, end)} created at {@code ts}. */
    @FunctionalInterface
    interface RunVisitor {
        void visit(long first, long end, long ts);
    }
}
