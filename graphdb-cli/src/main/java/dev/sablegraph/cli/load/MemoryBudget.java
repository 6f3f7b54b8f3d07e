package dev.sablegraph.cli.load;

/**
 * The heap the importer's own structures may take (the id maps), out of {@code --max-memory}:
 * each grows only after charging here, so an import that would need more stops with a message
 * saying what to raise instead of running out of heap. Not thread-safe.
 */
final class MemoryBudget {
    private final long limit;
    private long used;

    MemoryBudget(long limit) {
        this.limit = limit;
    }

    /**
     * Takes {@code bytes} for {@code what}.
     *
     * @throws OutOfImportMemoryException when that would go past the limit
     */
    void charge(long bytes, String what) {
        if (used + bytes > limit) {
            throw new OutOfImportMemoryException(what + " needs more memory than --max-memory leaves for it ("
                    + mib(limit) + " MiB, " + mib(used) + " MiB in use, " + mib(bytes) + " MiB more wanted):"
                    + " raise --max-memory (and -Xmx with it)");
        }
        used += bytes;
    }

    long used() {
        return used;
    }

    long limit() {
        return limit;
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /** The import needs more memory than it was given. */
    static final class OutOfImportMemoryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfImportMemoryException(String message) {
            super(message);
        }
    }
}
