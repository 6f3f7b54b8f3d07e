package dev.sablegraph.internal.durability;

import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.graph.DatabaseFiles;
import dev.sablegraph.internal.storage.DirectoryLock;
import dev.sablegraph.internal.storage.InterruptSafeChannel;
import dev.sablegraph.internal.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Function;

/**
 * Backups: a copy of a database, in a new directory, that opens as a database of its own
 * (docs/operations.md, "Backup and restore"). Two ways, one installation ({@link BackupDirectory}:
 * built beside the target, forced, renamed into place whole):
 *
 * <ul>
 *   <li>{@link #copyRunning}: of a database open in this process, while readers and writers go
 *       on. It checkpoints, and copies the data file exactly as that checkpoint left it ({@link
 *       DataFileCopy}: later checkpoints save each page to the copy before they overwrite it) with
 *       that checkpoint's {@code control} and an empty log that continues at its log position. The
 *       copy holds exactly the commits logged before the checkpoint's switch, which happens inside
 *       the call: every commit that returned before the call, no part of any other, and none that
 *       began committing after the call returned. Opening the copy replays nothing.
 *   <li>{@link #copyClosed}: of a database no process holds (its directory lock is taken for the
 *       copy): its files verbatim. The copy is what the directory would be after a crash, and
 *       opening it recovers exactly what opening the original would.
 * </ul>
 *
 * Memory is one buffer of {@code chunkBytes} (and, for a running database, one page and one bit
 * per page of the data file), whatever the database's size.
 */
public final class BackupCopier {
    /** Bytes copied per read: the copy's buffer. */
    public static final int DEFAULT_CHUNK_BYTES = 1 << 20;

    private BackupCopier() {}

    /** What a backup needs of the running database it copies. */
    public interface RunningDatabase {
        /** The database's directory (a backup may not be made inside it). */
        Path directory();

        /** {@link Checkpointer#checkpointAndWatch} with the database's quiesce, journal and pending state. */
        Checkpointer.Checkpointed checkpointAndWatch(Function<Checkpointer.Checkpointed, Checkpointer.PageWatcher> watcher);

        /** {@link Checkpointer#stopWatching}. */
        void stopWatching(Checkpointer.PageWatcher watcher);

        /**
         * Throws if the database was closed: once closed, another process may open and checkpoint
         * it, and no watcher would see that. Called after the copy, so a close at any time during
         * it fails the backup.
         */
        void checkOpen();
    }

    /**
     * How a copy of a running database proceeds: its buffer, and a hook run after each chunk of the
     * data file (tests pause there to let checkpoints overwrite pages not copied yet).
     */
    public record Pacing(int chunkBytes, Runnable afterChunk) {
        /** A 1 MiB buffer, no pause: what {@code ConcurrentGraphDB.backup} uses. */
        public static final Pacing DEFAULT = new Pacing(DEFAULT_CHUNK_BYTES, () -> {});

        public Pacing {
            if (chunkBytes < 1) {
                throw new IllegalArgumentException("chunkBytes " + chunkBytes);
            }
        }
    }

    /**
     * Backs up a running database to {@code target}, which must not exist (see the class comment).
     * Commits wait only for the checkpoint's switch; readers and writers go on during the copy.
     *
     * @throws IllegalArgumentException naming the target when it exists, its parent does not, or it
     *     lies inside the database's directory; nothing was created
     * @throws GraphException when the copy failed: nothing was left at the target, and the
     *     database goes on
     */
    public static void copyRunning(Path target, RunningDatabase db, Pacing pacing) {
        refuseInside(target, db.directory());
        try (BackupDirectory dir = BackupDirectory.create(target, "Sable online backup of " + db.directory()
                + ", begun " + Instant.now())) {
            try {
                Checkpointer.Checkpointed base;
                try (DataFileCopy copy = DataFileCopy.create(dir.path().resolve(DatabaseFiles.DATA_FILE),
                        pacing.chunkBytes())) {
                    base = db.checkpointAndWatch(copy::start);
                    try {
                        copy.copyAll(pacing.afterChunk());
                    } finally {
                        db.stopWatching(copy);
                    }
                }
                // The log is written before control: until control exists, the copy's log (starting
                // past position 0) does not open, should the temporary directory be opened by mistake.
                WriteAheadLog.createEmpty(dir.path().resolve(DatabaseFiles.LOG_DIRECTORY), base.info().lsn());
                new CheckpointFiles(dir.path()).writeControl(base.info());
                db.checkOpen();
                dir.install();
            } catch (GraphException | IllegalStateException e) {
                throw failed(target, e);
            }
        }
    }

