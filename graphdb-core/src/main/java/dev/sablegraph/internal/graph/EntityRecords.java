package dev.sablegraph.internal.graph;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.internal.record.IdMap;
import dev.sablegraph.internal.record.RecordPointer;
import dev.sablegraph.internal.record.RecordStore;
import dev.sablegraph.internal.storage.RollbackPoint;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The stored records of one kind of entity (nodes, or edges) by id: the {@link IdMap} hands out
 * ids and says where each id's record is, the {@link RecordStore} holds the encoded records. One
 * class for both kinds, so that finding, requiring and rewriting a record is written once.
 *
 * <p>Not synchronised: {@link GraphStore}'s callers guard it.
 *
 * @param <R> the decoded record ({@code NodeRecord} or {@code EdgeRecord})
 */
final class EntityRecords<R> {
    private final String kind;
    private final Path file;
    private final IdMap ids;
    private final RecordStore records;
    private final Function<R, byte[]> encoder;
    private final Function<byte[], R> decoder;

    /**
     * @param kind what an entity is called in messages: "node" or "edge"
     * @param file the data file, named when a record is found damaged
     */
    EntityRecords(String kind, Path file, IdMap ids, RecordStore records, Function<R, byte[]> encoder,
            Function<byte[], R> decoder) {
        this.kind = kind;
        this.file = file;
        this.ids = ids;
        this.records = records;
        this.encoder = encoder;
        this.decoder = decoder;
    }

    /** A new id, never handed out before (ids are never reused). */
    long reserveId() {
        return ids.allocate();
    }

    /** Makes a logged id allocated again after a crash (recovery). */
    void ensureId(long id) {
        ids.ensureAllocated(id);
    }

    /** One past the highest id handed out so far: every id in use is below it. */
    long idLimit() {
        return ids.nextId();
    }

    /** Ids with a stored record from {@code from} below {@code below}, ascending, into {@code out} (see {@link IdMap#setIds}). */
    int storedIds(long from, long below, long[] out) {
        return ids.setIds(from, below, out);
    }

    /**
     * A stored record with its place, so that a caller that reads a record and then rewrites it
     * looks its id up in the {@link IdMap} once, not twice.
     */
    record Located<R>(long id, long pointer, R record) {}

    /** Whether {@code id} has a stored record, asking only the id map (no record is read). */
    boolean isStored(long id) {
        return id >= 0 && ids.get(id) != 0;
    }

    /** The stored record of {@code id}, or null when there is none. */
    R find(long id) {
        Located<R> at = locate(id);
        return at == null ? null : at.record();
    }

    /** The stored record of {@code id} with its place, or null when there is none. */
    Located<R> locate(long id) {
        if (id < 0) {
            return null;
        }
        long ptr = ids.get(id);
        if (ptr == 0) {
            return null;
        }
        byte[] bytes = records.read(ptr);
        if (bytes == null) {
            throw new CorruptionException(file, RecordPointer.page(ptr), kind + " " + id + " points at an empty slot");
        }
        try {
            return new Located<>(id, ptr, decoder.apply(bytes));
        } catch (RuntimeException e) {
            throw new CorruptionException(file, RecordPointer.page(ptr), kind + " " + id + " record is damaged: " + e, e);
        }
    }

    /** The stored record of {@code id}; {@link EntityNotFoundException} when there is none. */
    R require(long id) {
        return requireLocated(id).record();
    }

    /** The stored record of {@code id} with its place; {@link EntityNotFoundException} when there is none. */
    Located<R> requireLocated(long id) {
        Located<R> at = locate(id);
        if (at == null) {
            throw new EntityNotFoundException(kind + " " + id + " does not exist");
        }
        return at;
    }

    /** Stores the record of a reserved id that has none yet. */
    void insert(long id, R record) {
        ids.set(id, records.insert(encoder.apply(record)));
    }

    /** Stores the already encoded record of a reserved id that has none yet. */
    void insertEncoded(long id, byte[] encoded) {
        ids.set(id, records.insert(encoded));
    }

    /**
     * Replaces the record {@link #locate} found, which nothing has rewritten since (its place
     * would be stale); the id follows the record if it has to move. Every rewrite starts from a
     * read, so the id is looked up in the {@link IdMap} once, by that read.
     */
    void rewrite(Located<R> at, R record) {
        long moved = records.update(at.pointer(), encoder.apply(record));
        if (moved != at.pointer()) {
            ids.set(at.id(), moved);
        }
    }

    /** Deletes the stored record of {@code id}; the id stays used. */
    void delete(long id) {
        records.delete(ids.get(id));
        ids.set(id, 0);
    }

    long count() {
        return records.recordCount();
    }

    RollbackPoint rollbackPoint() {
        return records.rollbackPoint();
    }

    String kind() {
        return kind;
    }

    /** The id map, for the integrity check (and tests that damage it). */
    IdMap ids() {
        return ids;
    }

    /** The record store, for the integrity check. */
    RecordStore records() {
        return records;
    }
}
