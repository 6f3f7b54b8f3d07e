package dev.sablegraph.cli;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.core.GraphConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How the commands that read a database open it: only a directory that holds a database (its data
 * file, {@code data.sable}, docs/file-format.md) is opened, never created, with a page cache of
 * {@code --page-cache}.
 */
final class DatabaseOptions {
    /** The data file every database directory holds. */
    static final String DATA_FILE = "data.sable";

    @Option(names = "--page-cache", paramLabel = "SIZE", converter = ByteSize.class, defaultValue = "128m",
            description = "Page cache for reading the database (default: ${DEFAULT-VALUE}); as large as the data"
                    + " file reads fastest.")
    long pageCache;

    /** Opens the database in {@code dir}, refusing a directory that holds none. */
    ConcurrentGraphDB open(Path dir) {
        requireDatabase(dir);
        return ConcurrentGraphDB.open(dir, GraphConfig.builder().pageCacheBytes(pageCache).build());
    }

    /** Refuses a path that is not a database directory, naming what is missing. */
    static void requireDatabase(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a database: " + (Files.exists(dir)
                    ? "not a directory" : "no such directory"));
        }
        if (!Files.isRegularFile(dir.resolve(DATA_FILE))) {
            throw new IllegalArgumentException(dir + " is not a database: it holds no " + DATA_FILE);
        }
    }
}
