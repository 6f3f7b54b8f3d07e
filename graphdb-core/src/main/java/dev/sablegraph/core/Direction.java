package dev.sablegraph.core;

/** Which edges of a node a traversal follows. */
public enum Direction {
    OUTGOING,
    INCOMING,
    BOTH
}
