package dev.sablegraph.internal.graph;

import dev.sablegraph.core.Node;
import dev.sablegraph.internal.graph.codec.SchemaKeys;
import java.util.Comparator;

/**
 * The values a range query asks for, with the one order range queries use
 * ({@link SchemaKeys#compare}): both through an index and by reading a label's nodes.
 *
 * <p>Bounds are stored values (normalised) or null for unbounded. A bound fixes the kind of the
 * values the range holds: numbers (Long and Double alike, by numeric value), strings or booleans;
 * with two bounds they are of one kind (the caller checks). With none, the range holds the values
 * of all three kinds, numbers first, then strings, then booleans. byte[] and list values are in no
 * range.
 */
public record ValueRange(Object from, boolean fromInclusive, Object to, boolean toInclusive) {

    /** The kind of the values in the range, or 0 when it holds every ordered kind. */
    int kind() {
        Object bound = from != null ? from : to;
        return bound == null ? 0 : SchemaKeys.kindOf(bound);
    }

    /** Whether a stored value (or null, for a node without it) lies in the range. */
    public boolean contains(Object value) {
        if (value == null || !SchemaKeys.ordered(SchemaKeys.kindOf(value))) {
            return false;
        }
        int kind = kind();
        if (kind != 0 && SchemaKeys.kindOf(value) != kind) {
            return false;
        }
        if (from != null) {
            int c = SchemaKeys.compare(value, from);
            if (c < 0 || (c == 0 && !fromInclusive)) {
                return false;
            }
        }
        if (to != null) {
            int c = SchemaKeys.compare(value, to);
            return c < 0 || (c == 0 && toInclusive);
        }
        return true;
    }

    /**
     * The order of a range query's results: by the value of {@code key} (which every node compared
     * must have, in the range), then by id; reversed when {@code descending}.
     */
    public static Comparator<Node> order(String key, boolean descending) {
        Comparator<Node> up = (a, b) -> {
            int c = SchemaKeys.compare(a.properties().get(key), b.properties().get(key));
            return c != 0 ? c : Long.compare(a.id(), b.id());
        };
        return descending ? up.reversed() : up;
    }
}
