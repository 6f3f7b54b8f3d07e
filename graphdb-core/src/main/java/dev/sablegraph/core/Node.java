package dev.sablegraph.core;

import java.util.Map;
import java.util.Set;

/**
 * A node as one snapshot saw it. The label set and property map are unmodifiable copies: changing
 * the database never changes a {@code Node} already returned, and nothing writes through.
 * {@code byte[]} values are copied in, and copied again each time they are read from the map, so
 * changing an array never changes what anyone else reads; {@code List} values are unmodifiable.
 */
public record Node(long id, Set<String> labels, Map<String, Object> properties) {
    /**
     * Copies the labels and properties, so the node never changes after it is made.
     *
     * @param id the node's id
     * @param labels the node's labels, copied
     * @param properties the node's properties, copied ({@code byte[]} values too)
     */
    public Node {
        labels = Set.copyOf(labels);
        properties = PropertyValues.immutableCopy(properties);
    }
}
