package dev.sablegraph.internal.graph;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.internal.graph.codec.RecordBuffer;
import dev.sablegraph.internal.record.RecordStore;
import dev.sablegraph.internal.storage.Pager;
import dev.sablegraph.internal.storage.RollbackPoint;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The schema: which (label, property key) pairs are indexed, whether an index backs a uniqueness
 * constraint, and whether it is built. Persisted as one record per index in its own record store
 * (docs/file-format.md, "Schema records"):
 *
 * <pre>
 * u8 format, 0
 * u32 label token, u32 key token
 * u8 flags: bit 0 unique
 * u8 state: 0 building, 1 online
 * </pre>
 *
 * <p>Loaded whole at open. Reads are lock-free (an immutable map behind a volatile field, replaced
 * on every change); changes come from one writer at a time, which the store's callers guarantee.
 */
final class IndexDefinitions {
    static final int FORMAT = 0;

    /** One index: its tokens, whether it is a constraint's, whether it is built; where its record is. */
    record Definition(int label, int key, boolean unique, boolean online, long pointer) {
        Definition withOnline(long newPointer) {
            return new Definition(label, key, unique, true, newPointer);
        }
    }

    private final RecordStore store;
    private final Pager pager;
    /** (label, key) packed into a long → definition; replaced whole on every change. */
    private volatile Map<Long, Definition> byPair;
    /** label token → its definitions; replaced together with {@link #byPair}. */
    private volatile Map<Integer, List<Definition>> byLabel;
    /** Whether {@link #byPair} holds a unique definition; replaced together with it. */
    private volatile boolean hasUnique;
    /**
     * (label, key) pairs, packed, whose index was dropped while some of its entries are still in
     * the schema index: they are deleted in batches. Memory only: at open, entries that no
     * definition explains are found again ({@link #markDropping}).
     */
    private volatile Set<Long> dropping = Set.of();

    IndexDefinitions(Pager pager, RecordStore store) {
        this.pager = pager;
        this.store = store;
        Map<Long, Definition> loaded = new HashMap<>();
        store.forEach((pointer, record) -> {
            Definition d = decode(pointer, record);
            loaded.put(pair(d.label(), d.key()), d);
        });
        publish(loaded);
    }

    private Definition decode(long pointer, byte[] record) {
        ByteBuffer in = ByteBuffer.wrap(record);
        if (record.length != 11 || in.get() != FORMAT) {
            throw new CorruptionException(pager.path(), -1, "schema record of " + record.length + " bytes, format "
                    + (record.length > 0 ? record[0] : -1));
        }
        int label = in.getInt();
        int key = in.getInt();
        int flags = in.get();
        int state = in.get();
        if (label <= 0 || key <= 0 || (flags & ~1) != 0 || state < 0 || state > 1) {
            throw new CorruptionException(pager.path(), -1, "schema record with label " + label + ", key " + key
                    + ", flags " + flags + ", state " + state);
        }
        return new Definition(label, key, (flags & 1) != 0, state == 1, pointer);
    }

    private static byte[] encode(int label, int key, boolean unique, boolean online) {
        return new RecordBuffer(11).putByte(FORMAT).putInt(label).putInt(key).putByte(unique ? 1 : 0)
                .putByte(online ? 1 : 0).toArray();
    }

    private static long pair(int label, int key) {
        return ((long) label << 32) | (key & 0xFFFFFFFFL);
    }

    private void publish(Map<Long, Definition> defs) {
        Map<Integer, List<Definition>> labels = new HashMap<>();
        for (Definition d : defs.values()) {
            labels.computeIfAbsent(d.label(), k -> new ArrayList<>()).add(d);
        }
        labels.replaceAll((k, v) -> List.copyOf(v));
        byLabel = Map.copyOf(labels);
        hasUnique = defs.values().stream().anyMatch(Definition::unique);
        byPair = Map.copyOf(defs);
    }

    /** The definition of the index on (label, key), or null. */
    Definition find(int label, int key) {
        return byPair.get(pair(label, key));
    }

    /** The definitions of the indexes on a label's properties. */
    List<Definition> ofLabel(int label) {
        return byLabel.getOrDefault(label, List.of());
    }

    /** Every definition. */
    List<Definition> all() {
        return List.copyOf(byPair.values());
    }

    boolean isEmpty() {
        return byPair.isEmpty();
    }

    /** Whether any definition is a unique constraint's. */
    boolean hasUnique() {
        return hasUnique;
    }

    /** Adds a building index on (label, key); the caller checked that there is none. */
    Definition add(int label, int key, boolean unique) {
        long pointer = store.insert(encode(label, key, unique, false));
        Definition d = new Definition(label, key, unique, false, pointer);
        Map<Long, Definition> next = new HashMap<>(byPair);
        next.put(pair(label, key), d);
        publish(next);
        return d;
    }

    /** Marks a building index online: its entries are complete. */
    Definition markOnline(Definition d) {
        long pointer = store.update(d.pointer(), encode(d.label(), d.key(), d.unique(), true));
        Definition online = d.withOnline(pointer);
        Map<Long, Definition> next = new HashMap<>(byPair);
        next.put(pair(d.label(), d.key()), online);
        publish(next);
        return online;
    }

    /** Removes an index's definition (its entries are the caller's to delete). */
    void remove(Definition d) {
        store.delete(d.pointer());
        Map<Long, Definition> next = new HashMap<>(byPair);
        next.remove(pair(d.label(), d.key()));
        publish(next);
    }

    /** Notes that the index on (label, key) is gone and its entries are to be deleted. */
    void markDropping(int label, int key) {
        Set<Long> next = new HashSet<>(dropping);
        next.add(pair(label, key));
        dropping = Set.copyOf(next);
    }

    /** Whether entries of (label, key) are awaiting deletion after a drop. */
    boolean isDropping(int label, int key) {
        return dropping.contains(pair(label, key));
    }

    /** The pairs awaiting deletion, each as {@code {label, key}}. */
    List<int[]> droppingPairs() {
        List<int[]> out = new ArrayList<>();
        for (long p : dropping) {
            out.add(new int[] {(int) (p >>> 32), (int) p});
        }
        return out;
    }

    /** All entries of (label, key) are deleted. */
    void doneDropping(int label, int key) {
        Set<Long> next = new HashSet<>(dropping);
        next.remove(pair(label, key));
        dropping = Set.copyOf(next);
    }

    /** Keeps the definitions as they are now; restoring puts them back with the store's counters. */
    RollbackPoint rollbackPoint() {
        Map<Long, Definition> saved = byPair;
        Set<Long> savedDropping = dropping;
        RollbackPoint records = store.rollbackPoint();
        return new RollbackPoint() {
            @Override
            public void restore() {
                records.restore();
                publish(saved);
                dropping = savedDropping;
            }

            @Override
            public void discard() {
                records.discard();
            }
        };
    }

    RecordStore records() {
        return store;
    }
}
