package dev.sablegraph.core.graph;

/** The three name spaces of the token dictionary. */
enum TokenKind {
    LABEL,
    EDGE_TYPE,
    PROPERTY_KEY
}
