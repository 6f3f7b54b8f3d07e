package dev.sablegraph.internal.graph;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.Direction;
import dev.sablegraph.internal.graph.codec.AdjacencyBlock;
import dev.sablegraph.internal.graph.codec.NodeRecord;
import dev.sablegraph.internal.record.RecordPointer;
import dev.sablegraph.internal.record.RecordStore;
import dev.sablegraph.internal.storage.Pager;
import dev.sablegraph.internal.storage.RollbackPoint;
import java.util.Arrays;

/**
 * The adjacency chains: for each (node, edge type, direction) a chain of {@link AdjacencyBlock}s,
 * newest first, whose heads and counts the node's record keeps in one {@link NodeRecord.EdgeGroup}
 * per type. Linking an edge rewrites the head block in place or prepends a new one, so it costs
 * O(1) whatever the degree; the edge record keeps the block that lists it, so unlinking is O(1)
 * too.
 *
 * <p>Not synchronised: {@link GraphStore}'s callers guard it.
 */
final class Adjacency {
    private final Pager pager;
    private final RecordStore blocks;
    private final EntityRecords<NodeRecord> nodes;

    Adjacency(Pager pager, RecordStore blocks, EntityRecords<NodeRecord> nodes) {
        this.pager = pager;
        this.blocks = blocks;
        this.nodes = nodes;
    }

    /** The block at {@code ptr}, decoded; damage is a {@link CorruptionException} naming its page. */
    AdjacencyBlock block(long ptr) {
        byte[] bytes = blocks.read(ptr);
        try {
            return AdjacencyBlock.decode(bytes == null ? new byte[0] : bytes);
        } catch (RuntimeException e) {
            throw new CorruptionException(pager.path(), RecordPointer.page(ptr), "adjacency block damaged: " + e, e);
        }
    }

    /** More blocks than a chain can have, 64 per page of the file: a walk that gets this far has met a cycle. */
    long maxChainBlocks() {
        return pager.pageCount() * 64;
    }

    /**
     * Lists {@code edge} (whose other end is {@code other}) in the chain for (type, direction) of
     * the node whose record the caller has just read ({@code at}, which this rewrites: read it
     * again before linking the same node once more); returns the block holding it. A self-loop is
     * linked twice, outgoing and incoming, and counted as a loop once, when linked outgoing.
     */
    long link(EntityRecords.Located<NodeRecord> at, int type, boolean outgoing, long edge, long other) {
        long node = at.id();
        NodeRecord r = at.record();
        NodeRecord.EdgeGroup g = r.group(type);
        if (g == null) {
            g = NodeRecord.EdgeGroup.empty(type);
        }
        long head = g.head(outgoing);
        AdjacencyBlock block = head == 0 ? null : block(head);
        long blockPtr;
        if (block != null && !block.isFull()) {
            block.add(edge, other);
            blockPtr = blocks.update(head, block.encode());
            if (blockPtr != head) {
                throw new IllegalStateException("adjacency block moved on a same-size update");
            }
        } else {
            AdjacencyBlock fresh = AdjacencyBlock.fresh(block == null ? 0 : block.capacity(), head);
            fresh.add(edge, other);
            blockPtr = blocks.insert(fresh.encode());
        }
        g = g.withHead(outgoing, blockPtr, 1);
        nodes.rewrite(at, r.withGroup(outgoing && other == node ? g.withLoopDelta(1) : g));
        return blockPtr;
    }

    /**
     * Lists entries {@code [start, end)} of {@code edges}/{@code others} in the node's chains for
     * their types ({@code types}, equal types adjacent: a run per type) in one direction, leaving
     * each chain exactly as that many {@link #link} calls in that order would, but reading and
     * rewriting the node's record once and writing each block at most twice (a new block when it
     * is started, every block once more when it is full or the run ends) instead of once per
     * entry. The block listing entry {@code i} goes to {@code listedIn[i]}.
     */
    void linkAll(long node, boolean outgoing, int[] types, long[] edges, long[] others, int start, int end,
            long[] listedIn) {
        if (start == end) {
            return;
        }
        EntityRecords.Located<NodeRecord> at = nodes.requireLocated(node);
        NodeRecord r = at.record();
        for (int from = start; from < end; ) {
            int type = types[from];
            int to = from + 1;
            while (to < end && types[to] == type) {
                to++;
            }
            NodeRecord.EdgeGroup g = r.group(type);
            r = r.withGroup(linkRun(node, g == null ? NodeRecord.EdgeGroup.empty(type) : g, outgoing, edges, others,
                    from, to, listedIn));
            from = to;
        }
        nodes.rewrite(at, r);
    }

