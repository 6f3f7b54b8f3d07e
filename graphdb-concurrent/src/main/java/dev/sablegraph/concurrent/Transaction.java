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
 *
 * <p>Every {@link Stream} a transaction returns is bound to it: it reads this transaction's
 * snapshot and the writes it had made when the stream was created, never another snapshot, and
 * advancing it (a terminal operation, or its iterator) once the transaction has committed, rolled
 * back or closed throws {@link IllegalStateException}, as any other call does then. Streams are
 * read lazily where the store allows it (each method says what it holds in memory); closing
 * them is allowed but not needed.
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

    /**
     * Every node this transaction sees, in id order: its snapshot's nodes (none that later
     * commits created, none deleted before it began) with its own writes applied (its own new
     * nodes included, the ones it deleted hidden). Lazy: ids are read a batch at a time and each
     * node when reached, so memory stays bounded however large the graph. Nodes with a given label:
     * {@link #streamNodesByLabel}.
     */
    Stream<Node> allNodes();

    /** Every edge this transaction sees, in id order; as {@link #allNodes}. */
    Stream<Edge> allEdges();

    /**
     * How many nodes this transaction sees (what {@code allNodes().count()} says), from the
     * store's count corrected by the creations and deletions its snapshot does not see (kept by
     * commit timestamp while some open snapshot may not see them) and by this transaction's own
     * writes: no node is read. Cost: O(commits not yet seen by every open snapshot + own writes).
     */
    long countNodes();

    /**
     * How many nodes with the label this transaction sees (what {@code nodesByLabel(label).size()}
     * says). The store keeps no count per label: this reads the label index and each node it
     * names (O(nodes with the label)), one at a time.
     *
     * @throws IllegalArgumentException when the label is null or empty
     */
    long countNodes(String label);

    /** How many edges this transaction sees (what {@code allEdges().count()} says); as {@link #countNodes()}. */
    long countEdges();

    /**
     * How many edges at a node this transaction sees in a direction, of one type or of any
     * ({@code type == null}): always what {@code edges(nodeId, direction, type).size()} says, so a
     * self-loop counts once for each direction, BOTH included; 0 for a node it does not see. From
     * the per-type counts the node's record keeps, O(edge types at the node), when no edge at the
     * node was added or removed recently (by a commit some open snapshot does not see yet, or not
     * yet reclaimed); otherwise by reading the node's adjacency list, without reading the edges.
     *
     * @throws IllegalArgumentException when the direction is null or the type is empty
     */
    long degree(long nodeId, Direction direction, String type);

    /** {@link #degree(long, Direction, String)} over edges of any type. */
    default long degree(long nodeId, Direction direction) {
        return degree(nodeId, direction, null);
    }

    /**
     * The labels in use: those at least one node this transaction sees has, in name order. Looks
     * up each label ever created in the label index (a label of no visible node is left out).
     */
    Set<String> labels();

    /**
     * The edge types in use: those of at least one edge this transaction sees, in name order.
     * The store keeps no index of edge types: this reads edges in id order until it has seen
     * every type ever created, so a type no edge has any more costs a read of every edge.
     */
    Set<String> edgeTypes();

    /**
     * The property keys in use: those of at least one node or edge this transaction sees, in name
     * order. Reads nodes, then edges, until it has seen every key ever created, so a key nothing
     * has any more costs a read of the whole graph.
     */
    Set<String> propertyKeys();

    /**
     * {@link #edges} as a stream, in id order. The ids of the node's edges are read at once (16
     * bytes each, no edge record); each edge is read when the stream reaches it.
     */
    Stream<Edge> streamEdges(long nodeId, Direction direction, String type);

    /** {@link #findNodes} as a stream, in id order, read lazily from the property index. */
    Stream<Node> streamFindNodes(String label, String key, Object value);

    /**
     * {@link #neighbours} as a stream: distinct neighbour ids in the order their edges are listed.
     * The node's adjacency is read at once (no edge record is read).
     */
    Stream<Long> streamNeighbours(long nodeId, Direction direction, String type);
}
