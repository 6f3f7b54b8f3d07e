package dev.sablegraph.cli;

import dev.sablegraph.cli.files.DirectoryFiles;
import dev.sablegraph.cli.scan.GraphScan;
import dev.sablegraph.cli.stats.GraphStats;
import dev.sablegraph.concurrent.ConcurrentGraphDB;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sable stats DIR}: counts, degrees and file sizes. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Prints a database's counts (nodes, edges, nodes per label, edges per type), its degree"
                + " distribution, the sizes of its files and the page cache that holds its data file whole.")
final class StatsCommand implements Callable<Integer> {
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
        GraphStats stats;
        try (ConcurrentGraphDB db = database.open(dir); GraphScan scan = GraphScan.begin(db)) {
            stats = GraphStats.of(scan, quiet.showProgress());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Database " + dir);
        stats.print(out);
        out.println("Files");
        long total = 0;
        for (Path p : entries(dir)) {
            long size = DirectoryFiles.treeSize(p);
            total += size;
            out.printf("  %-16s %s%n", p.getFileName() + (Files.isDirectory(p) ? "/" : ""), mib(size));
        }
        out.printf("  %-16s %s%n", "total", mib(total));
        long data = DirectoryFiles.treeSize(dir.resolve(DatabaseOptions.DATA_FILE));
        out.printf("Page cache: the data file is %s; a page cache at least that large (--page-cache here,"
                + " GraphConfig.pageCacheBytes in an application; default 128 MiB) holds it whole.%n", mib(data));
        out.flush();
        return 0;
    }

    private static List<Path> entries(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String mib(long bytes) {
        return String.format("%,.1f MiB", bytes / (double) (1 << 20));
    }
}
