package dev.sablegraph.core;

/** A write named a node or edge id that does not exist in the writer's snapshot. */
public class EntityNotFoundException extends GraphException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports a missing node or edge.
     *
     * @param message names the id
     */
    public EntityNotFoundException(String message) {
        super(message);
    }
}
