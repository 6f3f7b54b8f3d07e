package dev.sablegraph.internal.mvcc;

import dev.sablegraph.core.WriteConflictException;
import java.util.concurrent.atomic.LongAdder;

/**
 * First committer wins: the one rule that decides whether a transaction's write conflicts with a
 * commit made after its snapshot {@code s}. A transaction asks it twice for each entity it changes:
 * at the write (to fail early) and at commit under the commit lock (final: no commit can come in
 * between). Both ask here, so both give the same answer and the same message.
 *
 * <ul>
 *   <li>Changing or deleting a node or edge conflicts with any commit that changed it after
 *       {@code s}.
 *   <li>Deleting a node also conflicts with a commit that added or removed one of its edges after
 *       {@code s}.
 *   <li>Adding an edge conflicts with a commit that deleted one of its endpoints (the endpoint was
 *       visible at {@code s}, so that commit came after it). Two transactions adding edges at the
 *       same node do not conflict.
 * </ul>
 *
 * Entities the transaction created itself cannot conflict; callers do not ask for them. Reads the
 * version chains only: call with commits held off (the commit lock) for a final answer.
 */
public final class ConflictRule {
    private final VersionedGraph graph;
    private final LongAdder conflicts = new LongAdder();

    public ConflictRule(VersionedGraph graph) {
        this.graph = graph;
    }

    /** @throws WriteConflictException when changing (or, if {@code deleting}, deleting) node {@code id} conflicts */
    public void checkNodeWrite(long id, long s, boolean deleting) {
        if (graph.nodeChangedAt(id) > s) {
            throw conflict("node " + id + " was modified by a transaction that committed after this one began");
        }
        if (deleting && graph.nodeEdgesChangedAt(id) > s) {
            throw conflict("node " + id + " gained or lost edges in a transaction that committed after this one began");
        }
    }

    /** @throws WriteConflictException when changing or deleting edge {@code id} conflicts */
    public void checkEdgeWrite(long id, long s) {
        if (graph.edgeChangedAt(id) > s) {
            throw conflict("edge " + id + " was modified by a transaction that committed after this one began");
        }
    }

    /** @throws WriteConflictException when node {@code id}, an endpoint of a new edge, was deleted by a commit */
    public void checkEdgeEndpoint(long id) {
        if (graph.nodeDeleted(id)) {
            throw conflict("node " + id + " was deleted by a transaction that committed after this one began");
        }
    }

    /** Conflicts found since open (each failed transaction counts once per conflict it hit). */
    public long conflicts() {
        return conflicts.sum();
    }

    private WriteConflictException conflict(String message) {
        conflicts.increment();
        return new WriteConflictException(message);
    }
}
