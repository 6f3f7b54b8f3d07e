package dev.sablegraph.core;

/** A concurrent transaction modified the same entity and committed first; this one must roll back. */
public class WriteConflictException extends GraphException {
    private static final long serialVersionUID = 1L;

    public WriteConflictException(String message) {
        super(message);
    }
}
