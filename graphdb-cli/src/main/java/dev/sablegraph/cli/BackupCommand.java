package dev.sablegraph.cli;

import dev.sablegraph.cli.files.OfflineBackup;
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
 * (which recovers it if it crashed), checkpointed and closed, so that its data file holds every
 * commit; then its files are copied under its lock ({@link OfflineBackup}).
 */
@Command(name = "backup", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Copies a database that no process holds into a new directory; the copy opens as a database"
                + " of its own.",
                "The database is opened (recovering it if needed), checkpointed and closed, then its files are copied"
                        + " while its lock is held."})
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
        database.open(from).close(); // close checkpoints: the data file then holds every commit
        long bytes = OfflineBackup.copy(from, to);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Backed up %s to %s (%,.1f MiB)%n", from, to, bytes / (double) (1 << 20));
        out.flush();
        return 0;
    }
}
