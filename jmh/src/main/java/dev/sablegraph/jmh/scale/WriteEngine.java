package dev.sablegraph.jmh.scale;

import java.util.Map;

/**
 * One engine as {@link WriteBeyondCache} drives it: the few writes its workload needs, through the
 * engine's public API, and what the engine tells about its checkpoints. Sable's is
 * {@link SableWriteEngine}; the Neo4j one lives in the {@code jmh-peers} module.
 */
public interface WriteEngine extends AutoCloseable {

    /** The writes of one transaction. */
    interface Tx extends AutoCloseable {
        /** Adds a {@code Person} node with {@code name} and {@code age}; returns its id. */
        long addPerson(String name, long age);

        /** Adds a {@code KNOWS} edge without properties. */
        void addKnows(long from, long to);

        /** Sets {@code age} of the node {@code id}. */
        void setAge(long id, long age);

        /** Commits durably (the engine's default durability). */
        void commit();

        /** Ends the transaction; rolls back unless committed. */
        @Override
        void close();
    }

    /** Opens an engine on a directory with a page cache of the given size ({@code <= 0}: the engine's default). */
    @FunctionalInterface
    interface Opener {
        WriteEngine open(java.nio.file.Path dir, long pageCacheBytes) throws Exception;
    }

    /** Short name for the output: {@code sable}, {@code neo4j}. */
    String name();

    /** Creates the index on {@code :Person(name)} and waits until it is online. */
    void createNameIndex();

    /** Begins a read-write transaction. */
    Tx begin();

    /**
     * Whether {@code e}, thrown by a write or a commit, says the transaction may succeed when run
     * again (a write conflict, a deadlock).
     */
    boolean isRetryable(RuntimeException e);

    /** Checkpoints completed since open, or -1 when the engine does not tell. */
    long checkpoints();

    /** Engine figures worth recording (checkpoint times, pages written, log forces, ...), read now. */
    Map<String, Object> metrics();

    /** Closes the engine cleanly (flushes). */
    @Override
    void close();
}
