package dev.sablegraph.cli;

import dev.sablegraph.cli.csv.CsvFormat;
import dev.sablegraph.cli.load.BulkImport;
import dev.sablegraph.cli.load.ImportOptions;
import dev.sablegraph.cli.load.ImportSummary;
import dev.sablegraph.cli.load.InputSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sable import}: offline bulk import of CSV files into a new database. */
@Command(name = "import", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Builds a new database from CSV files in the header format of neo4j-admin database import"
                + " full, bypassing transactions and the log.",
                "Header columns: :ID, name:ID, :ID(group), :LABEL, :START_ID(group), :END_ID(group), :TYPE, :IGNORE,"
                        + " and properties key, key:TYPE or key:TYPE[] with TYPE one of string, int, long, float,"
                        + " double, boolean, byte, short, char.",
                "Errors name the file, line and column; a failed import leaves no database behind."})
final class ImportCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--into", required = true, paramLabel = "DIR",
            description = "The database to create: a directory that does not exist or is empty.")
    Path into;

    @Option(names = "--nodes", required = true, paramLabel = "[LABEL[:LABEL...]=]FILE[,FILE...]",
            description = "Node files; the labels are given to every node. With several files the first file's"
                    + " first line is the header of all. Repeatable.")
    List<String> nodes = new ArrayList<>();

    @Option(names = "--relationships", paramLabel = "[TYPE=]FILE[,FILE...]",
            description = "Relationship files; TYPE is the type of records whose :TYPE is missing or empty."
                    + " Repeatable.")
    List<String> relationships = new ArrayList<>();

    @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",",
            description = "Field delimiter, one character or TAB (default: ${DEFAULT-VALUE}).")
    String delimiter;

    @Option(names = "--array-delimiter", paramLabel = "CHAR", defaultValue = ";",
            description = "Delimiter of array elements and of labels (default: ${DEFAULT-VALUE}).")
    String arrayDelimiter;

    @Option(names = "--skip-bad-relationships",
            description = "Skip (and count) relationships naming a node id that no node has, instead of failing.")
    boolean skipBadRelationships;

    @Option(names = "--skip-duplicate-nodes",
            description = "Skip (and count) nodes whose id an earlier node of the same id group has, instead of"
                    + " failing.")
    boolean skipDuplicateNodes;

    @Option(names = "--max-memory", paramLabel = "SIZE", converter = ByteSize.class,
            description = "Memory for the page cache (half, direct memory) and the id maps (half, heap);"
                    + " default: half the maximum heap.")
    Long maxMemory;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() {
        ImportOptions options = options();
        ImportSummary summary = BulkImport.run(options);
        summary.print(into, spec.commandLine().getOut());
        return CommandLine.ExitCode.OK;
    }

    /** The options, checked: a malformed one is a usage error (exit code 2). */
    private ImportOptions options() {
        try {
            CsvFormat format = new CsvFormat(CsvFormat.parseDelimiter("--delimiter", delimiter),
                    CsvFormat.parseDelimiter("--array-delimiter", arrayDelimiter));
            List<InputSpec> nodeSpecs = nodes.stream().map(v -> InputSpec.parse("--nodes", v, false)).toList();
            List<InputSpec> relationshipSpecs = relationships.stream()
                    .map(v -> InputSpec.parse("--relationships", v, true)).toList();
            long memory = maxMemory != null ? maxMemory
                    : Math.max(ImportOptions.MIN_MEMORY, Runtime.getRuntime().maxMemory() / 2);
            return new ImportOptions(into, nodeSpecs, relationshipSpecs, format, skipBadRelationships,
                    skipDuplicateNodes, memory, quiet.showProgress());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
