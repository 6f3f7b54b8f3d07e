package dev.sablegraph.jmh.scale;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes {@link ScaleRun}'s dataset ({@link ScaleDataset}: the same seed, the same random stream, the
 * same graph) as import CSV, for {@code sable import} and Neo4j's {@code neo4j-admin database import
 * full} alike, so that both engines get the graph ScaleRun loads through transactions.
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.sablegraph.jmh.scale.ScaleCsv --nodes 10M --out DIR [--edges-per-node 5]
 * </pre>
 *
 * <p>Writes {@code DIR/nodes.csv} ({@code :ID,:LABEL,name,group:long,score:double}, node {@code i} on
 * data row {@code i} with id {@code i}) and {@code DIR/relationships.csv}
 * ({@code :START_ID,:END_ID,:TYPE}, in ScaleRun's order); {@code DIR} must not hold them yet.
 * {@code sable import} numbers nodes densely from 0 in row order, and so does Neo4j's importer with
 * {@code --threads=1} (not with more: its worker threads interleave), so node {@code i} of the
 * dataset is the imported database's node {@code i} (the readers check its name); the {@code :ID}
 * column is not stored as a property. Scores are written with {@link Double#toString}, which reads
 * back to the same double.
 */
public final class ScaleCsv {
    private ScaleCsv() {}

    public static void main(String[] args) throws IOException {
        long nodes = -1;
        int edgesPerNode = ScaleRun.DEFAULT_EDGES_PER_NODE;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            switch (a) {
                case "--nodes" -> nodes = ScaleRun.parseCount(args[++i]);
                case "--edges-per-node" -> edgesPerNode = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + a + " (use --nodes, --out, --edges-per-node)");
            }
        }
        if (nodes < 2 || nodes > Integer.MAX_VALUE || out == null || edgesPerNode < 0) {
            throw new IllegalArgumentException("--nodes N (2 to 2^31 - 1) and --out DIR are required");
        }
        long start = System.nanoTime();
        write(out, (int) nodes, edgesPerNode);
        ScaleRun.log("wrote %,d nodes and %,d edges to %s in %.1f s (%,d + %,d bytes)", nodes, nodes * edgesPerNode, out,
                (System.nanoTime() - start) / 1e9, Files.size(out.resolve("nodes.csv")),
                Files.size(out.resolve("relationships.csv")));
    }

    /** Writes the dataset of {@code n} nodes into {@code dir} (created if missing). */
    public static void write(Path dir, int n, int edgesPerNode) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rnd = ScaleDataset.stream();
        try (Writer w = writer(dir.resolve("nodes.csv"))) {
            w.write(":ID,:LABEL,name,group:long,score:double\n");
            StringBuilder line = new StringBuilder(64);
            for (int i = 0; i < n; i++) {
                Map<String, Object> p = ScaleDataset.nodeProperties(i, rnd);
                line.setLength(0);
                line.append(i).append(',').append(ScaleDataset.label(i)).append(',').append((String) p.get("name"))
                        .append(',').append((long) (Long) p.get("group")).append(',')
                        .append((double) (Double) p.get("score")).append('\n');
                w.append(line);
            }
        }
        long total = (long) n * edgesPerNode;
        try (Writer w = writer(dir.resolve("relationships.csv"))) {
            w.write(":START_ID,:END_ID,:TYPE\n");
            StringBuilder line = new StringBuilder(32);
            for (long e = 0; e < total; e++) {
                int i = (int) (e / edgesPerNode);
                line.setLength(0);
                line.append(i).append(',').append(ScaleDataset.edgeTarget(i, n, rnd)).append(',')
                        .append(ScaleDataset.EDGE_TYPE).append('\n');
                w.append(line);
            }
        }
    }

    private static Writer writer(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW),
                StandardCharsets.UTF_8), 1 << 20);
    }
}
