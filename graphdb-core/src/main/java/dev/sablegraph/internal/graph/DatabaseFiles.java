package dev.sablegraph.internal.graph;

/**
 * The names of the files and directories a database directory holds besides the data file: one
 * place, so that the layers which write them (the log, checkpoints) and the check that tells a
 * logged database from an unlogged one agree.
 */
public final class DatabaseFiles {
    /** The write-ahead log's segments. */
    public static final String LOG_DIRECTORY = "wal";
    /** The checkpoint's double-write image of the pages it writes in place. */
    public static final String CHECKPOINT_IMAGE = "checkpoint.dwb";
    /** Where the newest complete checkpoint is recorded. */
    public static final String CHECKPOINT_CONTROL = "control";

    private DatabaseFiles() {}
}
