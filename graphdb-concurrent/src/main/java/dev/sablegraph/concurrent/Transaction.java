package dev.sablegraph.concurrent;

import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import dev.sablegraph.core.PropertyRange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A snapshot-isolated, read-write transaction: it sees exactly the transactions that committed
 * before it began, plus its own writes. Use it from one thread at a time.
 *
 * <p>When two concurrent transactions modify the same node or edge, the one that commits second
 * fails with {@link dev.sablegraph.core.WriteConflictException}, thrown by the conflicting write or
 * at the latest by {@link #commit()}; after it the transaction can only be rolled back or closed.
 * Write skew is allowed (see docs/mvcc.md).
 */
public interface Transaction extends AutoCloseable {
    long addNode(Set<String> labels, Map<String, Object> properties);

    long addEdge(long from, long to, String type, Map<String, Object> properties);

    Optional<Node> getNode(long id);

    Optional<Edge> getEdge(long id);

    void setNodeProperty(long id, String key, Object value);

    void removeNodeProperty(long id, String key);

    void setEdgeProperty(long id, String key, Object value);

    /** Refused with {@link dev.sablegraph.core.GraphException} while the node still has edges. */
    void deleteNode(long id);

    void deleteEdge(long id);

    List<Node> nodesByLabel(String label);

    List<Node> findNodes(String label, String key, Object value);

    /**
     * Edges at a node in id order; {@code type == null} means any type. A self-loop appears once
     * for BOTH.
     */
    List<Edge> edges(long nodeId, Direction direction, String type);

    /** Durable on return under the default configuration (with the write-ahead log). */
    void commit();

    void rollback();

    /** Rolls back if neither committed nor rolled back. Idempotent. */
    @Override
    void close();

    // ---- additions beyond the fixed contract ----

    void removeEdgeProperty(long id, String key);

    /** Adds a label; false when the node already had it. */
    boolean addLabel(long id, String label);

    /** Removes a label; false when the node did not have it. */
    boolean removeLabel(long id, String label);

    /** Nodes with a label in id order, read lazily from the index: memory stays bounded. */
    Stream<Node> streamNodesByLabel(String label);

    /**
     * The nodes with {@code label} whose value of {@code key} lies between {@code from} and
     * {@code to} (each inclusive or not; a null bound is unbounded), ascending by value, then by
     * id. Shorthand for {@link #findNodes(PropertyRange)} with
     * {@code PropertyRange.on(label, key).from(from, fromInclusive).to(to, toInclusive)}; see
     * {@link PropertyRange} for how values compare.
     *
     * @throws IllegalArgumentException for a bad label or key, a bound that is not a number, string
     *     or boolean, or bounds of two kinds
     */
    Stream<Node> findNodes(String label, String key, Object from, boolean fromInclusive, Object to,
            boolean toInclusive);

    /**
     * The nodes a range query asks for, in its order, at most its limit. The stream is lazy and
     * bound to this transaction: it reads as it is consumed (with an index, a limit of 10 reads
     * about 10 nodes), sees this transaction's snapshot and own writes, and throws
     * {@link IllegalStateException} once the transaction has ended.
     *
     * <p>With an online index on (label, key) the query reads the index in order. Without one (or
     * while it is still building, or for a snapshot older than it) it reads every node with the
     * label, keeps those in the range and sorts them, which holds all matches in memory (only the
     * first {@code limit} of them when the range has a limit).
     *
     * @throws IllegalArgumentException when {@code range} is null
     */
    Stream<Node> findNodes(PropertyRange range);

    /** Distinct neighbour ids, in the order their edges are listed. */
    List<Long> neighbours(long nodeId, Direction direction, String type);

    /** Breadth-first from {@code start} up to {@code maxDepth} hops: start first, each node once. */
    Stream<Long> traverse(long start, Direction direction, String type, int maxDepth);

    /** An unweighted shortest path as node ids, both ends included; empty when there is none. */
    Optional<List<Long>> shortestPath(long from, long to, Direction direction, String type);

    /** The commit timestamp this transaction's snapshot reflects. */
    long snapshotTimestamp();

    /**
     * The timestamp this transaction committed at, once {@link #commit()} returned; -1 before, or
     * when it committed nothing (read-only). Timestamps are unique and increase in commit order.
     */
    long commitTimestamp();
}
