package dev.sablegraph.cli.export;

import dev.sablegraph.cli.console.Progress;
import dev.sablegraph.cli.csv.CsvFormat;
import dev.sablegraph.cli.csv.CsvWriter;
import dev.sablegraph.cli.scan.GraphScan;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code sable export --format csv}: {@code nodes.csv} and {@code relationships.csv} in the
 * import format, so that importing them gives the same graph: the same labels, types and property
 * values (with their types), node for node in id order (ids are renumbered densely from 0), edge
 * for edge. Nodes are written {@code :ID,:LABEL,key:type...} with the database's id as {@code :ID},
 * relationships {@code :START_ID,:END_ID,:TYPE,key:type...}.
 *
 * <p>Two passes over the graph in one snapshot: the first finds the property columns and refuses
 * what the format cannot carry (a label or string array element holding the array delimiter)
 * before anything is written; the second writes. Memory holds the column names and one node's
 * edges.
 */
public final class CsvExport {
    public static final String NODES_FILE = "nodes.csv";
    public static final String RELATIONSHIPS_FILE = "relationships.csv";

    private CsvExport() {}

    /** Exports into {@code directory} (created if missing; its two files must not exist yet). */
    public static ExportSummary run(GraphScan scan, Path directory, CsvFormat format, boolean showProgress) {
        Path nodesFile = directory.resolve(NODES_FILE);
        Path relationshipsFile = directory.resolve(RELATIONSHIPS_FILE);
        for (Path p : List.of(nodesFile, relationshipsFile)) {
            if (Files.exists(p)) {
                throw new IllegalArgumentException(p + " exists: export never overwrites a file");
            }
        }
        char arrayDelimiter = format.arrayDelimiter();
        PropertyColumns nodeColumns = new PropertyColumns(arrayDelimiter);
        PropertyColumns edgeColumns = new PropertyColumns(arrayDelimiter);
        try (Progress progress = Progress.start(showProgress, "export (columns)", scan.nodeCount(), "nodes", 1)) {
            long[] seen = {0};
            scan.forEachNode(n -> {
                for (String label : n.labels()) {
                    if (label.indexOf(arrayDelimiter) >= 0) {
                        throw new IllegalArgumentException("node " + n.id() + ": label '" + label + "' holds the array"
                                + " delimiter '" + arrayDelimiter + "': export with another --array-delimiter");
                    }
                }
                nodeColumns.add("node " + n.id(), n.properties());
                for (Edge e : outgoing(scan, n)) {
                    edgeColumns.add("edge " + e.id(), e.properties());
                }
                progress.stepTo(++seen[0]);
            });
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        ExportSummary summary = new ExportSummary();
        boolean done = false;
        try (CsvWriter nodes = CsvWriter.create(nodesFile, format);
                CsvWriter edges = CsvWriter.create(relationshipsFile, format);
                Progress progress = Progress.start(showProgress, "export", scan.nodeCount(), "nodes", 1)) {
            header(nodes, List.of(":ID", ":LABEL"), nodeColumns.header());
            header(edges, List.of(":START_ID", ":END_ID", ":TYPE"), edgeColumns.header());
            scan.forEachNode(n -> {
                nodes.value(Long.toString(n.id()));
                if (n.labels().isEmpty()) {
                    nodes.absent();
                } else {
                    nodes.value(String.join(String.valueOf(arrayDelimiter), new TreeSet<>(n.labels())));
                }
                nodeColumns.write(nodes, n.properties());
                nodes.endRecord();
                summary.nodes++;
                for (Edge e : outgoing(scan, n)) {
                    edges.value(Long.toString(e.from())).value(Long.toString(e.to())).value(e.type());
                    edgeColumns.write(edges, e.properties());
                    edges.endRecord();
                    summary.edges++;
                }
                progress.stepTo(summary.nodes);
            });
            done = true;
        } finally {
            if (!done) {
                deleteQuietly(nodesFile);
                deleteQuietly(relationshipsFile);
            }
        }
        summary.files.add(nodesFile);
        summary.files.add(relationshipsFile);
        return summary;
    }

    private static List<Edge> outgoing(GraphScan scan, Node n) {
        return scan.transaction().edges(n.id(), Direction.OUTGOING, null);
    }

    private static void header(CsvWriter out, List<String> fixed, List<String> properties) {
        List<String> all = new ArrayList<>(fixed);
        all.addAll(properties);
        all.forEach(out::value);
        out.endRecord();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // the export failed already; that error is the one to report
        }
    }
}
