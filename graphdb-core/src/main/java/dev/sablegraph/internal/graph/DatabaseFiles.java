package dev.sablegraph.internal.graph;

/**
 * The names of the files and directories a database directory holds: one place, so that the
 * layers which write them (the store, the log, checkpoints), the check that tells a logged
 * database from an unlogged one, and backups agree.
 */
public final class DatabaseFiles {
    /** The data file: fixed-size pages (docs/file-format.md). */
    public static final String DATA_FILE = "data.sable";
    /** The write-ahead log's segments. */
    public static final String LOG_DIRECTORY = "wal";
    /** The checkpoint's double-write image of the pages it writes in place. */
    public static final String CHECKPOINT_IMAGE = "checkpoint.dwb";
    /** Where the newest complete checkpoint is recorded. */
    public static final String CHECKPOINT_CONTROL = "control";
    /**
     * Dirty pages evicted from the page cache before a checkpoint wrote them; never read after a
     * crash (recovery replays the log instead), deleted at close, emptied at open.
     */
    public static final String SPILL_FILE = "spill.pages";

    private DatabaseFiles() {}
}