    /** Lists the run {@code [start, end)} in group {@code g}'s chain; returns the group as it is then. */
    private NodeRecord.EdgeGroup linkRun(long node, NodeRecord.EdgeGroup g, boolean outgoing, long[] edges,
            long[] others, int start, int end, long[] listedIn) {
        long ptr = g.head(outgoing);
        AdjacencyBlock block = ptr == 0 ? null : block(ptr);
        boolean unwritten = false;
        long loops = 0;
        for (int i = start; i < end; i++) {
            if (outgoing && others[i] == node) {
                loops++; // a self-loop counts once, when linked outgoing (as in link)
            }
            if (block == null || block.isFull()) {
                if (unwritten) {
                    rewrite(ptr, block);
                }
                block = AdjacencyBlock.fresh(block == null ? 0 : block.capacity(), ptr);
                ptr = blocks.insert(block.encode());
            }
            block.add(edges[i], others[i]);
            unwritten = true;
            listedIn[i] = ptr;
        }
        rewrite(ptr, block);
        return g.withHead(outgoing, ptr, end - start).withLoopDelta(loops);
    }

    /** Rewrites a block in place (same size, so its pointer cannot change). */
    private void rewrite(long ptr, AdjacencyBlock block) {
        if (blocks.update(ptr, block.encode()) != ptr) {
            throw new IllegalStateException("adjacency block moved on a same-size update");
        }
    }

    /**
     * Removes {@code edge} (whose other end is {@code other}) from the block its record names; the
     * last edge of a type at a node frees that type's chains.
     */
    void unlink(long node, int type, boolean outgoing, long blockPtr, long edge, long other) {
        AdjacencyBlock block = block(blockPtr);
        if (!block.remove(edge)) {
            throw new CorruptionException(pager.path(), RecordPointer.page(blockPtr),
                    "edge " + edge + " is missing from the adjacency block its record names");
        }
        blocks.update(blockPtr, block.encode());
        EntityRecords.Located<NodeRecord> at = nodes.requireLocated(node);
        NodeRecord r = at.record();
        NodeRecord.EdgeGroup g = r.group(type).withHead(outgoing, r.group(type).head(outgoing), -1);
        if (outgoing && other == node) {
            g = g.withLoopDelta(-1);
        }
        if (g.outCount() == 0 && g.inCount() == 0) {
            // The last edge of this type at this node: give its chains' space back.
            freeChain(g.outHead());
            freeChain(g.inHead());
            NodeRecord.EdgeGroup[] rest = Arrays.stream(r.groups()).filter(x -> x.type() != type)
                    .toArray(NodeRecord.EdgeGroup[]::new);
            nodes.rewrite(at, new NodeRecord(r.labels(), rest, r.properties()));
        } else {
            nodes.rewrite(at, r.withGroup(g));
        }
    }

    /** Frees every chain of a node that is being deleted. */
    void freeChains(NodeRecord r) {
        for (NodeRecord.EdgeGroup g : r.groups()) {
            freeChain(g.outHead());
            freeChain(g.inHead());
        }
    }

    private void freeChain(long head) {
        for (long ptr = head; ptr != 0; ) {
            long next = block(ptr).next();
            blocks.delete(ptr);
            ptr = next;
        }
    }

    /**
     * Visits the entries of a node's chains in a direction, of one type token or any
     * ({@code type < 0}). With {@link Direction#BOTH} a self-loop is visited once.
     */
    void forEach(long nodeId, NodeRecord r, Direction direction, int type, GraphStore.AdjacencyVisitor visitor) {
        for (NodeRecord.EdgeGroup g : r.groups()) {
            if (type >= 0 && g.type() != type) {
                continue;
            }
            if (direction != Direction.INCOMING) {
                walk(g.outHead(), visitor, Long.MIN_VALUE);
            }
            if (direction != Direction.OUTGOING) {
                walk(g.inHead(), visitor, direction == Direction.BOTH ? nodeId : Long.MIN_VALUE);
            }
        }
    }

    /**
     * How many entries {@link #forEach} would visit, from the counts the node's record keeps:
     * O(edge types at the node), no block is read. -1 when the record cannot tell: a self-loop is
     * visited once with {@link Direction#BOTH}, and a group of a record of format 0 did not count
     * its self-loops.
     */
    long count(NodeRecord r, Direction direction, int type) {
        long n = 0;
        for (NodeRecord.EdgeGroup g : r.groups()) {
            if (type >= 0 && g.type() != type) {
                continue;
            }
            switch (direction) {
                case OUTGOING -> n += g.outCount();
                case INCOMING -> n += g.inCount();
                case BOTH -> {
                    if (!g.loopsKnown()) {
                        return -1;
                    }
                    n += g.outCount() + g.inCount() - g.loops();
                }
            }
        }
        return n;
    }

    private void walk(long head, GraphStore.AdjacencyVisitor visitor, long skipOther) {
        long seen = 0;
        for (long ptr = head; ptr != 0; ) {
            if (++seen > maxChainBlocks()) {
                throw new CorruptionException(pager.path(), RecordPointer.page(ptr), "adjacency chain has a cycle");
            }
            AdjacencyBlock b = block(ptr);
            for (int i = 0; i < b.count(); i++) {
                if (b.other(i) != skipOther) {
                    visitor.visit(b.edge(i), b.other(i));
                }
            }
            ptr = b.next();
        }
    }

    RollbackPoint rollbackPoint() {
        return blocks.rollbackPoint();
    }

    /** The block store, for the integrity check. */
    RecordStore blocks() {
        return blocks;
    }
}
