package dev.sablegraph.internal.graph;

import dev.sablegraph.core.Node;
import dev.sablegraph.internal.graph.codec.IndexKeys;
import dev.sablegraph.internal.graph.codec.SchemaKeys;
import dev.sablegraph.internal.index.BTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.LongFunction;

/**
 * The nodes of one index whose values lie in a {@link ValueRange}, in value order (then id order),
 * ascending or descending, read lazily from the schema index ({@link SchemaKeys}).
 *
 * <p>Each candidate is resolved by the caller's function (the state its snapshot sees, or null)
 * and kept only if that state has the label and a value whose key is the candidate's: an entry of
 * an older or newer state is skipped, so each node comes once, at the place of the value it has.
 *
 * <p>Numbers and booleans are in exact order in the keys, and stream straight from the cursor.
 * Strings are ordered by their first 8 UTF-8 bytes only: the strings sharing them (a <em>run</em>)
 * follow in hash order. So at a run, the scan reads the run's keys once, in key order, finding each
 * distinct value (a resolved node is its witness) and keeping the keys of values held by at most
 * {@link #SHORT_GROUP} entries; it sorts the values, then streams each value's nodes, from the kept
 * keys or, for a value held by more nodes, by a seek (it skipped the rest of such a value with one
 * seek too). Memory: per distinct value of one run, its witness and at most {@link #SHORT_GROUP}
 * keys; cost: reading the run, plus one resolution per distinct value.
 */
final class IndexRangeScan implements Iterator<Node> {
    /** Values held by at most this many entries keep their keys while a run is read. */
    static final int SHORT_GROUP = 16;

    private final BTree tree;
    private final int labelToken;
    private final int keyToken;
    private final String label;
    private final String key;
    private final ValueRange range;
    private final boolean descending;
    private final LongFunction<Node> resolve;
    private final byte[] low;
    private final byte[] high;
    private BTree.Cursor main;
    /** The distinct string values of the run being read, sorted; null between runs. */
    private List<Group> groups;
    private int nextGroup;
    private Iterator<byte[]> groupKeys;
    private Node ready;

    /**
     * One distinct value: the 25 bytes its entries start with, and its entries' keys in key order
     * (null when there are more than {@link #SHORT_GROUP}: read again by a seek).
     */
    private record Group(byte[] prefix, Object value, List<byte[]> keys) {}

    IndexRangeScan(BTree tree, int labelToken, int keyToken, String label, String key, ValueRange range,
            boolean descending, LongFunction<Node> resolve) {
        this.tree = tree;
        this.labelToken = labelToken;
        this.keyToken = keyToken;
        this.label = label;
        this.key = key;
        this.range = range;
        this.descending = descending;
        this.resolve = resolve;
        int kind = range.kind();
        this.low = range.from() == null
                ? SchemaKeys.kindPrefix(labelToken, keyToken, kind == 0 ? SchemaKeys.NUMBER : kind)
                : lowerBound(range.from(), range.fromInclusive());
        this.high = range.to() == null
                ? after(SchemaKeys.kindPrefix(labelToken, keyToken, kind == 0 ? SchemaKeys.BOOLEAN : kind))
                : upperBound(range.to(), range.toInclusive());
        this.main = cursor(low, high);
    }

    /** The first key a lower bound admits: exact for numbers and booleans, its run's start for strings. */
    private byte[] lowerBound(Object v, boolean inclusive) {
        if (SchemaKeys.exactOrder(SchemaKeys.kindOf(v))) {
            byte[] p = SchemaKeys.valuePrefix(labelToken, keyToken, v);
            return inclusive ? p : after(p);
        }
        return SchemaKeys.runPrefix(labelToken, keyToken, v);
    }

    /** The first key past an upper bound: exact for numbers and booleans, its run's end for strings. */
    private byte[] upperBound(Object v, boolean inclusive) {
        if (SchemaKeys.exactOrder(SchemaKeys.kindOf(v))) {
            byte[] p = SchemaKeys.valuePrefix(labelToken, keyToken, v);
            return inclusive ? after(p) : p;
        }
        return after(SchemaKeys.runPrefix(labelToken, keyToken, v));
    }

