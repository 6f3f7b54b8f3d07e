package dev.sablegraph.cli;

import dev.sablegraph.cli.files.DirectoryFiles;
import dev.sablegraph.concurrent.ConcurrentGraphDB;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sable backup}: a consistent copy of a database no process holds. The database is opened
 * (which recovers it if it crashed) and copied with {@link ConcurrentGraphDB#backup}, the online
 * backup an application takes of its own open database: the copy holds every commit and opens
 * with nothing to recover.
 */
@Command(name = "backup", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Copies a database that no process holds into a new directory; the copy opens as a database"
                + " of its own.",
                "The database is opened (recovering it if needed) and copied as ConcurrentGraphDB.backup copies a"
                        + " running database."})
final class BackupCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "The database directory.")
    Path from;

    @Option(names = "--to", required = true, paramLabel = "DIR2", description = "The copy: must not exist.")
    Path to;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        if (Files.exists(to)) {
            throw new IllegalArgumentException(to + " exists: a backup goes to a new directory");
        }
        try (ConcurrentGraphDB db = database.open(from)) {
            db.backup(to);
        }
        long bytes = DirectoryFiles.treeSize(to);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Backed up %s to %s (%,.1f MiB)%n", from, to, bytes / (double) (1 << 20));
        out.flush();
        return 0;
    }
}
