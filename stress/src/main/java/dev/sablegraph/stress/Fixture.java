package dev.sablegraph.stress;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Node;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fixed part of a stress database, made once in one transaction: a marker node, the bank's
 * accounts (their total never changes) and the counters. Everything else is the churned graph of
 * {@code Item} nodes. Ids are found again by label after every reopen and recovery.
 */
record Fixture(long marker, long[] accounts, long[] counters) {
    static final String MARKER = "SableStress";
    static final String ACCOUNT = "Account";
    static final String COUNTER = "Counter";
    static final String ITEM = "Item";
    /** A second label some items carry: its index must list exactly the items that have it. */
    static final String HOT = "Hot";
    static final String LINK = "LINK";
    /** Only ever written by transactions that roll back: no snapshot may see it. */
    static final String ABORTED = "Aborted";

    static final int ACCOUNTS = 100;
    static final long INITIAL_BALANCE = 1_000;
    static final long TOTAL = ACCOUNTS * INITIAL_BALANCE;
    static final int COUNTERS = 4;
    /** Values of the indexed item properties: few, so every value has many nodes. */
    static final int GROUPS = 16;
    static final int TAGS = 8;
    /** A group value only rolled-back transactions write. */
    static final long POISON_GROUP = 666;

    /** Creates the fixture in an empty database, or finds it in one this tool made. */
    static Fixture setUpOrFind(ConcurrentGraphDB db, boolean fresh) {
        // The indexes IndexInvariant compares with scans (creating one that exists returns it).
        for (String key : new String[] {Items.GROUP, Items.TAG, Items.RUN}) {
            db.createIndex(ITEM, key);
        }
        try (Transaction tx = db.begin()) {
            if (tx.nodesByLabel(MARKER).isEmpty()) {
                if (!fresh) {
                    throw new IllegalStateException("the directory holds a Sable database that the stress tool"
                            + " did not make (no " + MARKER + " node); give an empty or new directory");
                }
                tx.addNode(Set.of(MARKER), Map.of("accounts", (long) ACCOUNTS, "total", TOTAL));
                for (int i = 0; i < ACCOUNTS; i++) {
                    tx.addNode(Set.of(ACCOUNT), Map.of("no", (long) i, "balance", INITIAL_BALANCE));
                }
                for (int i = 0; i < COUNTERS; i++) {
                    tx.addNode(Set.of(COUNTER), Map.of("no", (long) i, "count", 0L));
                }
                tx.commit();
            }
        }
        try (Transaction tx = db.begin()) {
            return find(tx);
        }
    }

    /** Finds the fixture in a snapshot; a missing or extra account or counter is a broken database. */
    static Fixture find(Transaction tx) {
        List<Node> markers = tx.nodesByLabel(MARKER);
        if (markers.size() != 1) {
            throw new IllegalStateException(markers.size() + " " + MARKER + " nodes, expected 1");
        }
        return new Fixture(markers.get(0).id(), numbered(tx, ACCOUNT, ACCOUNTS), numbered(tx, COUNTER, COUNTERS));
    }

    /** Ids of the nodes labelled {@code label}, indexed by their "no" property 0..n-1. */
    private static long[] numbered(Transaction tx, String label, int n) {
        List<Node> nodes = tx.nodesByLabel(label);
        if (nodes.size() != n) {
            throw new IllegalStateException(nodes.size() + " " + label + " nodes, expected " + n);
        }
        long[] ids = new long[n];
        boolean[] seen = new boolean[n];
        for (Node node : nodes) {
            Object no = node.properties().get("no");
            if (!(no instanceof Long l) || l < 0 || l >= n || seen[(int) (long) l]) {
                throw new IllegalStateException(label + " node " + node.id() + " has a bad or repeated number " + no);
            }
            seen[(int) (long) l] = true;
            ids[(int) (long) l] = node.id();
        }
        return ids;
    }

    /** The count property of a counter node as one snapshot sees it. */
    static long count(Transaction tx, long counterId) {
        return longProperty(tx, counterId, "count");
    }

    static long longProperty(Transaction tx, long id, String key) {
        Node n = tx.getNode(id).orElseThrow(() -> new IllegalStateException("node " + id + " is not visible"));
        if (!(n.properties().get(key) instanceof Long v)) {
            throw new IllegalStateException("node " + id + " has no long property " + key + ": " + n.properties());
        }
        return v;
    }
}
