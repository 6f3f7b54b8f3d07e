package dev.sablegraph.cli.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/** File-system steps the commands share: emptiness, deleting a tree, forcing a directory. */
public final class DirectoryFiles {
    private DirectoryFiles() {}

    /** Whether {@code dir} is a directory with nothing in it. */
    public static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Forces a directory's entries (names created, renamed or deleted in it) to the disk, where the
     * platform allows opening a directory (Linux, macOS); elsewhere a no-op.
     */
    public static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory: its renames are durable by other means
        }
    }

    /** Forces a file's content to the disk. */
    public static void forceFile(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force " + file + " to disk: " + e.getMessage(), e);
        }
    }

    /**
     * Creates a new hidden directory beside {@code target} ({@code .NAME.PURPOSE-RANDOM}), to build
     * something in that is renamed to {@code target} when complete. Unlike a temporary directory
     * it gets the permissions any new directory gets.
     */
    public static Path createBuildDirectory(Path target, String purpose) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        try {
            Files.createDirectories(parent);
            for (;;) {
                Path candidate = parent.resolve("." + absolute.getFileName() + "." + purpose + "-"
                        + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36));
                try {
                    return Files.createDirectory(candidate);
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    // another name
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory in " + parent + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a tree, best effort: what cannot be deleted stays (a clean-up after a failure). */
    public static void deleteQuietly(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    /** The total size of the regular files under {@code root}. */
    public static long treeSize(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }
}
