package dev.sablegraph.core;

/** A concurrent transaction modified the same entity and committed first; this one must roll back. */
public class WriteConflictException extends GraphException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports a conflict.
     *
     * @param message names the node or edge and what the other transaction did
     */
    public WriteConflictException(String message) {
        super(message);
    }

    /**
     * A conflict reported with the one that caused it, e.g. the last of several attempts.
     *
     * @param message names what conflicted
     * @param cause the conflict that caused this one
     */
    public WriteConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
