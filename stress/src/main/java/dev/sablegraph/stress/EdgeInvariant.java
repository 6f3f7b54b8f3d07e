package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * No dangling edges, adjacency consistent both ways, in one snapshot: every edge listed at a node
 * touches it, reads back identically by id, has both endpoints visible, and is listed at its other
 * endpoint in the opposite direction; BOTH lists exactly OUTGOING plus INCOMING. Node deletion
 * must take the node's edges with it in the same commit, so a visible edge to an invisible node
 * means a partial commit, a wrong version, or an adjacency entry that outlived its edge.
 */
final class EdgeInvariant {
    static final String NAME = "edges";

    private EdgeInvariant() {}

    /** Checks the edges at one node. */
    static List<Violation> checkAround(Transaction tx, long node) {
        long s = tx.snapshotTimestamp();
        List<Violation> out = new ArrayList<>();
        List<Edge> both = tx.edges(node, Direction.BOTH, null);
        if (both.isEmpty()) {
            return out;
        }
        if (tx.getNode(node).isEmpty()) {
            out.add(new Violation(NAME, s, "node " + node + " is not visible but lists edges " + ids(both)));
        }
        List<Edge> outgoing = tx.edges(node, Direction.OUTGOING, null);
        List<Edge> incoming = tx.edges(node, Direction.INCOMING, null);
        Set<Long> union = ids(outgoing);
        union.addAll(ids(incoming));
        Set<Long> bothIds = ids(both);
        if (bothIds.size() != both.size()) {
            out.add(new Violation(NAME, s, "node " + node + " lists an edge twice: " + both));
        }
        if (!bothIds.equals(union)) {
            out.add(new Violation(NAME, s, "node " + node + ": BOTH lists " + bothIds + " but OUTGOING+INCOMING "
                    + union));
        }
        for (Edge e : outgoing) {
            if (e.from() != node) {
                out.add(new Violation(NAME, s, "OUTGOING at node " + node + " lists " + e));
            }
        }
        for (Edge e : incoming) {
            if (e.to() != node) {
                out.add(new Violation(NAME, s, "INCOMING at node " + node + " lists " + e));
            }
        }
        for (Edge e : both) {
            out.addAll(checkEdge(tx, node, e));
        }
        return out;
    }

    /** One edge seen at {@code node}: touches it, reads back by id, endpoints visible, listed at the other end. */
    static List<Violation> checkEdge(Transaction tx, long node, Edge e) {
        long s = tx.snapshotTimestamp();
        List<Violation> out = new ArrayList<>();
        if (e.from() != node && e.to() != node) {
            out.add(new Violation(NAME, s, "edge " + e + " listed at node " + node + " does not touch it"));
            return out;
        }
        Optional<Edge> byId = tx.getEdge(e.id());
        if (byId.isEmpty() || !sameEdge(byId.get(), e)) {
            out.add(new Violation(NAME, s, "edge " + e.id() + " listed at node " + node + " as " + e
                    + " but getEdge gives " + byId));
        }
        for (long end : new long[] {e.from(), e.to()}) {
            if (tx.getNode(end).isEmpty()) {
                out.add(new Violation(NAME, s, "dangling edge " + e + ": endpoint " + end + " is not visible"));
            }
        }
        long other = e.from() == node ? e.to() : e.from();
        Direction back = e.from() == node ? Direction.INCOMING : Direction.OUTGOING;
        if (!ids(tx.edges(other, back, e.type())).contains(e.id())) {
            out.add(new Violation(NAME, s, "edge " + e + " is listed at node " + node + " but not " + back
                    + " at node " + other));
        }
        return out;
    }

    /** Checks around every node with {@code label} (a full scan, for verification after a run). */
    static List<Violation> checkAll(Transaction tx, String label) {
        List<Violation> out = new ArrayList<>();
        try (Stream<Node> nodes = tx.streamNodesByLabel(label)) {
            for (Iterator<Node> it = nodes.iterator(); it.hasNext(); ) {
                out.addAll(checkAround(tx, it.next().id()));
            }
        }
        return out;
    }

    static boolean sameEdge(Edge a, Edge b) {
        return a.id() == b.id() && a.from() == b.from() && a.to() == b.to() && a.type().equals(b.type())
                && a.properties().equals(b.properties());
    }

    static Set<Long> ids(List<Edge> edges) {
        Set<Long> ids = new TreeSet<>();
        edges.forEach(e -> ids.add(e.id()));
        return ids;
    }
}
