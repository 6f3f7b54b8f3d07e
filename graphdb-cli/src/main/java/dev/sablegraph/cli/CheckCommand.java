package dev.sablegraph.cli;

import dev.sablegraph.cli.console.Progress;
import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.IntegrityReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sable check DIR}: the integrity check; exit code 1 when it finds damage. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Checks a database's integrity (every page's checksum, records, adjacency in both directions,"
                + " indexes against the data, free space) and prints the report.",
                "Exit code 0 when clean, 1 when damaged or the database cannot be opened."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The database directory.")
    Path dir;

    @Mixin
    DatabaseOptions database;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        IntegrityReport report;
        try (Progress progress = Progress.start(quiet.showProgress(), "check", -1, "", 1);
                ConcurrentGraphDB db = database.open(dir)) {
            report = db.checkIntegrity();
        } catch (CorruptionException e) {
            // damage found while opening (recovery reads the log and pages): that is the report
            out.println("Sable integrity report for " + dir);
            out.println("DAMAGED: the database cannot be opened: " + e.getMessage());
            out.flush();
            return SableCli.FAILED;
        }
        out.println("Sable integrity report for " + dir);
        out.print(report.toString().replaceFirst("^Sable integrity report\n", ""));
        out.flush();
        return report.isClean() ? 0 : SableCli.FAILED;
    }
}
