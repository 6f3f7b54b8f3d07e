package dev.sablegraph.core;

/** Base of every exception Sable throws on purpose. */
public class GraphException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message saying what failed and, where it helps, what to do.
     *
     * @param message the detail message
     */
    public GraphException(String message) {
        super(message);
    }

    /**
     * An exception with a message and the failure that caused it.
     *
     * @param message the detail message
     * @param cause the underlying failure
     */
    public GraphException(String message, Throwable cause) {
        super(message, cause);
    }
}
