package dev.sablegraph.cli.export;

import dev.sablegraph.cli.console.Progress;
import dev.sablegraph.cli.scan.GraphScan;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code sable export --format graphson}: GraphSON 3.0 in TinkerPop's adjacency-list form, the one
 * its {@code GraphSONReader.readGraph} and the Hadoop/Spark input formats read: one vertex per line,
 * a JSON object with its {@code id}, {@code label}, incoming edges ({@code inE}, by label, each with
 * {@code id}, {@code outV}, {@code properties}), outgoing edges ({@code outE}, with {@code inV}) and
 * vertex {@code properties} (each a list of {@code {id, value}}). Values carry GraphSON 3 types:
 * ids and {@code Long}s are {@code g:Int64}, {@code Double}s {@code g:Double}, lists
 * {@code g:List}, byte arrays {@code gx:ByteBuffer} (base64); strings and booleans are plain JSON.
 *
 * <p>A vertex has one label in TinkerPop: a node's labels are joined with {@code ::} in name
 * order (as TinkerPop's Neo4j provider does), and a node without labels is {@code vertex}. Vertex
 * property ids are numbered from 0 in the file. Memory holds one node's edges.
 */
public final class GraphsonExport {
    /** TinkerPop's label of a vertex that has none. */
    static final String DEFAULT_LABEL = "vertex";
    static final String LABEL_SEPARATOR = "::";

    private GraphsonExport() {}

    /** Writes the graph to {@code file}, which must not exist. */
    public static ExportSummary run(GraphScan scan, Path file, boolean showProgress) {
        ExportSummary summary = new ExportSummary();
        boolean done = false;
        long[] propertyIds = {0};
        try (Writer out = new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                StandardCharsets.UTF_8), 1 << 16);
                Progress progress = Progress.start(showProgress, "export", scan.nodeCount(), "nodes", 1)) {
            StringBuilder line = new StringBuilder(1024);
            scan.forEachNode(n -> {
                line.setLength(0);
                List<Edge> in = scan.transaction().edges(n.id(), Direction.INCOMING, null);
                List<Edge> outgoing = scan.transaction().edges(n.id(), Direction.OUTGOING, null);
                vertex(line, n, in, outgoing, propertyIds);
                line.append('\n');
                try {
                    out.append(line);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
                }
                summary.nodes++;
                summary.edges += outgoing.size();
                progress.stepTo(summary.nodes);
            });
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // the export failed already; that error is the one to report
                }
            }
        }
        summary.files.add(file);
        return summary;
    }

    /** One vertex line (without its line break). */
    static void vertex(StringBuilder out, Node n, List<Edge> in, List<Edge> outgoing, long[] propertyIds) {
        out.append("{\"id\":");
        int64(out, n.id());
        out.append(",\"label\":");
        JsonText.string(out, label(n));
        if (!in.isEmpty()) {
            out.append(",\"inE\":");
            edges(out, in, "outV", true);
        }
        if (!outgoing.isEmpty()) {
            out.append(",\"outE\":");
            edges(out, outgoing, "inV", false);
        }
        if (!n.properties().isEmpty()) {
            out.append(",\"properties\":{");
            boolean first = true;
            for (Map.Entry<String, Object> p : new TreeMap<>(n.properties()).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                JsonText.string(out, p.getKey()).append(":[{\"id\":");
                int64(out, propertyIds[0]++);
                out.append(",\"value\":");
                value(out, p.getValue());
                out.append("}]");
            }
            out.append('}');
        }
        out.append('}');
    }

    static String label(Node n) {
        return n.labels().isEmpty() ? DEFAULT_LABEL : String.join(LABEL_SEPARATOR, new TreeSet<>(n.labels()));
    }

    /** Edges by label: {@code {"TYPE":[{"id":..,"outV"|"inV":..,"properties":{..}}, ..], ..}}. */
    private static void edges(StringBuilder out, List<Edge> edges, String otherEnd, boolean incoming) {
        Map<String, List<Edge>> byType = new LinkedHashMap<>();
        for (Edge e : edges) {
            byType.computeIfAbsent(e.type(), t -> new java.util.ArrayList<>()).add(e);
        }
        out.append('{');
        boolean firstType = true;
        for (Map.Entry<String, List<Edge>> t : byType.entrySet()) {
            if (!firstType) {
                out.append(',');
            }
            firstType = false;
            JsonText.string(out, t.getKey()).append(":[");
            boolean first = true;
            for (Edge e : t.getValue()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append("{\"id\":");
                int64(out, e.id());
                out.append(",\"").append(otherEnd).append("\":");
                int64(out, incoming ? e.from() : e.to());
                if (!e.properties().isEmpty()) {
                    out.append(",\"properties\":{");
                    boolean firstProperty = true;
                    for (Map.Entry<String, Object> p : new TreeMap<>(e.properties()).entrySet()) {
                        if (!firstProperty) {
                            out.append(',');
                        }
                        firstProperty = false;
                        JsonText.string(out, p.getKey()).append(':');
                        value(out, p.getValue());
                    }
                    out.append('}');
                }
                out.append('}');
            }
            out.append(']');
        }
        out.append('}');
    }

    /** A property value with its GraphSON 3 type. */
    static void value(StringBuilder out, Object v) {
        if (v instanceof String s) {
            JsonText.string(out, s);
        } else if (v instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (v instanceof Long l) {
            int64(out, l);
        } else if (v instanceof Double d) {
            out.append("{\"@type\":\"g:Double\",\"@value\":");
            if (d.isNaN() || d.isInfinite()) {
                JsonText.string(out, d.toString()); // "NaN", "Infinity", "-Infinity", as TinkerPop writes them
            } else {
                out.append(d.doubleValue());
            }
            out.append('}');
        } else if (v instanceof byte[] bytes) {
            out.append("{\"@type\":\"gx:ByteBuffer\",\"@value\":");
            JsonText.string(out, Base64.getEncoder().encodeToString(bytes)).append('}');
        } else if (v instanceof List<?> list) {
            out.append("{\"@type\":\"g:List\",\"@value\":[");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                value(out, list.get(i));
            }
            out.append("]}");
        } else {
            throw new IllegalArgumentException("no GraphSON type for a value of type " + v.getClass().getName());
        }
    }

    private static void int64(StringBuilder out, long v) {
        out.append("{\"@type\":\"g:Int64\",\"@value\":").append(v).append('}');
    }
}
