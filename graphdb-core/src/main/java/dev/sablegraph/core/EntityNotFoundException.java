package dev.sablegraph.core;

/** A write named a node or edge id that does not exist in the writer's snapshot. */
public class EntityNotFoundException extends GraphException {
    private static final long serialVersionUID = 1L;

    public EntityNotFoundException(String message) {
        super(message);
    }
}
