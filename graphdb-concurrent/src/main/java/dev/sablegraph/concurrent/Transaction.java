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
 *
 * <p>What every method may throw besides what it lists: {@link IllegalStateException} once the
 * transaction has committed, rolled back or failed (after a write conflict), or once its database
 * is closed ({@link #close()} alone is always allowed); {@link dev.sablegraph.core.GraphException}
 * when the database aborted the transaction for being open longer than
 * {@link dev.sablegraph.core.GraphConfig#maxTransactionAgeMillis()} (it can then only be rolled
 * back or closed); {@link dev.sablegraph.core.CorruptionException} when a page it reads is damaged.
 * Arguments are checked first: an {@link IllegalArgumentException} or
 * {@link dev.sablegraph.core.EntityNotFoundException} leaves the transaction unchanged and usable.
 * Writes through a transaction of {@link ConcurrentGraphDB#readTransaction} throw
 * {@link IllegalStateException} before anything changes.
 *
 * <p>A transaction's writes must fit in one commit record of at most
 * {@link dev.sablegraph.core.GraphConfig#walSegmentBytes()}; each write counts toward it, and the
 * write that would make it larger throws {@link IllegalArgumentException}, leaving the
 * transaction unchanged and usable (commit what it holds, or roll back and split the work). So
 * what one transaction holds in memory is bounded by that setting.
 *
 * <p>Not thread-safe: a transaction belongs to one thread at a time. A transaction used from two
 * threads at once fails alone, with {@link IllegalStateException} from its commit or from the call
 * that raced it; the database and other transactions are not affected.
 */
public interface Transaction extends AutoCloseable {
    /**
     * Creates a node, visible to this transaction at once and to others once it commits.
     *
     * @param labels the node's labels, possibly none; each non-null and non-empty
     * @param properties the node's properties, possibly none: {@code String}, {@code Boolean},
     *     {@code Long}, {@code Double}, {@code byte[]} (copied) or a {@code List} of one kind of
     *     them; {@code Integer}, {@code Short} and {@code Byte} are stored as {@code Long},
     *     {@code Float} as {@code Double}
     * @return the new node's id, never reused while a snapshot could still see the node
     * @throws IllegalArgumentException naming the argument when {@code labels} or
     *     {@code properties} is null, a label, key or value is not allowed, or there are more
     *     labels or properties than a node can hold
     * @throws IllegalStateException when the transaction is no longer active or is read-only
     */
    long addNode(Set<String> labels, Map<String, Object> properties);

    /**
     * Creates an edge from one node to another (or to itself). Concurrent transactions adding
     * edges at the same nodes do not conflict.
     *
     * @param from the id of the node the edge leaves
     * @param to the id of the node the edge enters
     * @param type the edge's type, non-null and non-empty
     * @param properties the edge's properties, possibly none; values as for {@link #addNode}
     * @return the new edge's id
     * @throws IllegalArgumentException naming the argument for a null or empty type, a null
     *     property map, or a key or value that is not allowed
     * @throws dev.sablegraph.core.EntityNotFoundException when this transaction sees no node
     *     {@code from} or {@code to}
     * @throws dev.sablegraph.core.WriteConflictException when a transaction that committed after
     *     this one began deleted {@code from} or {@code to}; this transaction can then only be
     *     rolled back or closed
     * @throws IllegalStateException when the transaction is no longer active or is read-only
     */
    long addEdge(long from, long to, String type, Map<String, Object> properties);

    /**
     * Reads a node as this transaction sees it: its snapshot with its own writes applied.
     *
     * @param id the node's id
     * @return an unmodifiable snapshot of the node, or empty when this transaction sees none
     * @throws IllegalStateException when the transaction is no longer active
     */
    Optional<Node> getNode(long id);

    /**
     * Reads an edge as this transaction sees it: its snapshot with its own writes applied.
     *
     * @param id the edge's id
     * @return an unmodifiable snapshot of the edge, or empty when this transaction sees none
     * @throws IllegalStateException when the transaction is no longer active
     */
    Optional<Edge> getEdge(long id);

    /**
     * Sets a property of a node, replacing the value it had.
     *
     * @param id the node's id
     * @param key the property key, non-null and non-empty
     * @param value the value, non-null; allowed types and their stored forms as for {@link #addNode}
     * @throws IllegalArgumentException naming the key for a null or empty key, a null value or a
     *     value of a type that cannot be stored, or when the node would hold too many properties
     * @throws dev.sablegraph.core.EntityNotFoundException when this transaction sees no node {@code id}
     * @throws dev.sablegraph.core.WriteConflictException when a transaction that committed after
     *     this one began changed or deleted the node
     * @throws IllegalStateException when the transaction is no longer active or is read-only
     */
    void setNodeProperty(long id, String key, Object value);

    /**
     * Removes a property of a node; a key the node does not have changes nothing, but still
     * counts as a write of the node for conflicts.
     *
     * @param id the node's id
     * @param key the property key, non-null and non-empty
     * @throws IllegalArgumentException for a null or empty key
     * @throws dev.sablegraph.core.EntityNotFoundException when this transaction sees no node {@code id}
     * @throws dev.sablegraph.core.WriteConflictException when a transaction that committed after
     *     this one began changed or deleted the node
     * @throws IllegalStateException when the transaction is no longer active or is read-only
     */
    void removeNodeProperty(long id, String key);

    /**
     * Sets a property of an edge, replacing the value it had.
     *
     * @param id the edge's id
     * @param key the property key, non-null and non-empty
     * @param value the value, non-null; allowed types and their stored forms as for {@link #addNode}
     * @throws IllegalArgumentException naming the key for a null or empty key, a null value or a
     *     value of a type that cannot be stored, or when the edge would hold too many properties
     * @throws dev.sablegraph.core.EntityNotFoundException when this transaction sees no edge {@code id}
     * @throws dev.sablegraph.core.WriteConflictException when a transaction that committed after
     *     this one began changed or deleted the edge
     * @throws IllegalStateException when the transaction is no longer active or is read-only
     */
    void setEdgeProperty(long id, String key, Object value);

    /**
     * Deletes a node that has no edges left (delete them first, {@link #deleteEdge}).
     *
     * @param id the node's id
     * @throws dev.sablegraph.core.GraphException while the node still has edges, as this
     *     transaction sees it; the transaction stays usable
     * @throws dev.sablegraph.core.EntityNotFoundException when this transaction sees no node {@code id}
     * @throws dev.sablegraph.core.WriteConflictException when a transaction that committed after
     *     this one began changed the node or added or removed an edge at it
     * @throws IllegalStateException when the transaction is no longer active or is read-only
     */
    void deleteNode(long id);

    /**
     * Deletes an edge.
     *
     * @param id the edge's id
     * @throws dev.sablegraph.core.EntityNotFoundException when this transaction sees no edge {@code id}
     * @throws dev.sablegraph.core.WriteConflictException when a transaction that committed after
     *     this one began changed or deleted the edge
     * @throws IllegalStateException when the transaction is no longer active or is read-only
     */
    void deleteEdge(long id);

    /**
     * The nodes with a label, in id order, read into a list; {@link #streamNodesByLabel} reads
     * them lazily instead.
     *
     * @param label the label, non-null and non-empty
     * @return the nodes this transaction sees with the label, unmodifiable
     * @throws IllegalArgumentException for a null or empty label
     * @throws IllegalStateException when the transaction is no longer active
     */
    List<Node> nodesByLabel(String label);

    /**
     * The nodes with a label whose property {@code key} equals {@code value}, in id order. Values
     * compare in their stored form: {@code Integer} 1 finds {@code Long} 1, but {@code Long} 1 and
     * {@code Double} 1.0 differ. With an online index on (label, key)
     * ({@link ConcurrentGraphDB#createIndex}) the index is read, otherwise every node with the label.
     *
     * @param label the label, non-null and non-empty
     * @param key the property key, non-null and non-empty
     * @param value the value to match, of a type a property may have
     * @return the matching nodes, unmodifiable
     * @throws IllegalArgumentException for a null or empty label or key, or a null value or one
     *     of a type that cannot be stored
     * @throws IllegalStateException when the transaction is no longer active
     */
    List<Node> findNodes(String label, String key, Object value);

    /**
     * Edges at a node in id order; {@code type == null} means any type. A self-loop appears once
     * for BOTH.
     *
     * @param nodeId the node's id
     * @param direction which edges: leaving the node, entering it, or both
     * @param type the edge type to keep, or null for any
     * @return the edges, unmodifiable; empty when this transaction sees no node {@code nodeId}
     * @throws IllegalArgumentException for a null direction or an empty type
     * @throws IllegalStateException when the transaction is no longer active
     */
    List<Edge> edges(long nodeId, Direction direction, String type);

    /**
     * Makes this transaction's writes visible to transactions that begin afterwards, all at once.
     * Durable on return under the default configuration (with the write-ahead log): with
     * {@link dev.sablegraph.core.Durability#ASYNC} a crash may lose the last few milliseconds of
     * commits. A transaction that wrote nothing commits without touching the log. After it, every
     * call but {@link #close()} throws {@link IllegalStateException}. When it throws, nothing of
     * this transaction was made visible or durable, and it can only be rolled back or closed.
     *
     * @throws dev.sablegraph.core.WriteConflictException when a transaction that committed after
     *     this one began changed or deleted a node or edge this one changed or deleted, or added
     *     an edge at a node this one deletes
     * @throws dev.sablegraph.core.ConstraintViolationException when it would give two nodes the
     *     same value under a unique constraint
     * @throws IllegalArgumentException when the transaction exceeds a limit of the stored formats
     *     checked only at commit (distinct edge types at one node; the commit record's size is
     *     checked at each write, see above)
     * @throws dev.sablegraph.core.GraphException when the commit failed for another reason (an
     *     I/O error; the message says whether the database still takes writes)
     * @throws IllegalStateException when the transaction is no longer active
     */
    void commit();

    /**
     * Discards this transaction's writes and ends it. Allowed after a failure (a write conflict,
     * a failed commit); after it, every call but {@link #close()} throws
     * {@link IllegalStateException}.
     *
     * @throws IllegalStateException when the transaction already committed or rolled back
     */
    void rollback();

    /** Rolls back if neither committed nor rolled back. Idempotent; allowed in every state. */
    @Override
    void close();

    /**
     * Removes a property of an edge; a key the edge does not have changes nothing, but still
     * counts as a write of the edge for conflicts.
     *
     * @param id the edge's id
     * @param key the property key, non-null and non-empty
     * @throws IllegalArgumentException for a null or empty key
     * @throws dev.sablegraph.core.EntityNotFoundException when this transaction sees no edge {@code id}
     * @throws dev.sablegraph.core.WriteConflictException when a transaction that committed after
     *     this one began changed or deleted the edge
     * @throws IllegalStateException when the transaction is no longer active or is read-only
     */
    void removeEdgeProperty(long id, String key);

    /**
     * Adds a label to a node. A change of labels is a write of the node for conflicts.
     *
     * @param id the node's id
     * @param label the label, non-null and non-empty
     * @return false when the node already had it (nothing is written)
     * @throws IllegalArgumentException for a null or empty label, or when the node would have
     *     more labels than it can hold
     * @throws dev.sablegraph.core.EntityNotFoundException when this transaction sees no node {@code id}
     * @throws dev.sablegraph.core.WriteConflictException when a transaction that committed after
     *     this one began changed or deleted the node
     * @throws IllegalStateException when the transaction is no longer active or is read-only
     */
    boolean addLabel(long id, String label);

    /**
     * Removes a label from a node. A change of labels is a write of the node for conflicts.
     *
     * @param id the node's id
     * @param label the label, non-null and non-empty
     * @return false when the node did not have it (nothing is written)
     * @throws IllegalArgumentException for a null or empty label
     * @throws dev.sablegraph.core.EntityNotFoundException when this transaction sees no node {@code id}
     * @throws dev.sablegraph.core.WriteConflictException when a transaction that committed after
     *     this one began changed or deleted the node
     * @throws IllegalStateException when the transaction is no longer active or is read-only
     */
    boolean removeLabel(long id, String label);

    /**
     * Nodes with a label in id order, read lazily from the index: memory stays bounded.
     *
     * @param label the label, non-null and non-empty
     * @return the nodes this transaction sees with the label, bound to this transaction
     * @throws IllegalArgumentException for a null or empty label
     * @throws IllegalStateException when the transaction is no longer active
     */
    Stream<Node> streamNodesByLabel(String label);

    /**
     * The nodes with {@code label} whose value of {@code key} lies between {@code from} and
     * {@code to} (each inclusive or not; a null bound is unbounded), ascending by value, then by
     * id. Shorthand for {@link #findNodes(PropertyRange)} with
     * {@code PropertyRange.on(label, key).from(from, fromInclusive).to(to, toInclusive)}; see
     * {@link PropertyRange} for how values compare.
     *
     * @param label the label, non-null and non-empty
     * @param key the property key, non-null and non-empty
     * @param from the lower bound, or null for none
     * @param fromInclusive whether a value equal to {@code from} is in the range
     * @param to the upper bound, or null for none
     * @param toInclusive whether a value equal to {@code to} is in the range
     * @return the matching nodes, lazily, bound to this transaction
     * @throws IllegalArgumentException for a bad label or key, a bound that is not a number, string
     *     or boolean, or bounds of two kinds
     * @throws IllegalStateException when the transaction is no longer active
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
     * @param range what to find, built with {@link PropertyRange#on}
     * @return the matching nodes in the range's order
     * @throws IllegalArgumentException when {@code range} is null
     * @throws IllegalStateException when the transaction is no longer active
     */
    Stream<Node> findNodes(PropertyRange range);

    /**
     * Distinct neighbour ids, in the order their edges are listed. Read from the node's adjacency
     * alone: no edge record is read.
     *
     * @param nodeId the node's id
     * @param direction which edges to follow
     * @param type the edge type to follow, or null for any
     * @return a new list of the ids at the other ends of those edges (a self-loop lists the
     *     node itself); empty when this transaction sees no node {@code nodeId}
     * @throws IllegalArgumentException for a null direction or an empty type
     * @throws IllegalStateException when the transaction is no longer active
     */
    List<Long> neighbours(long nodeId, Direction direction, String type);

    /**
     * Breadth-first from {@code start} up to {@code maxDepth} hops: start first, each node once.
     * Lazy: each layer is read when the stream reaches it.
     *
     * @param start the node to begin at; a node this transaction does not see gives an empty stream
     * @param direction which edges to follow
     * @param type the edge type to follow, or null for any
     * @param maxDepth the most hops from {@code start}; 0 gives {@code start} alone
     * @return the ids reached, nearest first, bound to this transaction
     * @throws IllegalArgumentException for a null direction or a negative {@code maxDepth}; an
     *     empty type when the stream is read
     * @throws IllegalStateException when the transaction is no longer active
     */
    Stream<Long> traverse(long start, Direction direction, String type, int maxDepth);

    /**
     * An unweighted shortest path as node ids, both ends included; empty when there is none.
     * Searches breadth-first from {@code from}, holding the visited ids in memory.
     *
     * @param from the first node of the path
     * @param to the last node of the path; equal to {@code from} gives a path of one node
     * @param direction which edges to follow
     * @param type the edge type to follow, or null for any
     * @return the path, or empty when no path exists or this transaction does not see an end
     * @throws IllegalArgumentException for a null direction, or an empty type once the search
     *     reads a node's neighbours
     * @throws IllegalStateException when the transaction is no longer active
     */
    Optional<List<Long>> shortestPath(long from, long to, Direction direction, String type);

    /**
     * The commit timestamp this transaction's snapshot reflects: it sees the commits with a
     * timestamp at or below it. Allowed in every state.
     *
     * @return the snapshot's timestamp
     */
    long snapshotTimestamp();

    /**
     * The timestamp this transaction committed at, once {@link #commit()} returned; -1 before, or
     * when it committed nothing (read-only). Timestamps are unique and increase in commit order.
     * Allowed in every state.
     *
     * @return the commit timestamp, or -1
     */
    long commitTimestamp();

    /**
     * Every node this transaction sees, in id order: its snapshot's nodes (none that later
     * commits created, none deleted before it began) with its own writes applied (its own new
     * nodes included, the ones it deleted hidden). Lazy: ids are read a batch at a time and each
     * node when reached, so memory stays bounded however large the graph. Nodes with a given label:
     * {@link #streamNodesByLabel}.
     *
     * @return the nodes, bound to this transaction
     * @throws IllegalStateException when the transaction is no longer active
     */
    Stream<Node> allNodes();

    /**
     * Every edge this transaction sees, in id order; as {@link #allNodes}.
     *
     * @return the edges, bound to this transaction
     * @throws IllegalStateException when the transaction is no longer active
     */
    Stream<Edge> allEdges();

    /**
     * How many nodes this transaction sees (what {@code allNodes().count()} says), from the
     * store's count corrected by the creations and deletions its snapshot does not see (kept by
     * commit timestamp while some open snapshot may not see them) and by this transaction's own
     * writes: no node is read. Cost: O(commits not yet seen by every open snapshot + own writes).
     *
     * @return the number of nodes
     * @throws IllegalStateException when the transaction is no longer active
     */
    long countNodes();

    /**
     * How many nodes with the label this transaction sees (what {@code nodesByLabel(label).size()}
     * says). The store keeps no count per label: this reads the label index and each node it
     * names (O(nodes with the label)), one at a time.
     *
     * @param label the label, non-null and non-empty
     * @return the number of nodes with the label
     * @throws IllegalArgumentException when the label is null or empty
     * @throws IllegalStateException when the transaction is no longer active
     */
    long countNodes(String label);

    /**
     * How many edges this transaction sees (what {@code allEdges().count()} says); as {@link #countNodes()}.
     *
     * @return the number of edges
     * @throws IllegalStateException when the transaction is no longer active
     */
    long countEdges();

    /**
     * How many edges at a node this transaction sees in a direction, of one type or of any
     * ({@code type == null}): always what {@code edges(nodeId, direction, type).size()} says, so a
     * self-loop counts once for each direction, BOTH included; 0 for a node it does not see. From
     * the per-type counts the node's record keeps, O(edge types at the node), when no edge at the
     * node was added or removed recently (by a commit some open snapshot does not see yet, or not
     * yet reclaimed); otherwise by reading the node's adjacency list, without reading the edges.
     *
     * @param nodeId the node's id
     * @param direction which edges to count
     * @param type the edge type to count, or null for any
     * @return the number of edges
     * @throws IllegalArgumentException when the direction is null or the type is empty
     * @throws IllegalStateException when the transaction is no longer active
     */
    long degree(long nodeId, Direction direction, String type);

    /**
     * {@link #degree(long, Direction, String)} over edges of any type.
     *
     * @param nodeId the node's id
     * @param direction which edges to count
     * @return the number of edges
     * @throws IllegalArgumentException when the direction is null
     * @throws IllegalStateException when the transaction is no longer active
     */
    default long degree(long nodeId, Direction direction) {
        return degree(nodeId, direction, null);
    }

    /**
     * The labels in use: those at least one node this transaction sees has, in name order. Looks
     * up each label ever created in the label index (a label of no visible node is left out).
     *
     * @return the labels, unmodifiable
     * @throws IllegalStateException when the transaction is no longer active
     */
    Set<String> labels();

    /**
     * The edge types in use: those of at least one edge this transaction sees, in name order.
     * The store keeps no index of edge types: this reads edges in id order until it has seen
     * every type ever created, so a type no edge has any more costs a read of every edge.
     *
     * @return the edge types, unmodifiable
     * @throws IllegalStateException when the transaction is no longer active
     */
    Set<String> edgeTypes();

    /**
     * The property keys in use: those of at least one node or edge this transaction sees, in name
     * order. Reads nodes, then edges, until it has seen every key ever created, so a key nothing
     * has any more costs a read of the whole graph.
     *
     * @return the property keys, unmodifiable
     * @throws IllegalStateException when the transaction is no longer active
     */
    Set<String> propertyKeys();

    /**
     * {@link #edges} as a stream, in id order. The ids of the node's edges are read at once (16
     * bytes each, no edge record); each edge is read when the stream reaches it.
     *
     * @param nodeId the node's id
     * @param direction which edges: leaving the node, entering it, or both
     * @param type the edge type to keep, or null for any
     * @return the edges, bound to this transaction; empty when it sees no node {@code nodeId}
     * @throws IllegalArgumentException for a null direction or an empty type
     * @throws IllegalStateException when the transaction is no longer active
     */
    Stream<Edge> streamEdges(long nodeId, Direction direction, String type);

    /**
     * {@link #findNodes} as a stream, in id order, read lazily from the property index.
     *
     * @param label the label, non-null and non-empty
     * @param key the property key, non-null and non-empty
     * @param value the value to match, of a type a property may have
     * @return the matching nodes, bound to this transaction
     * @throws IllegalArgumentException for a null or empty label or key, or a null value or one
     *     of a type that cannot be stored
     * @throws IllegalStateException when the transaction is no longer active
     */
    Stream<Node> streamFindNodes(String label, String key, Object value);

    /**
     * {@link #neighbours} as a stream: distinct neighbour ids in the order their edges are listed.
     * The node's adjacency is read at once (no edge record is read).
     *
     * @param nodeId the node's id
     * @param direction which edges to follow
     * @param type the edge type to follow, or null for any
     * @return the neighbour ids, bound to this transaction
     * @throws IllegalArgumentException for a null direction or an empty type
     * @throws IllegalStateException when the transaction is no longer active
     */
    Stream<Long> streamNeighbours(long nodeId, Direction direction, String type);
}
