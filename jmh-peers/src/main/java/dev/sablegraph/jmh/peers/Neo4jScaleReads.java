package dev.sablegraph.jmh.peers;

import dev.sablegraph.jmh.scale.ScaleDataset;
import dev.sablegraph.jmh.scale.ScaleReads;
import dev.sablegraph.jmh.scale.ScaleRun;
import dev.sablegraph.jmh.scale.ScaleVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.NotFoundException;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.pagecache.tracing.PageCacheTracer;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * {@code ScaleRun}'s read phases on Neo4j embedded (5.26, community), on the same graph: the
 * database {@link ImportPeer} (Neo4j's {@code neo4j-admin database import full}) wrote from
 * {@code ScaleCsv}'s files, the ones {@code sable import} reads for Sable. Dataset node {@code i} is
 * Neo4j node id {@code i}, as it is Sable node id {@code i}, when the importer numbers the nodes in
 * the order of the CSV rows: {@code sable import} always does, Neo4j's importer only with
 * {@code --threads=1} (with its default two worker threads on 10M nodes, node id 9,999,999 got the
 * row of node 9,963,723). So import with {@code ImportPeer CSV_DIR NEO4J_HOME --id-type=INTEGER
 * --threads=1}. Every read checks the node's name, and nodes {@code 0} and {@code N - 1} are checked
 * and node {@code N} must be missing before the phases start.
 *
 * <pre>
 * java -Xmx600m --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
 *     --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
 *     -cp jmh-peers/target/peers-benchmarks.jar dev.sablegraph.jmh.peers.Neo4jScaleReads \
 *     --nodes 10M --home NEO4J_HOME --cache-mb 890 [--json out.json] [--warmup-seconds 10] [--measure-seconds 20]
 *     [--threads 2] [--edges-per-node 5] [--verify] [--note TEXT]
 * </pre>
 *
 * <p>{@code NEO4J_HOME} is the home ImportPeer wrote (the database in {@code data/databases/neo4j}).
 * Neo4j runs with its defaults but the page cache ({@code server.memory.pagecache.size} =
 * {@code --cache-mb}). A read is what ScaleRun times, through {@link ScaleReads} (the same random
 * ids, phases, histogram and result fields): begin, {@code getNodeById(i)}, its labels and all its
 * properties (a Sable {@code getNode} returns both), check the name, close (no commit, as in Sable).
 * Page cache figures are from Neo4j's page cache tracer (hits and faults). {@code --verify} checks
 * the whole graph against the dataset (every node's labels and properties, its outgoing edges, and
 * the node count) instead of measuring reads. The JVM flags are those of Neo4j's {@code neo4j.conf}
 * that its page cache needs (see {@link Neo4jConcurrentThroughput#JVM_FLAGS}); without them the run
 * stops. Output as ScaleRun's: progress, a {@code RESULT} line of JSON, {@code --json FILE}.
 */
public final class Neo4jScaleReads {
    private Neo4jScaleReads() {}

    /** Command-line settings. */
    record Options(long nodes, int edgesPerNode, long cacheBytes, Path home, double warmupSeconds, double measureSeconds,
            int threads, Path json, boolean verify, String note) {

        static Options parse(String[] args) {
            long nodes = -1;
            int edgesPerNode = 5;
            long cacheMb = -1;
            Path home = null;
            double warmup = 10;
            double measure = 20;
            int threads = 2;
            Path json = null;
            boolean verify = false;
            String note = "";
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--nodes" -> nodes = ScaleRun.parseCount(value(args, ++i, a));
                    case "--edges-per-node" -> edgesPerNode = Integer.parseInt(value(args, ++i, a));
                    case "--cache-mb" -> cacheMb = Long.parseLong(value(args, ++i, a));
                    case "--home" -> home = Path.of(value(args, ++i, a));
                    case "--warmup-seconds" -> warmup = Double.parseDouble(value(args, ++i, a));
                    case "--measure-seconds" -> measure = Double.parseDouble(value(args, ++i, a));
                    case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                    case "--json" -> json = Path.of(value(args, ++i, a));
                    case "--verify" -> verify = true;
                    case "--note" -> note = value(args, ++i, a);
                    default -> throw new IllegalArgumentException("unknown argument " + a + " (use --nodes, --home, "
                            + "--cache-mb, --warmup-seconds, --measure-seconds, --threads, --json, --edges-per-node, "
                            + "--verify, --note)");
                }
            }
            if (nodes < 2 || nodes > Integer.MAX_VALUE || home == null || cacheMb <= 0) {
                throw new IllegalArgumentException("--nodes N (2 to 2^31 - 1), --home NEO4J_HOME and --cache-mb M are required");
            }
            if (threads < 1 || warmup < 0 || measure <= 0 || edgesPerNode < 0) {
                throw new IllegalArgumentException("--threads must be positive, --warmup-seconds and --edges-per-node "
                        + "not negative, --measure-seconds positive");
            }
            return new Options(nodes, edgesPerNode, cacheMb << 20, home, warmup, measure, threads, json, verify, note);
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path store = o.home().resolve("data").resolve("databases").resolve(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        Path txLogs = o.home().resolve("data").resolve("transactions").resolve(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!Files.isDirectory(store)) {
            throw new IllegalStateException(store + " does not exist: import the dataset with ImportPeer first");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "Neo4jScaleReads");
        result.put("formatVersion", 1L);
        result.put("timestamp", Instant.now().toString());
        result.put("note", o.note());
        result.put("engine", "neo4j " + Neo4jDataset.NEO4J_VERSION + " community, embedded");
        result.put("nodes", o.nodes());
        result.put("edgesPerNode", (long) o.edgesPerNode());
        result.put("edges", o.nodes() * o.edgesPerNode());
        result.put("seed", ScaleDataset.SEED);
        result.put("pageCacheBytes", o.cacheBytes());
        result.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        result.put("cores", (long) Runtime.getRuntime().availableProcessors());
        result.put("jvmLimits", ScaleRun.jvmLimits());
        ScaleRun.log("start: %s, loadavg %s", o, ScaleRun.loadavg());
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("imported", true);
        load.put("firstNodeId", 0L);
        result.put("load", load);
        result.put("dataBytes", ScaleRun.directorySize(store));
        result.put("transactionLogBytes", Files.isDirectory(txLogs) ? ScaleRun.directorySize(txLogs) : 0L);
        result.put("files", ScaleRun.fileSizes(store));
        result.put("memoryAfterLoad", ScaleRun.memory(o.cacheBytes()));
        result.put("complete", true);

        int n = (int) o.nodes();
        long t0 = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(o.home())
                .setConfig(GraphDatabaseSettings.pagecache_memory, o.cacheBytes())
                .build();
        try {
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            Neo4jConcurrentThroughput.requireJvmFlags(o.home());
            result.put("openSeconds", (System.nanoTime() - t0) / 1e9);
            result.put("memoryAfterOpen", ScaleRun.memory(o.cacheBytes()));
            checkSize(db, n);
            if (o.verify()) {
                result.put("verified", verify(db, n, o.edgesPerNode()));
            } else {
                PageCacheTracer tracer = pageCacheTracer(db);
                ScaleReads.phases(i -> readOne(db, i), n, o.warmupSeconds(), o.measureSeconds(), o.threads(),
                        tracer == null ? null : () -> new ScaleReads.CacheCounts(tracer.hits(), tracer.faults()), result);
                if (tracer != null) {
                    result.put("pageCacheFrames", tracer.maxPages());
                }
            }
        } finally {
            dbms.shutdown();
        }
        ScaleRun.report(result, o.cacheBytes(), o.json());
    }

    /** The timed read: begin, {@code getNodeById}, labels and properties, check the name, close. */
    private static long readOne(GraphDatabaseService db, int i) {
        long sink = 0;
        try (Transaction tx = db.beginTx()) {
            Node node = tx.getNodeById(i);
            Map<String, Object> properties = node.getAllProperties();
            Object name = properties.get("name");
            if (!ScaleReads.nameMatches(name, i)) {
                throw ScaleReads.wrongNode(i, name, i);
            }
            for (Label l : node.getLabels()) {
                sink += l.name().hashCode();
            }
            for (Object v : properties.values()) {
                sink += v.hashCode();
            }
        }
        return sink;
    }

    /** Neo4j's page cache tracer (its hit and fault counters), or null when it cannot be found. */
    private static PageCacheTracer pageCacheTracer(GraphDatabaseService db) {
        try {
            return ((GraphDatabaseAPI) db).getDependencyResolver().resolveDependency(PageCacheTracer.class);
        } catch (RuntimeException e) {
            ScaleRun.log("no page cache counters (%s): page cache figures are NaN", e);
            return null;
        }
    }

    /** Nodes 0 and n - 1 are the dataset's (by name), and there is no node n. */
    private static void checkSize(GraphDatabaseService db, int n) {
        try (Transaction tx = db.beginTx()) {
            for (int i : new int[] {0, n - 1}) {
                Object name;
                try {
                    name = tx.getNodeById(i).getProperty("name", null);
                } catch (NotFoundException e) {
                    throw new IllegalStateException("node " + i + " missing: the database holds fewer than --nodes " + n
                            + " nodes", e);
                }
                if (!ScaleReads.nameMatches(name, i)) {
                    throw new IllegalStateException(ScaleReads.wrongNode(i, name, i).getMessage() + ": the nodes are not "
                            + "numbered in CSV row order (import with --threads=1)");
                }
            }
            try {
                tx.getNodeById(n);
                throw new IllegalStateException("the database holds more than --nodes " + n + " nodes");
            } catch (NotFoundException expected) {
                // as it should be
            }
        }
    }

    /** Checks the whole graph against the dataset ({@link ScaleVerifier}), and that it holds no more nodes. */
    private static Map<String, Object> verify(GraphDatabaseService db, int n, int edgesPerNode) {
        Map<String, Object> verified = ScaleVerifier.verify((from, to, check) -> {
            try (Transaction tx = db.beginTx()) {
                for (int i = from; i < to; i++) {
                    Node node = tx.getNodeById(i);
                    Set<String> labels = new HashSet<>();
                    node.getLabels().forEach(l -> labels.add(l.name()));
                    List<ScaleVerifier.StoredEdge> out = new ArrayList<>();
                    for (Relationship r : node.getRelationships(Direction.OUTGOING)) {
                        out.add(new ScaleVerifier.StoredEdge(r.getType().name(), r.getAllProperties(), r.getEndNodeId()));
                    }
                    check.accept(new ScaleVerifier.StoredNode(labels, node.getAllProperties(), out), i);
                }
            }
        }, 0, n, edgesPerNode);
        long count;
        try (Transaction tx = db.beginTx()) {
            count = tx.getAllNodes().stream().count();
        }
        if (count != n) {
            throw new IllegalStateException("the database holds " + count + " nodes, the dataset " + n);
        }
        return verified;
    }
}
