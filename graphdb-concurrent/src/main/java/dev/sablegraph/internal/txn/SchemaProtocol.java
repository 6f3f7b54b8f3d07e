package dev.sablegraph.internal.txn;

import dev.sablegraph.core.ConstraintViolationException;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.IndexDescription;
import dev.sablegraph.core.IndexState;
import dev.sablegraph.internal.durability.SchemaRecord;
import dev.sablegraph.internal.graph.GraphStore;
import dev.sablegraph.internal.mvcc.VersionedGraph;
import dev.sablegraph.internal.util.LockOrder;
import dev.sablegraph.internal.util.RankedLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Schema changes and index builds, in one place (docs/mvcc.md, "Indexes and snapshots"):
 *
 * <ul>
 *   <li>A change (create an index or a unique constraint, drop one) is its own durable operation,
 *       made by {@link CommitProtocol#changeSchema} like a commit, never inside a transaction.
 *       Changes are serialised by the schema lock, which is held while a change is made and while
 *       a drop deletes its entries, never while waiting for a build.
 *   <li>A created index is built online by one background thread: from its creation every commit
 *       maintains it, and the build adds the entries of the nodes stored before, in batches of
 *       {@link #BATCH} nodes, each one unlogged atomic change under the commit lock
 *       ({@link CommitProtocol#changeUnlogged}), checkpointing between batches when the cache
 *       fills. Once it has passed every node the index is marked online and a checkpoint makes the
 *       build durable (a crash before that builds it again at the next open).
 *   <li>The rule for readers ({@link #serves}): an index answers a snapshot only when it is online
 *       and the snapshot is no older than its creation. Commits after the creation maintain it,
 *       and keep the entries of the states they replace while it builds (see
 *       {@code GraphStore.keepEntriesOfBuildingIndexes}); states replaced before the creation may
 *       be missing, and only snapshots older than the creation can see those.
 * </ul>
 */
public final class SchemaProtocol implements AutoCloseable {
    /** Nodes per build batch, and entries per deletion batch: short enough not to stall commits. */
    static final int BATCH = 256;

    private final CommitProtocol protocol;
    private final VersionedGraph graph;
    private final String directory;
    private final RankedLock schemaLock = new RankedLock(LockOrder.SCHEMA);
    /** Builds of this process, by (label, key); kept after a failure, to report it. */
    private final Map<List<String>, Build> builds = new ConcurrentHashMap<>();
    /** Newest commit installed before an index was created in this process; 0 for older indexes. */
    private final Map<List<String>, Long> createdAfter = new ConcurrentHashMap<>();
    private ExecutorService builder; // guarded by this; created at the first build
    /** Test seam: while true, builds wait before their next batch (crash images with a build pending). */
    private boolean buildsHeld; // guarded by this

    /** One index build: its progress, and how it ended. */
    private static final class Build {
        final String label;
        final String key;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile double progress;
        volatile String failure;
        volatile boolean cancelled;

        Build(String label, String key) {
            this.label = label;
            this.key = key;
        }
    }

    /** The schema operations of the database whose commits {@code protocol} makes. */
    public SchemaProtocol(CommitProtocol protocol, VersionedGraph graph) {
        this.protocol = protocol;
        this.graph = graph;
        this.directory = graph.store().directory().toString();
    }

    /** Starts the builds of the indexes that open found still building. */
    public void resumeBuilds() {
        for (GraphStore.IndexInfo index : graph.store().indexes()) {
            if (!index.online()) {
                startBuild(index.label(), index.key());
            }
        }
    }

    // ------------------------------------------------------------------ changes

    /**
     * Creates an index on (label, key) and returns at once; it is built in the background. An
     * index (or unique constraint) on the pair already is returned as it is.
     */
    public IndexDescription createIndex(String label, String key) {
        schemaLock.lock();
        try {
            GraphStore.IndexInfo existing = graph.store().index(label, key);
            if (existing == null) {
                change(new SchemaRecord(SchemaRecord.Change.CREATE_INDEX, label, key));
                startBuild(label, key);
            }
        } finally {
            schemaLock.unlock();
        }
        return describe(label, key);
    }

    /**
     * Creates a unique constraint on (label, key), with its index, and waits until it is built:
     * then every node with the label has its own value of the key, and commits keep it so.
     *
     * @throws ConstraintViolationException when two nodes already share a value; the constraint
     *     is dropped again
     * @throws IllegalArgumentException when a plain index on (label, key) exists
     */
    public IndexDescription createUniqueConstraint(String label, String key) {
        Build build;
        schemaLock.lock();
        try {
            GraphStore.IndexInfo existing = graph.store().index(label, key);
            if (existing != null && !existing.unique()) {
                throw new IllegalArgumentException("there is an index on :" + label + "(" + key
                        + ") already; drop it before creating a unique constraint on the same label and key");
            }
            if (existing == null) {
                change(new SchemaRecord(SchemaRecord.Change.CREATE_UNIQUE, label, key));
                startBuild(label, key);
            }
            build = builds.get(List.of(label, key));
        } finally {
            schemaLock.unlock();
        }
        if (build != null) {
            awaitBuild(build);
        }
        return describe(label, key);
    }

    private void awaitBuild(Build build) {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    build.done.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // no Sable call ends because of an interrupt
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof ConstraintViolationException v) {
                        throw new ConstraintViolationException(v.label(), v.key(), v.value(), v.existingNode(),
                                v.node());
                    }
                    throw new GraphException("building the index on :" + build.label + "(" + build.key + ") failed: "
                            + e.getCause().getMessage(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Drops the index or constraint on (label, key) and deletes its entries before returning.
     *
     * @throws IllegalArgumentException when there is none, or when {@code unique} does not say
     *     what it is
     */
    public void drop(String label, String key, boolean unique) {
        schemaLock.lock();
        try {
            GraphStore.IndexInfo existing = graph.store().index(label, key);
            String what = unique ? "unique constraint" : "index";
            if (existing == null || (unique && !existing.unique())) {
                throw new IllegalArgumentException("there is no " + what + " on :" + label + "(" + key + ")");
            }
            if (!unique && existing.unique()) {
                throw new IllegalArgumentException("the index on :" + label + "(" + key
                        + ") belongs to a unique constraint: drop the constraint instead");
            }
            dropHoldingLock(label, key, new GraphException("the index was dropped while it was built"));
        } finally {
            schemaLock.unlock();
        }
    }

    /** Drops the index, deletes its entries, then ends its build (if any) with {@code reason}. */
    private void dropHoldingLock(String label, String key, Throwable reason) {
        Build build = builds.remove(List.of(label, key));
        if (build != null) {
            build.cancelled = true; // its next batch finds the index gone and stops
        }
        try {
            change(new SchemaRecord(SchemaRecord.Change.DROP, label, key));
            createdAfter.remove(List.of(label, key));
            while (protocol.changeUnlogged(() -> graph.store().deleteDroppedEntries(BATCH)) > 0) {
                relieveCache();
            }
        } finally {
            if (build != null) {
                build.done.completeExceptionally(reason);
            }
        }
    }

    private void change(SchemaRecord record) {
        long before = protocol.changeSchema(record);
        if (record.change() != SchemaRecord.Change.DROP) {
            createdAfter.put(List.of(record.label(), record.key()), before);
        }
    }

    // ------------------------------------------------------------------ builds

    private synchronized void startBuild(String label, String key) {
        Build build = new Build(label, key);
        builds.put(List.of(label, key), build);
        if (builder == null) {
            builder = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "sable-index-build " + directory);
                t.setDaemon(true);
                return t;
            });
        }
        builder.execute(() -> run(build));
    }

    /** Test seam: holds builds before their next batch, or lets them go on. */
    public synchronized void holdBuilds(boolean hold) {
        buildsHeld = hold;
        notifyAll();
    }

    private synchronized void awaitBuildsReleased() {
        while (buildsHeld && !protocol.failed()) {
            try {
                wait(100);
                protocol.checkOpen();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run(Build build) {
        try {
            awaitBuildsReleased();
            long limit = Math.max(1, graph.store().nodeIdLimit());
            for (long from = 0; from >= 0; ) {
                long start = from;
                from = protocol.changeUnlogged(() -> {
                    if (build.cancelled) {
                        return -2L;
                    }
                    return graph.store().buildIndex(build.label, build.key, start, BATCH, graph::nodeDeleted);
                });
                if (from == -2) {
                    return;
                }
                build.progress = from < 0 ? 1.0 : Math.min(0.99, (double) from / limit);
                relieveCache();
            }
            boolean online = protocol.changeUnlogged(() -> {
                if (build.cancelled) {
                    return false;
                }
                graph.store().markIndexOnline(build.label, build.key);
                return true;
            });
            if (online) {
                protocol.checkpoint(); // the build is durable: no rebuild after a crash
                builds.remove(List.of(build.label, build.key), build);
                build.done.complete(null);
            }
        } catch (ConstraintViolationException e) {
            failUnique(build, e);
        } catch (IllegalStateException e) {
            build.done.completeExceptionally(e); // closed meanwhile
        } catch (RuntimeException | Error e) {
            build.failure = String.valueOf(e.getMessage());
            build.done.completeExceptionally(e);
        }
    }

    /**
     * Existing nodes break the constraint being created: it is dropped again, then the waiter told
     * (so that when it learns, the constraint is gone).
     */
    private void failUnique(Build build, ConstraintViolationException violation) {
        schemaLock.lock();
        try {
            if (builds.get(List.of(build.label, build.key)) == build) {
                dropHoldingLock(build.label, build.key, violation);
            }
        } catch (RuntimeException e) {
            violation.addSuppressed(e);
        } finally {
            schemaLock.unlock();
            build.done.completeExceptionally(violation);
        }
    }

    /** Checkpoints between batches when the spill file is overdue for one (back-pressure). */
    private void relieveCache() {
        protocol.relieveSpill();
    }

    // ------------------------------------------------------------------ reading the schema

    /**
     * Whether the index on (label, key) answers lookups of snapshot {@code s}: it is online, and
     * {@code s} is no older than its creation (older snapshots may see states it lacks).
     */
    public boolean serves(String label, String key, long s) {
        GraphStore.IndexInfo index = graph.store().index(label, key);
        return index != null && index.online() && createdAfter.getOrDefault(List.of(label, key), 0L) <= s;
    }

    /** The indexes and constraints, by label, then key. */
    public List<IndexDescription> indexes() {
        List<IndexDescription> out = new ArrayList<>();
        for (GraphStore.IndexInfo index : graph.store().indexes()) {
            out.add(describe(index));
        }
        return out;
    }

    private IndexDescription describe(String label, String key) {
        GraphStore.IndexInfo index = graph.store().index(label, key);
        if (index == null) {
            throw new GraphException("the index on :" + label + "(" + key + ") was dropped meanwhile");
        }
        return describe(index);
    }

    private IndexDescription describe(GraphStore.IndexInfo index) {
        if (index.online()) {
            return new IndexDescription(index.label(), index.key(), index.unique(), IndexState.ONLINE, 1.0, null);
        }
        Build build = builds.get(List.of(index.label(), index.key()));
        String failure = build == null ? null : build.failure;
        return new IndexDescription(index.label(), index.key(), index.unique(),
                failure != null ? IndexState.FAILED : IndexState.BUILDING, build == null ? 0 : build.progress, failure);
    }

    /** Waits until no index is building; false when the time ran out or a build failed. */
    public boolean awaitOnline(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Build build : List.copyOf(builds.values())) {
            try {
                build.done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            }
        }
        return graph.store().indexes().stream().allMatch(GraphStore.IndexInfo::online);
    }

    /**
     * Stops the builder once its current batch ends (commits are refused by then: the database is
     * closing) and tells anyone still waiting for a build.
     */
    @Override
    public void close() {
        ExecutorService b;
        synchronized (this) {
            b = builder;
            buildsHeld = false;
            notifyAll();
        }
        if (b != null) {
            b.shutdown();
            boolean interrupted = false;
            for (;;) {
                try {
                    if (b.awaitTermination(10, TimeUnit.SECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        for (Build build : builds.values()) {
            build.done.completeExceptionally(new IllegalStateException("database " + directory + " is closed"));
        }
    }
}
