package dev.sablegraph.core;

import java.util.Map;

/**
 * An edge as one snapshot saw it; the property map is an unmodifiable copy, and its {@code byte[]}
 * values are copied in and out and its {@code List} values are unmodifiable, as {@link Node}'s are.
 */
public record Edge(long id, long from, long to, String type, Map<String, Object> properties) {
    /**
     * Copies the properties, so the edge never changes after it is made.
     *
     * @param id the edge's id
     * @param from the id of the node the edge leaves
     * @param to the id of the node the edge enters
     * @param type the edge's type
     * @param properties the edge's properties, copied ({@code byte[]} values too)
     */
    public Edge {
        properties = PropertyValues.immutableCopy(properties);
    }
}
