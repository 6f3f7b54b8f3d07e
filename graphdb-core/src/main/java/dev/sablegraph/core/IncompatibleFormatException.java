package dev.sablegraph.core;

import java.nio.file.Path;

/**
 * A database file is in a format this build of Sable cannot read: written by a newer Sable, or by
 * one so old that this build no longer reads it. Thrown by {@code open} before anything is
 * written; the directory stays as it was and the newer (or older) Sable can still open it.
 *
 * <p>The message names the file, the version it has, the versions this build reads and what to do.
 * An older format that this build still reads is not refused: it is upgraded in place when the
 * database is opened, forward only (docs/file-format.md, "Versions and upgrades").
 */
public class IncompatibleFormatException extends GraphException {
    private static final long serialVersionUID = 1L;

    /** The refused file, as its path reads. */
    private final String file;
    /** The format version the file says it has. */
    private final int foundVersion;

    /**
     * @param file the file whose format is refused
     * @param what what the file is, for the message ("data file", "log segment", ...)
     * @param foundVersion the format version the file says it has
     * @param oldest the oldest version of this kind of file this build reads
     * @param newest the newest version of this kind of file this build reads
     * @param sableVersion the version of this build
     */
    public IncompatibleFormatException(Path file, String what, int foundVersion, int oldest, int newest,
            String sableVersion) {
        super(describe(file, what, foundVersion, oldest, newest, sableVersion));
        this.file = String.valueOf(file);
        this.foundVersion = foundVersion;
    }

    private static String describe(Path file, String what, int found, int oldest, int newest, String sableVersion) {
        String reads = oldest == newest ? "format " + newest : "formats " + oldest + " to " + newest;
        String origin = found > newest
                ? "it was written by a newer Sable: open it with that version or a later one (Sable never"
                        + " converts a file back to an older format; to move data back, export it with the newer"
                        + " version and import it here)"
                : "it is older than any format this build reads: open it with an older Sable first, which"
                        + " upgrades it, or export it there and import it here";
        return what + " " + file + " is in format " + found + ", which Sable " + sableVersion
                + " cannot read (it reads " + reads + "): " + origin;
    }

    /** @return the file whose format was refused */
    public String file() {
        return file;
    }

    /** @return the format version the file says it has */
    public int foundVersion() {
        return foundVersion;
    }
}