    private static byte[] after(byte[] prefix) {
        return IndexKeys.after(prefix, SchemaKeys.KEY_SIZE);
    }

    private BTree.Cursor cursor(byte[] from, byte[] to) {
        return descending ? tree.seekDescending(from, to) : tree.seek(from, to);
    }

    @Override
    public boolean hasNext() {
        if (ready == null) {
            ready = advance();
        }
        return ready != null;
    }

    @Override
    public Node next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Node n = ready;
        ready = null;
        return n;
    }

    private Node advance() {
        for (;;) {
            if (groupKeys != null) {
                while (groupKeys.hasNext()) {
                    Node n = verified(groupKeys.next());
                    if (n != null) {
                        return n;
                    }
                }
                groupKeys = null;
            }
            if (groups != null && nextGroup < groups.size()) {
                groupKeys = keysOf(groups.get(nextGroup++));
                continue;
            }
            groups = null;
            if (main == null || !main.next()) {
                return null;
            }
            byte[] k = main.key();
            if (SchemaKeys.kindOf(k) == SchemaKeys.STRING) {
                byte[] run = Arrays.copyOf(k, SchemaKeys.RUN_PREFIX_SIZE);
                groups = groupsOf(run);
                nextGroup = 0;
                // Continue past the run: its keys are all read through its groups.
                byte[] pastRun = after(run);
                main = descending ? cursor(low, run) : pastRun == null ? null : cursor(pastRun, high);
                continue;
            }
            Node n = verified(k);
            if (n != null) {
                return n;
            }
        }
    }

    /** The distinct values of a run that lie in the range and some candidate holds, in the scan's order. */
    private List<Group> groupsOf(byte[] run) {
        List<Group> out = new ArrayList<>();
        byte[] end = after(run);
        BTree.Cursor c = tree.seek(run, end);
        byte[] k = step(c);
        while (k != null) {
            byte[] prefix = Arrays.copyOf(k, SchemaKeys.VALUE_PREFIX_SIZE);
            List<byte[]> keys = new ArrayList<>();
            Node witness = null;
            while (k != null && SchemaKeys.samePrefix(k, prefix, SchemaKeys.VALUE_PREFIX_SIZE)) {
                if (witness == null) {
                    witness = verified(k);
                }
                if (keys != null && keys.size() == SHORT_GROUP) {
                    keys = null; // a long group
                }
                if (keys == null && witness != null) { // a long group of a known value: seek past it
                    c = tree.seek(after(prefix), end);
                    k = step(c);
                    break;
                }
                if (keys != null) {
                    keys.add(k);
                }
                k = step(c);
            }
            if (witness != null) {
                out.add(new Group(prefix, witness.properties().get(key), keys));
            }
        }
        Comparator<Group> order = (a, b) -> SchemaKeys.compare(a.value(), b.value());
        out.sort(descending ? order.reversed() : order);
        return out;
    }

    private static byte[] step(BTree.Cursor c) {
        return c.next() ? c.key() : null;
    }

    /** The keys of one value's entries in the scan's order: those kept, or a cursor over them. */
    private Iterator<byte[]> keysOf(Group g) {
        if (g.keys() != null) {
            List<byte[]> keys = new ArrayList<>(g.keys());
            if (descending) {
                java.util.Collections.reverse(keys);
            }
            return keys.iterator();
        }
        BTree.Cursor c = cursor(g.prefix(), after(g.prefix()));
        return new Iterator<>() {
            private byte[] pending = step(c);

            @Override
            public boolean hasNext() {
                return pending != null;
            }

            @Override
            public byte[] next() {
                byte[] k = pending;
                pending = step(c);
                return k;
            }
        };
    }

    /** The candidate's node as resolved, if that state holds the candidate's value and lies in the range. */
    private Node verified(byte[] candidate) {
        Node n = resolve.apply(SchemaKeys.nodeOf(candidate));
        if (n == null || !n.labels().contains(label)) {
            return null;
        }
        Object v = n.properties().get(key);
        if (v == null || !range.contains(v)) {
            return null;
        }
        byte[] p = SchemaKeys.valuePrefix(labelToken, keyToken, v);
        return SchemaKeys.samePrefix(p, candidate, SchemaKeys.VALUE_PREFIX_SIZE) ? n : null;
    }
}
