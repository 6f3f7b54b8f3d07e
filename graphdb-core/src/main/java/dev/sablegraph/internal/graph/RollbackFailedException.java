package dev.sablegraph.internal.graph;

import dev.sablegraph.core.GraphException;

/**
 * A change failed and so did taking it back: the store's memory may hold part of it. The caller
 * must stop writing (nothing of it may reach the data file) until the store is reopened.
 */
public final class RollbackFailedException extends GraphException {
    private static final long serialVersionUID = 1L;

    RollbackFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
