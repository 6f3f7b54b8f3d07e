package dev.sablegraph.core;

import java.nio.file.Path;

/**
 * Data on disk is damaged. Always names the file and, where one is involved, the page; the damaged
 * bytes are never returned as data.
 */
public class CorruptionException extends GraphException {
    private static final long serialVersionUID = 1L;

    /** Page number, or -1 when the damage is not inside a page (for example a truncated file). */
    private final long page;
    /** The damaged file, as its path reads. */
    private final String file;

    /**
     * Reports damage found in {@code file}.
     *
     * @param file the damaged file
     * @param page the damaged page, or -1 when the damage is not inside a page
     * @param detail what is wrong, for the message
     */
    public CorruptionException(Path file, long page, String detail) {
        super(describe(file, page, detail));
        this.file = String.valueOf(file);
        this.page = page;
    }

    /**
     * Reports damage found in {@code file}, with the failure that revealed it.
     *
     * @param file the damaged file
     * @param page the damaged page, or -1 when the damage is not inside a page
     * @param detail what is wrong, for the message
     * @param cause the failure that revealed the damage
     */
    public CorruptionException(Path file, long page, String detail, Throwable cause) {
        super(describe(file, page, detail), cause);
        this.file = String.valueOf(file);
        this.page = page;
    }

    private static String describe(Path file, long page, String detail) {
        return page >= 0
                ? "corruption in " + file + " at page " + page + ": " + detail
                : "corruption in " + file + ": " + detail;
    }

    /**
     * The damaged file.
     *
     * @return the file's path
     */
    public String file() {
        return file;
    }

    /**
     * The damaged page.
     *
     * @return the page number, or -1 when the damage is not inside a page
     */
    public long page() {
        return page;
    }
}
