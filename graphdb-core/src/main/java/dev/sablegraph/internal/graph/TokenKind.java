package dev.sablegraph.internal.graph;

/** The three name spaces of the token dictionary. */
enum TokenKind {
    LABEL,
    EDGE_TYPE,
    PROPERTY_KEY
}
