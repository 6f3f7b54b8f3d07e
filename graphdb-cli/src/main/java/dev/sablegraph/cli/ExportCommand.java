package dev.sablegraph.cli;

import dev.sablegraph.cli.csv.CsvFormat;
import dev.sablegraph.cli.export.CsvExport;
import dev.sablegraph.cli.export.ExportSummary;
import dev.sablegraph.cli.export.GraphsonExport;
import dev.sablegraph.cli.scan.GraphScan;
import dev.sablegraph.concurrent.ConcurrentGraphDB;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sable export}: the whole graph, in one snapshot, as CSV (the import format) or GraphSON 3. */
@Command(name = "export", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Writes a database's graph, as of one snapshot.",
                "csv: FILE is a directory that gets nodes.csv and relationships.csv in the import format (importing"
                        + " them gives the same graph).",
                "graphson: FILE is a file of GraphSON 3.0 lines, one vertex with its edges per line (TinkerPop's"
                        + " adjacency list)."})
final class ExportCommand implements Callable<Integer> {
    /** The formats. */
    enum Format { csv, graphson }

    @Spec
    private CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "The database directory.")
    Path from;

    @Option(names = "--to", required = true, paramLabel = "FILE",
            description = "csv: a directory (created if missing; its nodes.csv and relationships.csv must not exist);"
                    + " graphson: a file that must not exist.")
    Path to;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "csv or graphson.")
    Format format;

    @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",",
            description = "csv: field delimiter (default: ${DEFAULT-VALUE}).")
    String delimiter;

    @Option(names = "--array-delimiter", paramLabel = "CHAR", defaultValue = ";",
            description = "csv: delimiter of array elements and labels (default: ${DEFAULT-VALUE}).")
    String arrayDelimiter;

    @Mixin
    DatabaseOptions database;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() {
        CsvFormat csv = csvFormat();
        if (format == Format.graphson && Files.exists(to)) {
            throw new IllegalArgumentException(to + " exists: export never overwrites a file");
        }
        ExportSummary summary;
        try (ConcurrentGraphDB db = database.open(from); GraphScan scan = GraphScan.begin(db)) {
            summary = format == Format.csv
                    ? CsvExport.run(scan, to, csv, quiet.showProgress())
                    : GraphsonExport.run(scan, to, quiet.showProgress());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Exported %,d nodes and %,d edges from %s to %s%n", summary.nodes(), summary.edges(), from,
                String.join(", ", summary.files().stream().map(Path::toString).toList()));
        out.flush();
        return 0;
    }

    private CsvFormat csvFormat() {
        try {
            return new CsvFormat(CsvFormat.parseDelimiter("--delimiter", delimiter),
                    CsvFormat.parseDelimiter("--array-delimiter", arrayDelimiter));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
