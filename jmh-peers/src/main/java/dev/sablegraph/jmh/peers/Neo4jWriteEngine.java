package dev.sablegraph.jmh.peers;

import dev.sablegraph.jmh.scale.WriteEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.TransientFailureException;
import org.neo4j.graphdb.schema.IndexType;

/**
 * Neo4j embedded (community, defaults but the page cache) as a {@link WriteEngine}: commits force
 * the transaction log (Neo4j's default). Neo4j's API does not count checkpoints; they are counted
 * from the lines its {@code logs/debug.log} writes when one of the {@code neo4j} database completes.
 */
final class Neo4jWriteEngine implements WriteEngine {
    private static final Label PERSON = Label.label("Person");
    private static final RelationshipType KNOWS = RelationshipType.withName("KNOWS");
    private final Path home;
    private final DatabaseManagementService dbms;
    private final GraphDatabaseService db;

    private Neo4jWriteEngine(Path home, DatabaseManagementService dbms) throws IOException {
        this.home = home;
        this.dbms = dbms;
        this.db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        Neo4jConcurrentThroughput.requireJvmFlags(home);
    }

    /** Opens Neo4j in {@code home}; {@code pageCacheBytes <= 0} keeps Neo4j's default page cache size. */
    static Neo4jWriteEngine open(Path home, long pageCacheBytes) throws IOException {
        DatabaseManagementServiceBuilder b = new DatabaseManagementServiceBuilder(home);
        if (pageCacheBytes > 0) {
            b.setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes);
        }
        return new Neo4jWriteEngine(home, b.build());
    }

    @Override
    public String name() {
        return "neo4j";
    }

    @Override
    public void createNameIndex() {
        try (Transaction tx = db.beginTx()) {
            tx.schema().indexFor(PERSON).on("name").withIndexType(IndexType.RANGE).withName("person_name").create();
            tx.commit();
        }
        try (Transaction tx = db.beginTx()) {
            tx.schema().awaitIndexesOnline(30, TimeUnit.MINUTES);
        }
    }

    @Override
    public Tx begin() {
        Transaction tx = db.beginTx();
        return new Tx() {
            @Override
            public long addPerson(String name, long age) {
                org.neo4j.graphdb.Node n = tx.createNode(PERSON);
                n.setProperty("name", name);
                n.setProperty("age", age);
                return n.getId();
            }

            @Override
            public void addKnows(long from, long to) {
                tx.getNodeById(from).createRelationshipTo(tx.getNodeById(to), KNOWS);
            }

            @Override
            public void setAge(long id, long age) {
                tx.getNodeById(id).setProperty("age", age);
            }

            @Override
            public void commit() {
                tx.commit();
            }

            @Override
            public void close() {
                tx.close();
            }
        };
    }

    @Override
    public boolean isRetryable(RuntimeException e) {
        return e instanceof TransientFailureException;
    }

    @Override
    public long checkpoints() {
        Path log = home.resolve("logs").resolve("debug.log");
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("[" + GraphDatabaseSettings.DEFAULT_DATABASE_NAME + "/")
                    && l.contains("Checkpoint triggered") && l.contains("checkpoint completed")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checkpoints", checkpoints());
        return m;
    }

    @Override
    public void close() {
        dbms.shutdown();
    }
}
