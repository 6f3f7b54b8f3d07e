package dev.sablegraph.cli.files;

import dev.sablegraph.core.DatabaseLockedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The copy step of {@code sable backup}: copies a database directory that is closed and
 * checkpointed, holding the directory's lock (the OS lock on its {@code LOCK} file that every
 * opener takes, docs/file-format.md) from before the first byte is read until the copy is
 * complete, so no process can open and change the database meanwhile. The copy is built in a
 * hidden directory beside the target, each file forced to disk, and renamed to the target at the
 * end: the target either does not exist or holds the whole copy.
 */
public final class OfflineBackup {
    /** The lock file every database directory has. */
    static final String LOCK_FILE = "LOCK";

    private OfflineBackup() {}

    /**
     * Copies {@code source} to {@code target}, which must not exist.
     *
     * @return the bytes copied
     * @throws DatabaseLockedException when a process holds the source
     */
    public static long copy(Path source, Path target) {
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " exists: a backup goes to a new directory");
        }
        Path absoluteTarget = target.toAbsolutePath().normalize();
        Path parent = absoluteTarget.getParent();
        Path building = null;
        try (FileChannel lockChannel = FileChannel.open(source.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockChannel.tryLock()) {
            if (lock == null) {
                throw new DatabaseLockedException("database " + source + " is open in another process: back it up"
                        + " with ConcurrentGraphDB.backup from that process, or close it first");
            }
            building = DirectoryFiles.createBuildDirectory(absoluteTarget, "backup");
            long bytes = copyTree(source, building);
            Files.move(building, absoluteTarget, StandardCopyOption.ATOMIC_MOVE);
            building = null;
            DirectoryFiles.forceDirectory(parent);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("backup of " + source + " to " + target + " failed: " + e.getMessage(), e);
        } finally {
            if (building != null) {
                DirectoryFiles.deleteQuietly(building);
            }
        }
    }

    /** Copies every file but the lock file, forcing each file and directory. */
    private static long copyTree(Path source, Path target) throws IOException {
        long[] bytes = {0};
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getParent().equals(source) && file.getFileName().toString().equals(LOCK_FILE)) {
                    return FileVisitResult.CONTINUE;
                }
                Path copy = target.resolve(source.relativize(file).toString());
                Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
                DirectoryFiles.forceFile(copy);
                bytes[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                DirectoryFiles.forceDirectory(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
        return bytes[0];
    }
}
