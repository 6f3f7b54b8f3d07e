package dev.sablegraph.internal.storage;

import dev.sablegraph.core.DatabaseLockedException;
import dev.sablegraph.core.GraphException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive OS lock on {@code <dir>/LOCK} held while a database is open. Another process gets
 * {@link DatabaseLockedException} from {@code tryLock}.
 *
 * <p>Openers in the same JVM are refused by a JVM-wide registry checked <em>before</em> any channel
 * is opened. That order matters: POSIX record locks belong to the process, and closing any
 * descriptor of the file drops all of them, so a refused second opener that opened and closed its
 * own channel on {@code LOCK} would silently release the first opener's lock.
 *
 * <p>A failed open {@link #abandon()}s the lock: it deletes the {@code LOCK} file and the
 * directories that acquiring created, so that a directory that held no database is left as it was.
 * Deleting a lock file races with another process that opened it just before: once the deleter
 * releases, that process locks a file no longer in the directory while a third may lock a new one.
 * So a holder only trusts its lock after checking that {@code LOCK} still names the file it opened
 * (the same file key before opening and after locking), and starts over otherwise. Only a holder
 * deletes the file, and an open descriptor keeps its file key from being reused.
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE_NAME = "LOCK";
    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    /** Directories acquiring created, deepest first; {@link #abandon()} removes them. */
    private final List<Path> createdDirectories;
    private final boolean createdFile;
    private boolean closed; // guarded by this

    private DirectoryLock(Path key, Path file, FileChannel channel, FileLock lock, List<Path> createdDirectories,
            boolean createdFile) {
        this.key = key;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.createdDirectories = createdDirectories;
        this.createdFile = createdFile;
    }

    public static DirectoryLock acquire(Path directory) {
        List<Path> createdDirectories = missingDirectories(directory);
        Path key = canonical(directory);
        if (!HELD_IN_THIS_JVM.add(key)) {
            throw new DatabaseLockedException("database " + directory + " is already open in this process");
        }
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            boolean createdFile = false;
            while (true) {
                createdFile |= createIfAbsent(file);
                Object before = fileKey(file);
                if (before == null) {
                    continue; // deleted by a failed opener since: create it again
                }
                try {
                    channel = FileChannel.open(file, StandardOpenOption.WRITE);
                } catch (NoSuchFileException deletedSince) {
                    continue;
                }
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    throw new DatabaseLockedException("database " + directory + " is locked by another process");
                }
                if (before.equals(fileKey(file))) {
                    return new DirectoryLock(key, file, channel, lock, createdDirectories, createdFile);
                }
                channel.close(); // a failed opener deleted the file we locked: start over
                channel = null;
            }
        } catch (IOException e) {
            release(key, channel);
            throw new GraphException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            release(key, channel);
            throw e;
        }
    }

    /** The directories that {@link #canonical} will create, deepest first. */
    private static List<Path> missingDirectories(Path directory) {
        List<Path> missing = new ArrayList<>();
        for (Path p = directory.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(p);
        }
        return missing;
    }

    private static Path canonical(Path directory) {
        try {
            Files.createDirectories(directory);
            return directory.toRealPath();
        } catch (IOException e) {
            throw new GraphException("cannot open database directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /** True when this call created {@code file} (and its directory again, if a failed opener removed it). */
    private static boolean createIfAbsent(Path file) throws IOException {
        try {
            Files.createFile(file);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (NoSuchFileException e) {
            Files.createDirectories(file.getParent());
            return false; // the next round creates the file
        }
    }

    /** The file's identity (its file key, or the fact that it exists where there are none); null if absent. */
    private static Object fileKey(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return Objects.requireNonNullElse(a.fileKey(), Boolean.TRUE);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void release(Path key, FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock, if any, dies with the channel
            }
        }
        HELD_IN_THIS_JVM.remove(key);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        unlock();
        HELD_IN_THIS_JVM.remove(key);
    }

    /**
     * Releases the lock after a failed open and removes what acquiring it created: the {@code LOCK}
     * file (deleted while still locked, see the class comment) and the directories, if nothing else
     * was put in them. Cleaning up never throws: the open's own failure is what the caller reports.
     */
    public synchronized void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        if (createdFile) {
            deleteQuietly(file);
        }
        unlock();
        // Still registered: no opener in this JVM can recreate the directory while it goes.
        for (Path dir : createdDirectories) {
            deleteQuietly(dir);
        }
        HELD_IN_THIS_JVM.remove(key);
    }

    private void unlock() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases the lock as well
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the lock dies with the channel
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a directory something else was put into stays, as does a file we may not delete
        }
    }
}
