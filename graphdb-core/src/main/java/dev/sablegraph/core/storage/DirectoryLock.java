package dev.sablegraph.core.storage;

import dev.sablegraph.core.DatabaseLockedException;
import dev.sablegraph.core.GraphException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE_NAME = "LOCK";
    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private DirectoryLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    public static DirectoryLock acquire(Path directory) {
        Path key = canonical(directory);
        if (!HELD_IN_THIS_JVM.add(key)) {
            throw new DatabaseLockedException("database " + directory + " is already open in this process");
        }
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new DatabaseLockedException("database " + directory + " is locked by another process");
            }
            return new DirectoryLock(key, channel, lock);
        } catch (IOException e) {
            release(key, channel);
            throw new GraphException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            release(key, channel);
            throw e;
        }
    }

    private static Path canonical(Path directory) {
        try {
            Files.createDirectories(directory);
            return directory.toRealPath();
        } catch (IOException e) {
            throw new GraphException("cannot open database directory " + directory + ": " + e.getMessage(), e);
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
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases the lock as well
        }
        release(key, channel);
    }
}
