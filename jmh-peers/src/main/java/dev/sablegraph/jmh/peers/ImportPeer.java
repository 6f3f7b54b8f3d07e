package dev.sablegraph.jmh.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;

/**
 * Neo4j's bulk importer on the CSV files {@code GenerateCsv} (graphdb-cli test sources) or {@code ScaleCsv} writes, the
 * peer of {@code sable import}: it runs {@code neo4j-admin database import full} (Neo4j's own
 * {@link AdminTool}, the same code path as the shell command) into a fresh Neo4j home, and prints
 * the wall time of the import.
 *
 * <pre>
 * java -Xmx1g JVM_FLAGS -cp jmh-peers/target/peers-benchmarks.jar dev.sablegraph.jmh.peers.ImportPeer \
 *     CSV_DIR NEO4J_HOME [more options of neo4j-admin database import full]
 * </pre>
 *
 * {@code CSV_DIR} holds {@code nodes.csv} and {@code relationships.csv}; {@code NEO4J_HOME} must
 * not exist (the database is written to {@code NEO4J_HOME/data/databases/neo4j}). {@code JVM_FLAGS}
 * are the ones Neo4j's shipped {@code neo4j.conf} gives its JVMs ({@code server.jvm.additional}),
 * {@link #JVM_FLAGS}: without the {@code --add-opens} its page cache takes a slow path. The exit
 * code is the command's (0 on success).
 */
public final class ImportPeer {
    /** The {@code server.jvm.additional} lines of Neo4j 5.26's default neo4j.conf that matter to a batch job. */
    public static final List<String> JVM_FLAGS = List.of("-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow",
            "-XX:+AlwaysPreTouch", "-XX:+UnlockExperimentalVMOptions", "-XX:+TrustFinalNonStaticFields",
            "-XX:+DisableExplicitGC", "-Djdk.nio.maxCachedBufferSize=1024",
            Neo4jConcurrentThroughput.ADD_OPENS_NIO, Neo4jConcurrentThroughput.ADD_OPENS_IO,
            Neo4jConcurrentThroughput.ADD_OPENS_NIO_CH, Neo4jConcurrentThroughput.NATIVE_ACCESS);

    private ImportPeer() {}

    /** Runs the import; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ImportPeer CSV_DIR NEO4J_HOME [options of neo4j-admin database import full]");
            System.err.println("JVM flags of neo4j.conf: " + String.join(" ", JVM_FLAGS));
            System.exit(2);
        }
        Path csv = Path.of(args[0]);
        Path home = Path.of(args[1]);
        if (Files.exists(home)) {
            System.err.println("ImportPeer: " + home + " exists; give a fresh directory");
            System.exit(2);
        }
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.createFile(conf.resolve("neo4j.conf")); // the defaults, as a fresh installation has them
        // the database name first: the file options take any number of values
        List<String> command = new ArrayList<>(List.of("database", "import", "full", "neo4j",
                "--nodes=" + csv.resolve("nodes.csv"), "--relationships=" + csv.resolve("relationships.csv")));
        command.addAll(List.of(args).subList(2, args.length));
        System.out.println("neo4j-admin " + String.join(" ", command));
        long start = System.nanoTime();
        int exit;
        try (DefaultFileSystemAbstraction fs = new DefaultFileSystemAbstraction()) {
            exit = AdminTool.execute(new ExecutionContext(home, conf, System.out, System.err, fs),
                    command.toArray(new String[0]));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(String.format(Locale.ROOT, "ImportPeer: exit %d, import took %.1f s wall (Neo4j %s)",
                exit, seconds, Neo4jDataset.NEO4J_VERSION));
        System.exit(exit);
    }
}
