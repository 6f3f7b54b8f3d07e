package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Node;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Nothing of a rolled-back transaction is ever visible (no aborted read, G1a): churn regularly
 * adds an {@code Aborted} node and moves an item to the poison group, then rolls back. Looked up
 * through both indexes, so a leaked write cannot hide from one of them. Likewise nothing of a
 * transaction that failed or was never committed: abandoned transactions add {@code Aborted}
 * nodes too, refused over-limit writes {@code OverLimit} nodes.
 *
 * <p>Oversized transactions commit, but never in part: the nodes of each attempt (label
 * {@code Oversized-N}) are all visible or none. None is what a snapshot shows before the commit,
 * after the attempt deleted them again, or after a crash that came before the commit returned;
 * part of them is a torn commit or a torn deletion. All of them are read, so while one is visible
 * this check costs a scan of tens of megabytes ({@code ReadCheck} runs it on one thread at a time).
 */
final class RollbackInvariant {
    static final String NAME = "rolled-back-write";
    /** Labels only transactions that never commit write. */
    private static final List<String> NEVER_COMMITTED = List.of(Fixture.ABORTED, OverLimitWrite.LABEL);

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
        checkOversizedAllOrNothing(tx, out);
        return out;
    }

    /** Groups the visible {@code Oversized} nodes by attempt; each group must be its whole attempt. */
    private static void checkOversizedAllOrNothing(Transaction tx, List<Violation> out) {
        long s = tx.snapshotTimestamp();
        Map<String, OversizedTransaction.VisibleSet> attempts = new TreeMap<>();
        try (Stream<Node> nodes = tx.streamNodesByLabel(OversizedTransaction.LABEL)) {
            for (Iterator<Node> it = nodes.iterator(); it.hasNext();) {
                Node n = it.next();
                String attempt = OversizedTransaction.attemptLabel(n);
                if (attempt == null) {
                    out.add(new Violation(NAME, s, "node " + n.id() + " labelled " + OversizedTransaction.LABEL
                            + " has no attempt label: " + n.labels()));
                } else {
                    attempts.computeIfAbsent(attempt, OversizedTransaction.VisibleSet::new).add(n);
                }
            }
        }
        for (OversizedTransaction.VisibleSet attempt : attempts.values()) {
            String problem = attempt.problem();
            if (problem != null) {
                out.add(new Violation(NAME, s, "an oversized transaction is visible in part, not all or nothing: "
                        + problem));
            }
        }
    }
}
