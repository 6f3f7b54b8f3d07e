package dev.sablegraph.gremlin;

import dev.sablegraph.concurrent.Transaction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How Gremlin properties sit in a Sable node's or edge's property map. Each user key holds its value
 * in the stored form {@link ValueCodec} gives it. Two reserved keys, hidden from Gremlin (TinkerPop
 * refuses keys that start with {@code ~}) and documented in docs/gremlin.md, carry what the engine
 * cannot:
 * <ul>
 *   <li>{@value #TYPES}: a list of strings, key and tag alternating, for each key whose value is not
 *       read back as it is stored; absent when no key needs a tag;</li>
 *   <li>{@value #MULTI}, a label: on a node one of whose keys holds several values or
 *       meta-properties (tag {@value #RICH}: the key's value is then typed GraphSON text of its
 *       entries); it lets an index lookup find those nodes too, through the label index, at a cost
 *       of the number of such nodes (none in most graphs).</li>
 * </ul>
 */
final class StoredProperties {
    static final String TYPES = "~types";
    /** The label of the nodes that hold a key with several values or meta-properties. */
    static final String MULTI = "~multi";
    /** Tag of a vertex key stored as its list of entries (several values or meta-properties). */
    static final String RICH = "*";

    private StoredProperties() {}

    /** True for the keys and labels this layer reserves: they start with {@code ~}. */
    static boolean isReserved(String keyOrLabel) {
        return keyOrLabel.startsWith("~");
    }

    /** The tags of a stored property map, key to tag. */
    static Map<String, String> tags(Map<String, Object> raw) {
        Object t = raw.get(TYPES);
        if (!(t instanceof List<?> list) || list.isEmpty()) {
            return Collections.emptyMap();
        }
        Map<String, String> tags = new HashMap<>();
        for (int i = 0; i + 1 < list.size(); i += 2) {
            if (list.get(i) instanceof String k && list.get(i + 1) instanceof String tag) {
                tags.put(k, tag);
            }
        }
        return tags;
    }

    /** The user keys of a stored property map. */
    static List<String> keys(Map<String, Object> raw) {
        List<String> keys = new ArrayList<>(raw.size());
        for (String k : raw.keySet()) {
            if (!isReserved(k)) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** The Gremlin value of a single-valued key (edges, and vertex keys without the rich tag). */
    static Object value(Map<String, Object> raw, Map<String, String> tags, String key) {
        Object stored = raw.get(key);
        return stored == null ? null : ValueCodec.decode(stored, tags.get(key));
    }

    /** The stored map for a new element's properties (already validated keys), tags included. */
    static Map<String, Object> encodeAll(Map<String, Object> values) {
        Map<String, Object> stored = new HashMap<>();
        Map<String, String> tags = new HashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            ValueCodec.Encoded enc = ValueCodec.encode(e.getValue());
            stored.put(e.getKey(), enc.stored());
            if (enc.tag() != null) {
                tags.put(e.getKey(), enc.tag());
            }
        }
        if (!tags.isEmpty()) {
            stored.put(TYPES, tagList(tags));
        }
        return stored;
    }

    /** One value of a vertex key: its vertex property's id, value and meta-properties. */
    record Entry(long id, Object value, Map<String, Object> meta) {}

    /** The id of a vertex property stored as a plain value: fixed by vertex and key. */
    static long plainId(long vertexId, String key) {
        long h = vertexId * 0x9E3779B97F4A7C15L + key.hashCode();
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return (h ^ (h >>> 29)) & Long.MAX_VALUE;
    }

    /** The entries of a vertex key, in the order they were added; empty when the key is absent. */
    static List<Entry> entries(long vertexId, Map<String, Object> raw, Map<String, String> tags, String key) {
        Object stored = raw.get(key);
        if (stored == null) {
            return List.of();
        }
        String tag = tags.get(key);
        if (RICH.equals(tag) && stored instanceof String text) {
            List<Entry> out = new ArrayList<>();
            for (Object o : (List<?>) ValueCodec.fromGraphSON(text)) {
                List<?> e = (List<?>) o;
                @SuppressWarnings("unchecked")
                Map<String, Object> meta = (Map<String, Object>) e.get(2);
                out.add(new Entry(((Number) e.get(0)).longValue(), e.get(1), meta));
            }
            return out;
        }
        return List.of(new Entry(plainId(vertexId, key), ValueCodec.decode(stored, tag), Map.of()));
    }

    /** Writes a vertex key's entries (none removes the key), with its tag and the node's flag. */
    static void writeEntries(Session s, long vertexId, Map<String, Object> raw, String key, List<Entry> entries) {
        Map<String, String> tags = new HashMap<>(tags(raw));
        Transaction tx = s.tx;
        if (entries.isEmpty()) {
            if (raw.containsKey(key)) {
                tx.removeNodeProperty(vertexId, key);
            }
            tags.remove(key);
        } else if (entries.size() == 1 && entries.get(0).meta().isEmpty()
                && entries.get(0).id() == plainId(vertexId, key)) {
            ValueCodec.Encoded enc = ValueCodec.encode(entries.get(0).value());
            tx.setNodeProperty(vertexId, key, enc.stored());
            putTag(tags, key, enc.tag());
        } else {
            List<Object> list = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                ValueCodec.encode(e.value()); // refuses an unsupported type before anything is written
                e.meta().values().forEach(ValueCodec::encode);
                list.add(List.of(e.id(), e.value(), new LinkedHashMap<>(e.meta())));
            }
            tx.setNodeProperty(vertexId, key, ValueCodec.toGraphSON(list));
            tags.put(key, RICH);
        }
        writeTags(s, vertexId, raw, tags, true);
        s.wrote();
    }

    /** Sets (or with {@code value == null} removes) an edge's key, with its tag. */
    static void writeEdgeValue(Session s, long edgeId, Map<String, Object> raw, String key, Object value) {
        Map<String, String> tags = new HashMap<>(tags(raw));
        if (value == null) {
            if (raw.containsKey(key)) {
                s.tx.removeEdgeProperty(edgeId, key);
            }
            tags.remove(key);
        } else {
            ValueCodec.Encoded enc = ValueCodec.encode(value);
            s.tx.setEdgeProperty(edgeId, key, enc.stored());
            putTag(tags, key, enc.tag());
        }
        writeTags(s, edgeId, raw, tags, false);
        s.wrote();
    }

    private static void putTag(Map<String, String> tags, String key, String tag) {
        if (tag == null) {
            tags.remove(key);
        } else {
            tags.put(key, tag);
        }
    }

    /** Rewrites the reserved keys where they changed. */
    private static void writeTags(Session s, long id, Map<String, Object> raw, Map<String, String> tags,
            boolean node) {
        List<String> now = tags.isEmpty() ? null : tagList(tags);
        Object before = raw.get(TYPES);
        if (!Objects.equals(before, now)) {
            if (now == null) {
                if (node) {
                    s.tx.removeNodeProperty(id, TYPES);
                } else {
                    s.tx.removeEdgeProperty(id, TYPES);
                }
            } else if (node) {
                s.tx.setNodeProperty(id, TYPES, now);
            } else {
                s.tx.setEdgeProperty(id, TYPES, now);
            }
        }
        if (node) {
            // the node has the label exactly while one of its keys has the rich tag
            boolean was = tags(raw).containsValue(RICH);
            boolean multi = tags.containsValue(RICH);
            if (multi && !was) {
                s.tx.addLabel(id, MULTI);
            } else if (!multi && was) {
                s.tx.removeLabel(id, MULTI);
            }
        }
    }

    /** Tags as the stored list, sorted by key so that equal maps store equal lists. */
    private static List<String> tagList(Map<String, String> tags) {
        List<String> keys = new ArrayList<>(tags.keySet());
        Collections.sort(keys);
        List<String> list = new ArrayList<>(keys.size() * 2);
        for (String k : keys) {
            list.add(k);
            list.add(tags.get(k));
        }
        return List.copyOf(list);
    }
}
