package dev.sablegraph.jmh.scale;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.CheckpointMetrics;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.core.WriteConflictException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Sable ({@link ConcurrentGraphDB}, default configuration but the page cache) as a {@link WriteEngine}. */
public final class SableWriteEngine implements WriteEngine {
    private static final Set<String> PERSON = Set.of("Person");
    private final ConcurrentGraphDB db;

    private SableWriteEngine(ConcurrentGraphDB db) {
        this.db = db;
    }

    /**
     * Opens Sable on {@code dir} with the default configuration but these two settings; a value
     * {@code <= 0} keeps that setting's default. A smaller {@code checkpointLogBytes} makes
     * checkpoints run during a load, to measure commits during checkpoints.
     */
    public static SableWriteEngine open(Path dir, long pageCacheBytes, long checkpointLogBytes) {
        GraphConfig.Builder config = GraphConfig.builder();
        if (pageCacheBytes > 0) {
            config.pageCacheBytes(pageCacheBytes);
        }
        if (checkpointLogBytes > 0) {
            config.checkpointLogBytes(checkpointLogBytes);
        }
        return new SableWriteEngine(ConcurrentGraphDB.open(dir, config.build()));
    }

    @Override
    public String name() {
        return "sable";
    }

    @Override
    public void createNameIndex() {
        db.createIndex("Person", "name");
        if (!db.awaitIndexesOnline(Duration.ofMinutes(30))) {
            throw new IllegalStateException("index on :Person(name) not online: " + db.indexes());
        }
    }

    @Override
    public Tx begin() {
        Transaction tx = db.begin();
        return new Tx() {
            @Override
            public long addPerson(String name, long age) {
                return tx.addNode(PERSON, Map.of("name", name, "age", age));
            }

            @Override
            public void addKnows(long from, long to) {
                tx.addEdge(from, to, "KNOWS", Map.of());
            }

            @Override
            public void setAge(long id, long age) {
                tx.setNodeProperty(id, "age", age);
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
        return e instanceof WriteConflictException;
    }

    @Override
    public long checkpoints() {
        return db.checkpoints();
    }

    @Override
    public Map<String, Object> metrics() {
        CheckpointMetrics c = db.checkpointMetrics();
        PageCacheMetrics p = db.pageCacheMetrics();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checkpoints", c.checkpoints());
        m.put("checkpointPagesWritten", c.pagesWritten());
        m.put("checkpointTotalMillis", c.totalMillis());
        m.put("checkpointMaxMillis", c.maxMillis());
        m.put("checkpointTotalSwitchMicros", c.totalSwitchMicros());
        m.put("checkpointMaxSwitchMicros", c.maxSwitchMicros());
        m.put("logForces", db.logForces());
        m.put("pageCacheHits", p.hits());
        m.put("pageCacheMisses", p.misses());
        m.put("pageCacheFlushes", p.flushes());
        return m;
    }

    @Override
    public void close() {
        db.close();
    }
}
