package dev.sablegraph.stress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Guards {@code --dir}: a missing directory is created; an empty one is used; one holding a Sable
 * database is reused only if the stress tool made it (checked once it is open, see
 * {@link Fixture#setUpOrFind}); anything else is refused, so a typo cannot scribble over a user's
 * files.
 */
final class DatabaseDirectory {
    /** The data file every Sable database directory has. */
    static final String DATA_FILE = "data.sable";

    private DatabaseDirectory() {}

    /** Returns true when the directory is new or empty: the fixture may be created in it. */
    static boolean prepare(Path dir) throws UsageException {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir);
                return true;
            }
            if (!Files.isDirectory(dir)) {
                throw new UsageException("--dir: " + dir + " is not a directory");
            }
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isEmpty()) {
                    return true;
                }
            }
            if (!Files.exists(dir.resolve(DATA_FILE))) {
                throw new UsageException("--dir: " + dir + " is not empty and holds no Sable database (no "
                        + DATA_FILE + "); give a new or empty directory");
            }
            return false;
        } catch (IOException e) {
            throw new UsageException("--dir: cannot use " + dir + ": " + e);
        }
    }
}
