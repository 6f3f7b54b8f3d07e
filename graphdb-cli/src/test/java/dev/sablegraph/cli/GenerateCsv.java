package dev.sablegraph.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a generated graph as import CSV, for measuring {@code sable import}: nodes with three
 * labels in a 6:3:1 mix and five properties (string, int, double, boolean, string), relationships
 * of three types whose endpoints follow a power law (a few nodes have most edges, as in social and
 * web graphs), with one int property. Seeded, so a size always gives the same files.
 *
 * <pre>java -cp graphdb-cli/target/test-classes dev.sablegraph.cli.GenerateCsv DIR NODES EDGES [string-ids]</pre>
 *
 * Writes {@code DIR/nodes.csv} and {@code DIR/relationships.csv}; ids are decimal numbers, or
 * strings ({@code p-<n>}) with {@code string-ids}.
 */
public final class GenerateCsv {
    private static final String[] LABELS = {"Person", "Person", "Person", "Person", "Person", "Person", "Company",
            "Company", "Company", "Place"};
    private static final String[] TYPES = {"KNOWS", "WORKS_AT", "LIKES"};
    private static final String[] CITIES = {"Paris", "Lyon", "Berlin", "Oslo", "Lima", "Kyoto", "Perth", "Quito"};

    private GenerateCsv() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: GenerateCsv DIR NODES EDGES [string-ids]");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        long nodes = Long.parseLong(args[1]);
        long edges = Long.parseLong(args[2]);
        boolean stringIds = args.length > 3 && args[3].equals("string-ids");
        SplittableRandom random = new SplittableRandom(42);
        try (Writer out = writer(dir.resolve("nodes.csv"))) {
            out.write(":ID,:LABEL,name,age:int,score:double,active:boolean,city\n");
            StringBuilder line = new StringBuilder(128);
            for (long i = 0; i < nodes; i++) {
                line.setLength(0);
                id(line, i, stringIds).append(',').append(LABELS[(int) (i % LABELS.length)]).append(",name-").append(i)
                        .append(',').append(18 + random.nextInt(80)).append(',').append(random.nextInt(100_000) / 100.0)
                        .append(',').append(random.nextBoolean()).append(',').append(CITIES[random.nextInt(CITIES.length)])
                        .append('\n');
                out.append(line);
            }
        }
        try (Writer out = writer(dir.resolve("relationships.csv"))) {
            out.write(":START_ID,:END_ID,:TYPE,weight:int\n");
            StringBuilder line = new StringBuilder(64);
            for (long i = 0; i < edges; i++) {
                line.setLength(0);
                id(line, random.nextLong(nodes), stringIds).append(',');
                id(line, powerLaw(random, nodes), stringIds).append(',').append(TYPES[random.nextInt(TYPES.length)])
                        .append(',').append(random.nextInt(1000)).append('\n');
                out.append(line);
            }
        }
    }

    /** A node id where id k is chosen with probability about proportional to 1/(k+1): a long tail. */
    private static long powerLaw(SplittableRandom random, long nodes) {
        double u = random.nextDouble();
        return Math.min(nodes - 1, (long) Math.floor(Math.pow(nodes + 1.0, u)) - 1);
    }

    private static StringBuilder id(StringBuilder line, long id, boolean stringIds) {
        return stringIds ? line.append("p-").append(id) : line.append(id);
    }

    private static Writer writer(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 20);
    }
}
