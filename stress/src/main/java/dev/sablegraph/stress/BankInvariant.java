package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every snapshot holds exactly the fixture's accounts, none negative, summing to the initial total.
 * Transfers move money between two accounts in one transaction, so a torn commit, a read of half a
 * commit (read skew) or a lost update (two debits of one balance both committing) all change the
 * sum a single snapshot adds up.
 */
final class BankInvariant {
    static final String NAME = "bank-total";

    private final long[] accounts;

    BankInvariant(long[] accounts) {
        this.accounts = accounts.clone();
    }

    /** Reads every account in {@code tx}, by label scan or by id (two different read paths). */
    List<Violation> check(Transaction tx, boolean byLabel) {
        long s = tx.snapshotTimestamp();
        List<Violation> out = new ArrayList<>();
        Map<Long, Long> balances = new TreeMap<>();
        if (byLabel) {
            for (Node n : tx.nodesByLabel(Fixture.ACCOUNT)) {
                if (balances.put(n.id(), balance(n)) != null) {
                    out.add(new Violation(NAME, s, "the label scan lists account " + n.id() + " twice"));
                }
            }
        } else {
            for (long id : accounts) {
                Optional<Node> n = tx.getNode(id);
                if (n.isPresent()) {
                    balances.put(id, balance(n.get()));
                }
            }
        }
        out.addAll(verdict(s, accounts, balances, byLabel ? "label scan" : "getNode"));
        return out;
    }

    /** The verdict on one snapshot's balances (null for a balance that is not a long). */
    static List<Violation> verdict(long s, long[] expectedIds, Map<Long, Long> balances, String how) {
        List<Violation> out = new ArrayList<>();
        TreeSet<Long> expected = new TreeSet<>();
        Arrays.stream(expectedIds).forEach(expected::add);
        if (!balances.keySet().equals(expected)) {
            TreeSet<Long> missing = new TreeSet<>(expected);
            missing.removeAll(balances.keySet());
            TreeSet<Long> extra = new TreeSet<>(balances.keySet());
            extra.removeAll(expected);
            out.add(new Violation(NAME, s, "(" + how + ") accounts missing " + missing + ", unexpected " + extra));
        }
        long total = 0;
        for (Map.Entry<Long, Long> e : balances.entrySet()) {
            if (e.getValue() == null) {
                out.add(new Violation(NAME, s, "(" + how + ") account " + e.getKey() + " has no long balance"));
            } else if (e.getValue() < 0) {
                out.add(new Violation(NAME, s, "(" + how + ") account " + e.getKey() + " is negative: "
                        + e.getValue()));
            } else {
                total += e.getValue();
            }
        }
        if (total != Fixture.TOTAL) {
            out.add(new Violation(NAME, s, "(" + how + ") " + balances.size() + " accounts sum to " + total
                    + ", expected " + Fixture.TOTAL));
        }
        return out;
    }

    private static Long balance(Node n) {
        return n.properties().get("balance") instanceof Long b ? b : null;
    }
}
