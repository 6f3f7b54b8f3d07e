package dev.sablegraph.internal.graph;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.storage.DirectoryLock;
import dev.sablegraph.internal.storage.Pager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data file of one database directory, from open to close: the directory lock is taken
 * before the file is touched and released after it is closed, and a failed open leaves the
 * directory as it found it.
 */
final class StoreFile implements AutoCloseable {
    private final Path directory;
    private final DirectoryLock directoryLock;
    private final Pager pager;
    private final boolean headerUpdatePending;

    private StoreFile(Path directory, DirectoryLock directoryLock, Pager pager, boolean headerUpdatePending) {
        this.directory = directory;
        this.directoryLock = directoryLock;
        this.pager = pager;
        this.headerUpdatePending = headerUpdatePending;
    }

    /**
     * Locks the directory, checks that {@code kind} may open it, runs {@code beforeOpen} on the
     * data file and opens (or creates) it. A failed open, whatever it throws, releases the lock and
     * removes what it created (the directory, the lock file, a new data file), so that the
     * directory is as it was.
     */
    static StoreFile open(Path directory, GraphConfig config, DatabaseKind kind, GraphStore.BeforeOpen beforeOpen) {
        if (directory == null) {
            throw new IllegalArgumentException("directory must not be null");
        }
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        DirectMemoryLimit.requireRoomForPageCache(config.pageCacheBytes());
        DirectoryLock dirLock = DirectoryLock.acquire(directory);
        Path dataFile = directory.resolve(StoreLayout.DATA_FILE);
        boolean createdDataFile = false;
        Pager pager = null;
        try {
            kind.checkDirectory(directory);
            beforeOpen.run(dataFile);
            createdDataFile = !Files.exists(dataFile);
            pager = Pager.open(dataFile, config);
            // A changed kind or an older format: the header must be written again (an upgrade).
            boolean headerUpdatePending = kind.claim(pager, directory) | pager.openedOlderFormat();
            if (createdDataFile) {
                pager.flush(); // only the new header: a new file says its kind from the start
                headerUpdatePending = false;
            }
            return new StoreFile(directory, dirLock, pager, headerUpdatePending);
        } catch (RuntimeException | Error failure) { // all there is: nothing in the block throws a checked exception
            // An Error too (an OutOfMemoryError from the page cache's allocation): the lock must go.
            IllegalArgumentException explained = failure instanceof OutOfMemoryError oom
                    ? DirectMemoryLimit.explain(config.pageCacheBytes(), oom) : null;
            abandon(dirLock, pager, createdDataFile ? dataFile : null, explained != null ? explained : failure);
            if (explained != null) {
                throw explained;
            }
            throw failure;
        }
    }

    /**
     * Undoes a failed open: closes the pager without writing (nothing of a failed open may reach
     * the file), deletes the data file if this open created it, and abandons the lock. Failures
     * of the clean-up are added to {@code failure}.
     */
    private static void abandon(DirectoryLock dirLock, Pager pager, Path createdDataFile, Throwable failure) {
        try {
            if (pager != null) {
                pager.closeWithoutFlush();
            }
            if (createdDataFile != null) {
                Files.deleteIfExists(createdDataFile);
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        } finally {
            dirLock.abandon();
        }
    }

    Path directory() {
        return directory;
    }

    Pager pager() {
        return pager;
    }

    /** See {@link GraphStore#headerUpdatePending()}. */
    boolean headerUpdatePending() {
        return headerUpdatePending;
    }

    /** Writes what is cached and releases the directory. */
    @Override
    public void close() {
        try {
            pager.close();
        } finally {
            directoryLock.close();
        }
    }

    /** Releases the directory without writing anything. */
    void closeWithoutFlush() {
        try {
            pager.closeWithoutFlush();
        } finally {
            directoryLock.close();
        }
    }
}
