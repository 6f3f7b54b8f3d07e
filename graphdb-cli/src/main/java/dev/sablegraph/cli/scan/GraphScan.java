package dev.sablegraph.cli.scan;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every node and edge of a database the command opened itself (so nothing else writes to it), read
 * through the public API in one transaction: one snapshot, whatever the reads cost.
 *
 * <p>The API has no scan of all nodes yet, so this one asks the integrity check how many nodes
 * the store holds (a read of the whole file) and then reads ids upwards from 0 with
 * {@link Transaction#getNode} until it has seen that many; ids are dense unless nodes were
 * deleted, so this costs O(highest id). Edges are the outgoing edges of each node, so each is seen
 * once. A scan API on {@code Transaction} replaces both steps when it is there.
 */
public final class GraphScan implements AutoCloseable {
    /** Consecutive absent ids after which the count is taken to be wrong rather than the scan left running. */
    private static final long MAX_GAP = 1L << 26;

    private final Transaction tx;
    private final long nodes;
    private final long edges;

    private GraphScan(Transaction tx, long nodes, long edges) {
        this.tx = tx;
        this.nodes = nodes;
        this.edges = edges;
    }

    /** Counts, then begins the transaction every read goes through. */
    public static GraphScan begin(ConcurrentGraphDB db) {
        IntegrityReport counts = db.checkIntegrity();
        return new GraphScan(db.begin(), counts.count("nodes"), counts.count("edges"));
    }

    public long nodeCount() {
        return nodes;
    }

    public long edgeCount() {
        return edges;
    }

    /** The transaction the scan reads in, for further reads of the same snapshot. */
    public Transaction transaction() {
        return tx;
    }

    /** Visits every node in id order. */
    public void forEachNode(Consumer<Node> visitor) {
        long found = 0;
        long gap = 0;
        for (long id = 0; found < nodes; id++) {
            Optional<Node> n = tx.getNode(id);
            if (n.isPresent()) {
                found++;
                gap = 0;
                visitor.accept(n.get());
            } else if (++gap > MAX_GAP) {
                throw new IllegalStateException("the store counts " + nodes + " nodes, but only " + found
                        + " were found below id " + id);
            }
        }
    }

    /** Visits every edge, grouped by start node in id order. */
    public void forEachEdge(Consumer<Edge> visitor) {
        forEachNode(n -> tx.edges(n.id(), Direction.OUTGOING, null).forEach(visitor));
    }

    @Override
    public void close() {
        tx.close();
    }
}
