package dev.sablegraph.internal.graph;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.internal.graph.codec.PropertyList;
import dev.sablegraph.internal.graph.codec.RecordBuffer;
import dev.sablegraph.internal.record.RecordStore;
import dev.sablegraph.internal.storage.Pager;
import dev.sablegraph.internal.storage.RollbackPoint;
import dev.sablegraph.internal.util.LockOrder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token dictionary: labels, edge types and property keys stored once and referred to by small
 * integer ids (from 1 per kind) in records and index keys.
 *
 * <p>Persisted as one record per token in its own {@link RecordStore}: {@code u8 kind, u32 id,
 * UTF-8 name}. Loaded whole at open: its size is the number of distinct names, not of entities.
 * Lookups are lock-free; creation is serialised by this object's monitor, and a token's record is
 * written before the token is published, so a record referring to it never outlives it.
 */
final class Tokens {
    private final RecordStore store;
    private final Pager pager;
    /** Per kind, name → id; written under this object's monitor, read without it. */
    private final ConcurrentHashMap<String, Integer>[] ids; // guarded by this (writes)
    /** Per kind, id → name; replaced copy-on-write under the monitor, read without it. */
    private final String[][] names; // guarded by this (writes)

    @SuppressWarnings("unchecked")
    Tokens(Pager pager, RecordStore store) {
        this.pager = pager;
        this.store = store;
        int kinds = TokenKind.values().length;
        this.ids = new ConcurrentHashMap[kinds];
        this.names = new String[kinds][];
        for (int k = 0; k < kinds; k++) {
            ids[k] = new ConcurrentHashMap<>();
            names[k] = new String[] {null};
        }
        store.forEach((pointer, record) -> load(record));
    }

    private void load(byte[] record) {
        ByteBuffer in = ByteBuffer.wrap(record);
        int kind = in.get();
        int id = in.getInt();
        if (kind < 0 || kind >= ids.length || id <= 0) {
            throw new CorruptionException(pager.path(), -1, "token record with kind " + kind + " id " + id);
        }
        String name = new String(record, 5, record.length - 5, StandardCharsets.UTF_8);
        ids[kind].put(name, id);
        String[] table = names[kind];
        if (id >= table.length) {
            table = Arrays.copyOf(table, Math.max(id + 1, table.length * 2));
        }
        table[id] = name;
        names[kind] = table;
    }

    /** The id of a name, or -1 when no record ever used it. */
    int idOf(TokenKind kind, String name) {
        Integer id = ids[kind.ordinal()].get(name);
        return id == null ? -1 : id;
    }

    /** The id of a name, created and stored when new. */
    int getOrCreate(TokenKind kind, String name) {
        Integer id = ids[kind.ordinal()].get(name);
        if (id != null) {
            return id;
        }
        synchronized (this) {
            assert LockOrder.acquire(LockOrder.TOKENS);
            try {
                id = ids[kind.ordinal()].get(name);
                if (id != null) {
                    return id;
                }
                int next = ids[kind.ordinal()].size() + 1;
                byte[] record = recordOf(kind, next, name.getBytes(StandardCharsets.UTF_8));
                store.insert(record);
                load(record);
                return next;
            } finally {
                assert LockOrder.release(LockOrder.TOKENS);
            }
        }
    }

    /**
     * Keeps which tokens exist now, for a change that may have to be taken back: restoring forgets
     * the tokens created since (their records go with the pages the pager restores), so that no
     * later record refers to a token that was never stored.
     */
    RollbackPoint rollbackPoint() {
        int[] counts = new int[ids.length];
        synchronized (this) {
            for (int k = 0; k < ids.length; k++) {
                counts[k] = ids[k].size();
            }
        }
        RollbackPoint records = store.rollbackPoint();
        return new RollbackPoint() {
            @Override
            public void restore() {
                records.restore();
                synchronized (Tokens.this) {
                    for (int k = 0; k < ids.length; k++) {
                        int keep = counts[k];
                        ids[k].values().removeIf(id -> id > keep);
                        String[] table = names[k].clone();
                        for (int id = keep + 1; id < table.length; id++) {
                            table[id] = null;
                        }
                        names[k] = table;
                    }
                }
            }

            @Override
            public void discard() {
                records.discard();
            }
        };
    }

    private static byte[] recordOf(TokenKind kind, int id, byte[] utf8) {
        return new RecordBuffer(5 + utf8.length).putByte(kind.ordinal()).putInt(id).putBytes(utf8).toArray();
    }

    String name(TokenKind kind, int id) {
        String[] table = names[kind.ordinal()];
        String name = id > 0 && id < table.length ? table[id] : null;
        if (name == null) {
            throw new CorruptionException(pager.path(), -1, "a record refers to unknown " + kind + " token " + id);
        }
        return name;
    }

    /** Every name of a kind, in token order. Lock-free. */
    List<String> names(TokenKind kind) {
        List<String> out = new ArrayList<>();
        for (String name : names[kind.ordinal()]) {
            if (name != null) {
                out.add(name);
            }
        }
        return out;
    }

    /** A property list as callers see it, keys by name; byte arrays are copied so callers never share ours. */
    Map<String, Object> propertyMap(PropertyList properties) {
        if (properties.size() == 0) {
            return Map.of();
        }
        Map<String, Object> m = new HashMap<>(properties.size() * 2);
        for (int i = 0; i < properties.size(); i++) {
            Object v = properties.value(i);
            m.put(name(TokenKind.PROPERTY_KEY, properties.key(i)), v instanceof byte[] b ? b.clone() : v);
        }
        return Map.copyOf(m);
    }
}
