package dev.sablegraph.internal.graph;

import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.internal.graph.codec.AdjacencyBlock;
import dev.sablegraph.internal.graph.codec.EdgeRecord;
import dev.sablegraph.internal.graph.codec.NodeRecord;
import dev.sablegraph.internal.graph.codec.SchemaKeys;
import dev.sablegraph.internal.index.BTree;
import dev.sablegraph.internal.record.IdMap;
import dev.sablegraph.internal.record.RecordPointer;
import dev.sablegraph.internal.record.RecordStore;
import java.util.Arrays;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;

/**
 * One run of {@link GraphStore#checkIntegrity}: four passes, each reporting what it examined and
 * every inconsistency it finds (a damaged record is reported and skipped, never trusted).
 *
 * <ol>
 *   <li>nodes: each record decodes and names known tokens; each adjacency chain is acyclic, holds
 *       as many entries (and self-loops, where the group counts them) as its group counts, and each entry names an edge record with this node
 *       as its source (outgoing) or target (incoming), the same type and the listed other end;
 *       each index entry the node's state implies is in the index (for schema indexes: once they
 *       are built);</li>
 *   <li>edges: each record decodes, both endpoints exist, and the blocks the record names list it
 *       (so every edge is reachable from both of its ends); totals of outgoing and incoming
 *       entries equal the number of edges;</li>
 *   <li>indexes: keys strictly ascending, as many as the tree counts, each justified by its node's
 *       stored state (or expected as an old snapshot's, see {@code mayHoldStaleIndexEntries}, or
 *       as one of a dropped index whose entries are being deleted);</li>
 *   <li>record stores: no record that no id (or chain) refers to, and record counts agree.</li>
 * </ol>
 */
final class StoreIntegrityCheck {
    private final GraphStore store;
    private final LongPredicate mayHoldStaleIndexEntries;
    private final IntegrityReport.Builder report;
    private final LongStream.Builder nodePointers = LongStream.builder();
    private final LongStream.Builder edgePointers = LongStream.builder();
    private final LongStream.Builder blockPointers = LongStream.builder();
    private long outEntries;
    private long inEntries;

    StoreIntegrityCheck(GraphStore store, LongPredicate mayHoldStaleIndexEntries, IntegrityReport.Builder report) {
        this.store = store;
        this.mayHoldStaleIndexEntries = mayHoldStaleIndexEntries;
        this.report = report;
    }

    void run() {
        long nodes;
        long edges;
        try {
            nodes = checkNodes();
            edges = checkEdges();
        } catch (GraphException e) {
            // Damage in the id maps themselves: nothing below can be judged without them.
            report.problem("the id maps cannot be read, the check stops: " + e.getMessage());
            return;
        }
        if (outEntries != edges || inEntries != edges) {
            report.problem("adjacency lists " + outEntries + " outgoing and " + inEntries
                    + " incoming entries for " + edges + " edges");
        }
        checkIndex(GraphIndexes.Tree.LABEL);
        checkIndex(GraphIndexes.Tree.SCHEMA);
        checkSchemaRecords();
        checkNoOrphans("node", store.nodes().records(), nodePointers, nodes);
        checkNoOrphans("edge", store.edges().records(), edgePointers, edges);
        long blocks = checkNoOrphans("adjacency block", store.adjacency().blocks(), blockPointers, -1);
        report.add("adjacency blocks", blocks);
    }

    // ------------------------------------------------------------------ nodes

