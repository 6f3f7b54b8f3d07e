package dev.sablegraph.core;

import java.util.Map;

/**
 * An edge as one snapshot saw it; the property map is an unmodifiable copy, and its {@code byte[]}
 * values are copied in and out and its {@code List} values are unmodifiable, as {@link Node}'s are.
 */
public record Edge(long id, long from, long to, String type, Map<String, Object> properties) {
    public Edge {
        properties = PropertyValues.immutableCopy(properties);
    }
}