    /**
     * Copies the database in {@code source}, which no process may hold open, to {@code target}
     * (which must not exist): its data file, checkpoint files and log segments, verbatim. The
     * source is locked for the copy, so it cannot be opened meanwhile.
     *
     * @throws IllegalArgumentException when {@code source} holds no database, or for the target as
     *     in {@link #copyRunning}
     * @throws dev.sablegraph.core.DatabaseLockedException when the source is open
     */
    public static void copyClosed(Path source, Path target, int chunkBytes) {
        if (source == null || !Files.isRegularFile(source.resolve(DatabaseFiles.DATA_FILE))) {
            throw new IllegalArgumentException("no database in " + source + " (no " + DatabaseFiles.DATA_FILE + ")");
        }
        refuseInside(target, source);
        try (BackupDirectory dir = BackupDirectory.create(target, "Sable copy of the closed database " + source
                + ", begun " + Instant.now())) {
            DirectoryLock sourceLock = DirectoryLock.acquire(source); // nobody opens the source meanwhile
            try {
                ByteBuffer buffer = ByteBuffer.allocate(chunkBytes);
                copyFile(source, dir.path(), DatabaseFiles.DATA_FILE, buffer);
                for (String name : new String[] {DatabaseFiles.CHECKPOINT_IMAGE, DatabaseFiles.CHECKPOINT_CONTROL}) {
                    if (Files.exists(source.resolve(name))) {
                        copyFile(source, dir.path(), name, buffer);
                    }
                }
                Path walSource = source.resolve(DatabaseFiles.LOG_DIRECTORY);
                Path walCopy = dir.path().resolve(DatabaseFiles.LOG_DIRECTORY);
                if (Files.isDirectory(walSource)) {
                    Files.createDirectory(walCopy);
                    for (Path segment : WriteAheadLog.segmentFiles(walSource)) {
                        copyFile(walSource, walCopy, segment.getFileName().toString(), buffer);
                    }
                }
                dir.install();
            } catch (IOException e) {
                throw failed(target, new GraphException(e.getMessage(), e));
            } catch (GraphException e) {
                throw failed(target, e);
            } finally {
                sourceLock.close();
            }
        }
    }

    /** Copies {@code from/name} to {@code to/name} (a new file) through {@code buffer}, and forces it. */
    private static void copyFile(Path from, Path to, String name, ByteBuffer buffer) throws IOException {
        try (FileChannel in = InterruptSafeChannel.open(from.resolve(name), StandardOpenOption.READ);
                FileChannel out = InterruptSafeChannel.open(to.resolve(name), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
            long position = 0;
            while (in.read(buffer.clear(), position) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    position += out.write(buffer, position);
                }
            }
            out.force(true);
        }
    }

    /** A backup inside the database's own directory would be copied into itself by the next backup. */
    private static void refuseInside(Path target, Path databaseDirectory) {
        if (target == null) {
            throw new IllegalArgumentException("backup target must not be null");
        }
        Path t = target.toAbsolutePath().normalize();
        Path db = databaseDirectory.toAbsolutePath().normalize();
        try {
            if (Files.exists(db)) {
                db = db.toRealPath();
            }
            Path parent = t.getParent();
            if (parent != null && Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
                t = parent.toRealPath().resolve(t.getFileName());
            }
        } catch (IOException e) {
            // judged on the paths as given
        }
        if (t.startsWith(db)) {
            throw new IllegalArgumentException("backup target " + target + " lies inside the database directory " + db);
        }
    }

    private static GraphException failed(Path target, RuntimeException cause) {
        return new GraphException("backup to " + target + " failed; nothing was left at " + target
                + " and the database goes on: " + cause.getMessage(), cause);
    }
}