    private long checkNodes() {
        IdMap ids = store.nodes().ids();
        long live = 0;
        long expectedIndexEntries = 0;
        for (long id = 0, limit = ids.nextId(); id < limit; id++) {
            long ptr = ids.get(id);
            if (ptr == 0) {
                continue;
            }
            live++;
            nodePointers.add(ptr);
            try {
                NodeRecord r = store.nodes().find(id);
                for (int label : r.labels()) {
                    store.tokens().name(TokenKind.LABEL, label);
                }
                for (int i = 0; i < r.properties().size(); i++) {
                    store.tokens().name(TokenKind.PROPERTY_KEY, r.properties().key(i));
                }
                for (NodeRecord.EdgeGroup g : r.groups()) {
                    checkChain(id, g, true);
                    checkChain(id, g, false);
                }
                for (GraphIndexes.Entry e : store.graphIndexes().entries(r, id)) {
                    if (e.tree() == GraphIndexes.Tree.SCHEMA && !builtIndexHas(e.key())) {
                        continue; // a building index has the entries of the nodes it visited so far
                    }
                    expectedIndexEntries++;
                    if (!store.graphIndexes().tree(e.tree()).contains(e.key())) {
                        report.problem("node " + id + ": the " + e.tree().description + " lacks an entry of its state");
                    }
                }
            } catch (GraphException e) {
                report.problem("node " + id + ": " + e.getMessage());
            }
        }
        report.add("nodes", live);
        report.add("index entries implied by nodes", expectedIndexEntries);
        return live;
    }

    private void checkChain(long node, NodeRecord.EdgeGroup g, boolean outgoing) {
        String what = "node " + node + " " + (outgoing ? "outgoing" : "incoming") + " type " + g.type();
        long entries = 0;
        long loops = 0;
        long blocks = 0;
        long maxBlocks = store.adjacency().maxChainBlocks();
        for (long ptr = g.head(outgoing); ptr != 0; ) {
            if (++blocks > maxBlocks) {
                report.problem(what + ": adjacency chain has a cycle");
                return;
            }
            AdjacencyBlock b;
            try {
                b = store.adjacency().block(ptr);
            } catch (GraphException e) {
                report.problem(what + ": " + e.getMessage());
                return;
            }
            blockPointers.add(ptr);
            for (int i = 0; i < b.count(); i++) {
                entries++;
                if (b.other(i) == node) {
                    loops++;
                }
                checkEntry(what, node, g.type(), outgoing, b.edge(i), b.other(i));
            }
            ptr = b.next();
        }
        if (entries != g.count(outgoing)) {
            report.problem(what + ": chain holds " + entries + " entries, the node counts " + g.count(outgoing));
        }
        if (g.loopsKnown() && loops != g.loops()) {
            report.problem(what + ": chain holds " + loops + " self-loops, the node counts " + g.loops());
        }
        if (outgoing) {
            outEntries += entries;
        } else {
            inEntries += entries;
        }
    }

    private void checkEntry(String what, long node, int type, boolean outgoing, long edge, long other) {
        EdgeRecord e;
        try {
            e = store.edges().find(edge);
        } catch (GraphException ex) {
            return; // reported by the edge pass
        }
        if (e == null) {
            report.problem(what + ": lists edge " + edge + ", which does not exist");
            return;
        }
        long self = outgoing ? e.from() : e.to();
        long far = outgoing ? e.to() : e.from();
        if (self != node || far != other || e.type() != type) {
            report.problem(what + ": lists edge " + edge + " to " + other + ", but the edge runs " + e.from() + " -> "
                    + e.to() + " with type " + e.type());
        }
    }

    // ------------------------------------------------------------------ edges

    private long checkEdges() {
        IdMap ids = store.edges().ids();
        long live = 0;
        for (long id = 0, limit = ids.nextId(); id < limit; id++) {
            long ptr = ids.get(id);
            if (ptr == 0) {
                continue;
            }
            live++;
            edgePointers.add(ptr);
            try {
                EdgeRecord e = store.edges().find(id);
                store.tokens().name(TokenKind.EDGE_TYPE, e.type());
                for (int i = 0; i < e.properties().size(); i++) {
                    store.tokens().name(TokenKind.PROPERTY_KEY, e.properties().key(i));
                }
                checkEndpoint(id, e.from(), "source");
                checkEndpoint(id, e.to(), "target");
                checkListed(id, e.outBlock(), e.to(), "outgoing");
                checkListed(id, e.inBlock(), e.from(), "incoming");
            } catch (GraphException e) {
                report.problem("edge " + id + ": " + e.getMessage());
            }
        }
        report.add("edges", live);
        return live;
    }

    private void checkEndpoint(long edge, long node, String role) {
        if (store.nodes().find(node) == null) {
            report.problem("edge " + edge + ": its " + role + " node " + node + " does not exist");
        }
    }

