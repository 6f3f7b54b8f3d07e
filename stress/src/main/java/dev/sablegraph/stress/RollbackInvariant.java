package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Nothing of a rolled-back transaction is ever visible (no aborted read, G1a): churn regularly
 * adds an {@code Aborted} node and moves an item to the poison group, then rolls back. Looked up
 * through both indexes, so a leaked write cannot hide from one of them. Likewise nothing of a
 * transaction that failed or was never committed: abandoned transactions add {@code Aborted}
 * nodes too, oversized ones {@code Oversized} nodes, refused over-limit writes {@code OverLimit}
 * nodes.
 */
final class RollbackInvariant {
    static final String NAME = "rolled-back-write";
    /** Labels only transactions that never commit write. */
    private static final List<String> NEVER_COMMITTED = List.of(Fixture.ABORTED, OversizedTransaction.LABEL,
            OverLimitWrite.LABEL);

    private RollbackInvariant() {}

    static List<Violation> check(Transaction tx) {
        long s = tx.snapshotTimestamp();
        List<Violation> out = new ArrayList<>();
        for (String label : NEVER_COMMITTED) {
            for (Node n : tx.nodesByLabel(label)) {
                out.add(new Violation(NAME, s, "node " + n.id() + " labelled " + label + " is visible"));
            }
        }
        for (Node n : tx.findNodes(Fixture.ITEM, Items.GROUP, Fixture.POISON_GROUP)) {
            out.add(new Violation(NAME, s, "item " + n.id() + " is in the poison group " + Fixture.POISON_GROUP));
        }
        return out;
    }
}
