package dev.sablegraph.core;

/** Which edges of a node a traversal follows. */
public enum Direction {
    /** The edges that leave the node. */
    OUTGOING,
    /** The edges that enter the node. */
    INCOMING,
    /** Both; a self-loop counts once. */
    BOTH
}