    private void checkListed(long edge, long blockPtr, long other, String direction) {
        AdjacencyBlock b = store.adjacency().block(blockPtr);
        for (int i = 0; i < b.count(); i++) {
            if (b.edge(i) == edge) {
                if (b.other(i) != other) {
                    report.problem("edge " + edge + ": its " + direction + " entry names node " + b.other(i)
                            + " instead of " + other);
                }
                return;
            }
        }
        report.problem("edge " + edge + ": missing from the " + direction + " adjacency block its record names (page "
                + RecordPointer.page(blockPtr) + ")");
    }

    // ------------------------------------------------------------------ indexes

    /** Whether the index a schema key belongs to is built (online). */
    private boolean builtIndexHas(byte[] key) {
        IndexDefinitions.Definition d = store.graphIndexes().definitions().find(SchemaKeys.labelOf(key),
                SchemaKeys.keyOf(key));
        return d != null && d.online();
    }

    private void checkIndex(GraphIndexes.Tree which) {
        BTree tree = store.graphIndexes().tree(which);
        String name = which.description;
        long[] counts = new long[3]; // keys, stale, of dropped indexes
        byte[][] previous = {null};
        try {
            tree.forEachPrefix(new byte[0], key -> {
                counts[0]++;
                if (previous[0] != null && Arrays.compareUnsigned(previous[0], key) >= 0) {
                    report.problem("the " + name + " is out of order at key " + counts[0]);
                }
                previous[0] = key;
                if (which == GraphIndexes.Tree.SCHEMA && store.graphIndexes().definitions()
                        .isDropping(SchemaKeys.labelOf(key), SchemaKeys.keyOf(key))) {
                    counts[2]++;
                } else if (!store.graphIndexes().justified(which, key)) {
                    long id = GraphIndexes.nodeOf(which, key);
                    if (mayHoldStaleIndexEntries.test(id)) {
                        counts[1]++;
                    } else {
                        report.problem("the " + name + " has an entry for node " + id
                                + " that its stored state does not have");
                    }
                }
            });
        } catch (GraphException e) {
            report.problem("the " + name + " cannot be read: " + e.getMessage());
        }
        if (counts[0] != tree.size()) {
            report.problem("the " + name + " holds " + counts[0] + " keys but counts " + tree.size());
        }
        report.add(name + " entries", counts[0]);
        report.add("index entries kept for older snapshots", counts[1]);
        if (which == GraphIndexes.Tree.SCHEMA) {
            report.add("entries of dropped indexes awaiting deletion", counts[2]);
        }
    }

    /** Every schema record is one definition's, and each definition names known tokens. */
    private void checkSchemaRecords() {
        IndexDefinitions definitions = store.graphIndexes().definitions();
        LongStream.Builder pointers = LongStream.builder();
        for (IndexDefinitions.Definition d : definitions.all()) {
            pointers.add(d.pointer());
            try {
                store.tokens().name(TokenKind.LABEL, d.label());
                store.tokens().name(TokenKind.PROPERTY_KEY, d.key());
            } catch (GraphException e) {
                report.problem("index " + d.label() + "/" + d.key() + ": " + e.getMessage());
            }
        }
        report.add("indexes", checkNoOrphans("schema", definitions.records(), pointers, definitions.all().size()));
    }

    // ------------------------------------------------------------------ record stores

    /** Reports records no id or chain refers to; returns how many records the store holds. */
    private long checkNoOrphans(String kind, RecordStore records, LongStream.Builder referenced, long expected) {
        long[] known = referenced.build().sorted().toArray();
        long[] seen = {0};
        try {
            records.forEach((pointer, bytes) -> {
                seen[0]++;
                if (Arrays.binarySearch(known, pointer) < 0) {
                    report.problem("orphaned " + kind + " record at page " + RecordPointer.page(pointer)
                            + " (nothing refers to it)");
                }
            });
        } catch (GraphException e) {
            report.problem("the " + kind + " store cannot be scanned: " + e.getMessage());
        }
        if (expected >= 0 && (seen[0] != expected || records.recordCount() != expected)) {
            report.problem("the " + kind + " store holds " + seen[0] + " records and counts " + records.recordCount()
                    + "; " + expected + " ids refer to one");
        }
        return seen[0];
    }
}
