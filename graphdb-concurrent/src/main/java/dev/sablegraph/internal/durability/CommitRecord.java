package dev.sablegraph.internal.durability;

import dev.sablegraph.internal.graph.codec.RecordBuffer;
import dev.sablegraph.internal.graph.codec.ValueCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One committed transaction as the write-ahead log keeps it: its logical changes, applied in the
 * order of {@link #applyInOrder} both when the commit installs them and when recovery replays them.
 * Names are logged as strings, so a record needs no token dictionary to be read.
 *
 * <pre>
 * u8  format, 1
 * u64 commit timestamp
 * u32 node changes; each: u64 id, u8 kind (0 create, 1 update, 2 delete),
 *     and for create/update: u16 labels (u32 length + UTF-8 each), properties
 * u32 edge changes; each: u64 id, u8 kind,
 *     create: u64 from, u64 to, type (u32 length + UTF-8), properties
 *     update: properties
 * properties: u16 count, then per property: key (u32 length + UTF-8), value ({@link ValueCodec})
 * </pre>
 */
public record CommitRecord(long commitTs, List<NodeChange> nodes, List<EdgeChange> edges) {
    static final int FORMAT = 1;

    public enum Kind { CREATE, UPDATE, DELETE }

    /** A node's new state; labels and properties are null for a delete. */
    public record NodeChange(long id, Kind kind, Set<String> labels, Map<String, Object> properties) {}

    /** An edge's new state; endpoints and type are set for a create, properties for create and update. */
    public record EdgeChange(long id, Kind kind, long from, long to, String type, Map<String, Object> properties) {}

    /** Bytes of a record's fixed part: format, commit timestamp, the two change counts. */
    public static final int HEADER_BYTES = 1 + 8 + 4 + 4;

    /**
     * How many bytes a node change takes in the record, as {@link #encode} writes it: what a
     * transaction counts as it writes, so that it can refuse the write that would make its record
     * too large for the log before it holds it.
     */
    public static long nodeChangeBytes(Kind kind, Set<String> labels, Map<String, Object> properties) {
        long n = 8 + 1;
        if (kind != Kind.DELETE) {
            n += 2;
            for (String l : labels) {
                n += RecordBuffer.stringBytes(l);
            }
            n += propertiesBytes(properties);
        }
        return n;
    }

    /** How many bytes an edge change takes in the record; as {@link #nodeChangeBytes}. */
    public static long edgeChangeBytes(Kind kind, String type, Map<String, Object> properties) {
        long n = 8 + 1;
        if (kind == Kind.CREATE) {
            n += 8 + 8 + RecordBuffer.stringBytes(type);
        }
        if (kind != Kind.DELETE) {
            n += propertiesBytes(properties);
        }
        return n;
    }

    /** How many bytes {@link #encode} writes: counted first, so that encoding allocates once and copies nothing. */
    public long encodedBytes() {
        long n = HEADER_BYTES;
        for (NodeChange c : nodes) {
            n += nodeChangeBytes(c.kind(), c.labels(), c.properties());
        }
        for (EdgeChange c : edges) {
            n += edgeChangeBytes(c.kind(), c.type(), c.properties());
        }
        return n;
    }

    private static long propertiesBytes(Map<String, Object> props) {
        long n = 2;
        for (Map.Entry<String, Object> p : props.entrySet()) {
            n += RecordBuffer.stringBytes(p.getKey()) + ValueCodec.encodedBytes(p.getValue());
        }
        return n;
    }

    /**
     * The record's bytes. A huge record is allocated at its exact size: growing a buffer by
     * doubling and then copying it held about twice the record at once (the last memory peak of a
     * million-edge commit).
     *
     * @throws IllegalArgumentException when the record would exceed the 2 GiB of one array
     */
    public byte[] encode() {
        return encode(encodedBytes());
    }

    /** {@link #encode} for a caller that has counted the record's {@link #encodedBytes} already. */
    byte[] encode(long bytes) {
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("commit record of " + bytes + " bytes exceeds the largest array");
        }
        RecordBuffer out = new RecordBuffer((int) bytes);
        out.putByte(FORMAT).putLong(commitTs).putInt(nodes.size());
        for (NodeChange n : nodes) {
            out.putLong(n.id()).putByte(n.kind().ordinal());
            if (n.kind() != Kind.DELETE) {
                out.putCount(n.labels().size(), "labels of node " + n.id());
                for (String l : n.labels()) {
                    out.putString(l);
                }
                encodeProperties(out, n.properties());
            }
        }
        out.putInt(edges.size());
        for (EdgeChange e : edges) {
            out.putLong(e.id()).putByte(e.kind().ordinal());
            if (e.kind() == Kind.CREATE) {
                out.putLong(e.from()).putLong(e.to()).putString(e.type());
            }
            if (e.kind() != Kind.DELETE) {
                encodeProperties(out, e.properties());
            }
        }
        byte[] encoded = out.toArray();
        assert encoded.length == bytes : "counted " + bytes + " bytes, encoded " + encoded.length;
        return encoded;
    }

    /** @throws IllegalStateException describing the damage when the bytes are not a commit record */
    public static CommitRecord decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int format = in.get();
            if (format != FORMAT) {
                throw new IllegalStateException("unknown commit record format " + format);
            }
            long ts = in.getLong();
            int nodeCount = checkedCount(in.getInt(), in);
            List<NodeChange> nodes = new ArrayList<>(nodeCount);
            for (int i = 0; i < nodeCount; i++) {
                long id = in.getLong();
                Kind kind = kind(in.get());
                if (kind == Kind.DELETE) {
                    nodes.add(new NodeChange(id, kind, null, null));
                    continue;
                }
                int labelCount = in.getShort() & 0xFFFF;
                Set<String> labels = new HashSet<>();
                for (int l = 0; l < labelCount; l++) {
                    labels.add(RecordBuffer.getString(in));
                }
                nodes.add(new NodeChange(id, kind, labels, decodeProperties(in)));
            }
            int edgeCount = checkedCount(in.getInt(), in);
            List<EdgeChange> edges = new ArrayList<>(edgeCount);
            for (int i = 0; i < edgeCount; i++) {
                long id = in.getLong();
                Kind kind = kind(in.get());
                long from = 0;
                long to = 0;
                String type = null;
                if (kind == Kind.CREATE) {
                    from = in.getLong();
                    to = in.getLong();
                    type = RecordBuffer.getString(in);
                }
                edges.add(new EdgeChange(id, kind, from, to, type, kind == Kind.DELETE ? null : decodeProperties(in)));
            }
            if (in.hasRemaining()) {
                throw new IllegalStateException(in.remaining() + " stray bytes after the commit record");
            }
            return new CommitRecord(ts, nodes, edges);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalStateException("commit record is truncated", e);
        }
    }

    /**
     * Receives a commit's changes from {@link #applyInOrder}: installing a commit and replaying it
     * after a crash are two appliers of the same order.
     */
    public interface Applier {
        void createNode(NodeChange node);

        void updateNode(NodeChange node);

        void createEdge(EdgeChange edge);

        void updateEdge(EdgeChange edge);

        void deleteEdge(long id);

        void deleteNode(long id);
    }

    /**
     * The one order in which a commit changes the store, whether installed or replayed: created
     * nodes first (edges may need them), then updated nodes, then edges, then deleted nodes (their
     * edges are gone by then).
     */
    public void applyInOrder(Applier applier) {
        for (NodeChange n : nodes) {
            if (n.kind() == Kind.CREATE) {
                applier.createNode(n);
            }
        }
        for (NodeChange n : nodes) {
            if (n.kind() == Kind.UPDATE) {
                applier.updateNode(n);
            }
        }
        for (EdgeChange e : edges) {
            switch (e.kind()) {
                case CREATE -> applier.createEdge(e);
                case UPDATE -> applier.updateEdge(e);
                case DELETE -> applier.deleteEdge(e.id());
            }
        }
        for (NodeChange n : nodes) {
            if (n.kind() == Kind.DELETE) {
                applier.deleteNode(n.id());
            }
        }
    }

    private static Kind kind(byte b) {
        if (b < 0 || b >= Kind.values().length) {
            throw new IllegalStateException("unknown change kind " + b);
        }
        return Kind.values()[b];
    }

    private static int checkedCount(int n, ByteBuffer in) {
        if (n < 0 || n > in.remaining()) {
            throw new IllegalStateException("change count " + n + " exceeds the record");
        }
        return n;
    }

    private static void encodeProperties(RecordBuffer out, Map<String, Object> props) {
        out.putCount(props.size(), "properties of one entity");
        for (Map.Entry<String, Object> p : props.entrySet()) {
            out.putString(p.getKey());
            ValueCodec.encode(out, p.getValue());
        }
    }

    private static Map<String, Object> decodeProperties(ByteBuffer in) {
        int n = in.getShort() & 0xFFFF;
        Map<String, Object> props = new HashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            props.put(RecordBuffer.getString(in), ValueCodec.decode(in));
        }
        return props;
    }
}
