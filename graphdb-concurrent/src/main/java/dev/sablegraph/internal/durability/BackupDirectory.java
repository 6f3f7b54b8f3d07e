package dev.sablegraph.internal.durability;

import dev.sablegraph.core.DatabaseLockedException;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.storage.DirectoryLock;
import dev.sablegraph.internal.storage.InterruptSafeChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * Where a backup is built, and how it appears at its target: whole or not at all.
 *
 * <p>The copy is built in a sibling of the target, {@code <target>.backup-in-progress}, and only
 * when every file in it is written and forced is it renamed to the target (one atomic rename in
 * the same directory), after which the parent directory is forced. So a process killed at any
 * point leaves either nothing at the target or the complete copy; after a power loss the same
 * holds, since everything in the copy was forced before the rename.
 *
 * <p>The temporary directory is locked (a {@link DirectoryLock}) while a backup builds in it, and
 * its first file is {@value #INFO}: a line saying what the copy is a backup of and when it began,
 * which stays in the copy. A backup that finds the temporary directory of its target left behind
 * (that file there, or nothing but the lock file; the lock free: its process died) deletes it and
 * starts over; one that finds it locked reports that another backup to that target is running;
 * one that finds a directory of that name holding anything else refuses to touch it. Why the file
 * stays in the copy: a marker removed just before the rename would, after a kill between the two,
 * leave a directory that no later backup recognises (BackupKillTest found that window).
 */
final class BackupDirectory implements AutoCloseable {
    static final String SUFFIX = ".backup-in-progress";
    /** What the copy is a backup of; written first, kept in the copy. */
    static final String INFO = "backup-info";

    private final Path target;
    private final Path temporary;
    private final DirectoryLock lock;
    private boolean installed;
    private boolean closed;

    private BackupDirectory(Path target, Path temporary, DirectoryLock lock) {
        this.target = target;
        this.temporary = temporary;
        this.lock = lock;
    }

    /**
     * Checks {@code target} (it must not exist; its parent must) and prepares the temporary
     * directory beside it, writing {@code description} into its {@value #INFO} file. Nothing is
     * created when the target is refused.
     *
     * @throws IllegalArgumentException naming the target when it exists or its parent does not
     */
    static BackupDirectory create(Path target, String description) {
        Path absolute = absolute(target);
        Path parent = absolute.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("backup target " + target + " has no parent directory");
        }
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("backup target " + target + " already exists: a backup is made into a"
                    + " new directory");
        }
        if (!Files.isDirectory(parent)) {
            throw new IllegalArgumentException("backup target " + target + ": its parent directory " + parent
                    + " does not exist");
        }
        Path temporary = parent.resolve(absolute.getFileName() + SUFFIX);
        if (Files.exists(temporary, LinkOption.NOFOLLOW_LINKS) && !leftByBackup(temporary)) {
            throw new IllegalArgumentException("backup target " + target + ": " + temporary
                    + " exists and was not left by a backup; remove it or choose another target");
        }
        DirectoryLock lock;
        try {
            lock = DirectoryLock.acquire(temporary);
        } catch (DatabaseLockedException e) {
            throw new GraphException("another backup to " + target + " is running (it holds " + temporary + ")", e);
        }
        try {
            deleteLeftovers(temporary);
            writeInfo(temporary.resolve(INFO), description);
            return new BackupDirectory(absolute, temporary, lock);
        } catch (IOException | RuntimeException e) {
            lock.abandon();
            deleteQuietly(temporary);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new GraphException("cannot prepare " + temporary + " for a backup: " + e.getMessage(), e);
        }
    }

    private static Path absolute(Path target) {
        if (target == null) {
            throw new IllegalArgumentException("backup target must not be null");
        }
        return target.toAbsolutePath().normalize();
    }

    /** The directory the copy is built in. */
    Path path() {
        return temporary;
    }

    private static void writeInfo(Path file, String description) throws IOException {
        ByteBuffer text = ByteBuffer.wrap((description + "\n").getBytes(StandardCharsets.UTF_8));
        try (FileChannel ch = InterruptSafeChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (text.hasRemaining()) {
                ch.write(text);
            }
            ch.force(true);
        }
    }

    /**
     * Makes the finished copy the target: forces the temporary directory and its subdirectories
     * (the files in them were forced by their writers), renames it to the target and forces the
     * parent directory.
     */
    void install() {
        try {
            try (Stream<Path> all = Files.walk(temporary)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        forceDirectory(p);
                    }
                }
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new GraphException("backup target " + target + " appeared while the backup ran; the copy was"
                        + " discarded");
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            installed = true;
            forceDirectory(target.getParent());
        } catch (IOException e) {
            throw new GraphException((installed ? "backup " + target + " was made, but its directory entry may not"
                    + " survive a power loss: " : "cannot install backup " + target + ": ") + e.getMessage(), e);
        } finally {
            if (installed) {
                close();
            }
        }
    }

    /** Releases the temporary directory; if the copy was not installed, deletes it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (installed) {
            lock.close(); // its file now lies in the copy, as in any closed database
            return;
        }
        try {
            deleteLeftovers(temporary);
        } catch (IOException ignored) {
            // what is left is removed by the next backup to this target
        }
        lock.abandon();
        deleteQuietly(temporary.resolve(DirectoryLock.FILE_NAME));
        deleteQuietly(temporary);
    }

    /** A directory a backup made: it holds the info file, or nothing but a lock file (died before writing it). */
    private static boolean leftByBackup(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (Files.exists(dir.resolve(INFO))) {
            return true;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!p.getFileName().toString().equals(DirectoryLock.FILE_NAME)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes everything in {@code dir} but its lock file. */
    private static void deleteLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!p.getFileName().toString().equals(DirectoryLock.FILE_NAME)) {
                    deleteTree(p);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(root);
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // left for the next backup to this target
        }
    }

    /** Forces a directory's entries (platforms that cannot open a directory skip it). */
    static void forceDirectory(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = InterruptSafeChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            return;
        }
        try (ch) {
            ch.force(true);
        }
    }
}
