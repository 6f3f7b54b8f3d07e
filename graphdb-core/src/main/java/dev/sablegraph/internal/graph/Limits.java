package dev.sablegraph.internal.graph;

import dev.sablegraph.internal.graph.codec.RecordBuffer;
import java.util.Collection;
import java.util.Map;

/**
 * The limits of the stored formats, checked where input arrives (the transaction's write calls)
 * so that a write beyond them is an {@link IllegalArgumentException} that changes nothing. The
 * record codecs check them again ({@link RecordBuffer#putVarCount}, {@link RecordBuffer#putCount})
 * as the last line. README's limits table lists them.
 */
public final class Limits {
    /** Counts stored in 16 bits. */
    static final int MAX_COUNT = RecordBuffer.MAX_COUNT;
    /** Labels of one node. */
    public static final int MAX_LABELS = MAX_COUNT;
    /** Properties of one node or edge. */
    public static final int MAX_PROPERTIES = MAX_COUNT;
    /** Distinct edge types at one node (its edge groups). */
    public static final int MAX_EDGE_TYPES_PER_NODE = MAX_COUNT;

    private Limits() {}

    /** Refuses more than {@link #MAX_LABELS} labels. */
    public static void labels(Collection<String> labels) {
        if (labels.size() > MAX_LABELS) {
            throw new IllegalArgumentException("labels: " + labels.size() + " exceeds the limit of " + MAX_LABELS
                    + " labels per node");
        }
    }

    /** Refuses more than {@link #MAX_PROPERTIES} properties. */
    public static void properties(String argument, Map<String, ?> properties) {
        if (properties != null && properties.size() > MAX_PROPERTIES) {
            throw new IllegalArgumentException(argument + ": " + properties.size() + " exceeds the limit of "
                    + MAX_PROPERTIES + " properties per node or edge");
        }
    }
}
