package dev.sablegraph.core;

/** The database directory is already open, in this process or another one. */
public class DatabaseLockedException extends GraphException {
    private static final long serialVersionUID = 1L;

    /**
     * Reports a directory that is held already.
     *
     * @param message names the directory and what holds it
     */
    public DatabaseLockedException(String message) {
        super(message);
    }
}
