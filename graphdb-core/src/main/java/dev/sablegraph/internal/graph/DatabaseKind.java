package dev.sablegraph.internal.graph;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.storage.Pager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which API a database directory belongs to, recorded in the data file's header (root slot
 * {@link StoreLayout#KIND_SLOT}, the value is the ordinal). A database with a write-ahead log
 * (ConcurrentGraphDB) keeps its newest commits in the log only, until a checkpoint: an opener
 * without a log (UnloggedGraph) would see an older state and write over it, so it is refused.
 * docs/file-format.md, "Database kind".
 */
enum DatabaseKind {
    /** A data file written before kinds were recorded: the files beside it tell. */
    UNMARKED,
    /** UnloggedGraph's: the data file is the whole state. */
    WITHOUT_LOG,
    /** ConcurrentGraphDB's: the data file is the newest checkpoint; the log holds the rest. */
    WITH_LOG;

    /**
     * Files only a database with a log has. They outrank the data file's mark: a directory holding
     * them may need recovery, which only an opener with a log can do.
     */
    private static final List<String> LOG_FILES = List.of(DatabaseFiles.LOG_DIRECTORY, DatabaseFiles.CHECKPOINT_CONTROL,
            DatabaseFiles.CHECKPOINT_IMAGE);

    /** Before the data file is read: refuses a directory that this kind of opener cannot recover. */
    void checkDirectory(Path directory) {
        if (this == WITH_LOG) {
            return;
        }
        for (String name : LOG_FILES) {
            if (Files.exists(directory.resolve(name))) {
                throw refusal(directory, "it holds " + name);
            }
        }
    }

    /**
     * Checks the kind the data file records and records this one in the pager's header (in memory:
     * it reaches the file with the header). An opener with a log may take over any data file, since
     * one without a log is a complete state; one without a log refuses a data file with a log.
     *
     * @return whether the recorded kind changed
     */
    boolean claim(Pager pager, Path directory) {
        long mark = pager.root(StoreLayout.KIND_SLOT);
        if (mark < 0 || mark >= values().length) {
            throw new CorruptionException(pager.path(), 0, "unknown database kind " + mark + " in root slot "
                    + StoreLayout.KIND_SLOT + " of the file header (written by a newer version?)");
        }
        DatabaseKind recorded = values()[(int) mark];
        if (recorded == WITH_LOG && this != WITH_LOG) {
            throw refusal(directory, "its data file says so");
        }
        if (recorded == this) {
            return false;
        }
        pager.setRoot(StoreLayout.KIND_SLOT, ordinal());
        return true;
    }

    private static GraphException refusal(Path directory, String evidence) {
        return new GraphException("database " + directory + " belongs to ConcurrentGraphDB (" + evidence
                + "): it keeps its newest commits in a write-ahead log that UnloggedGraph cannot replay, so UnloggedGraph"
                + " would see an older state and damage it; open it with ConcurrentGraphDB.open");
    }
}
