package dev.sablegraph.internal.durability;

import dev.sablegraph.internal.graph.GraphStore;
import dev.sablegraph.internal.graph.codec.RecordBuffer;
import java.nio.ByteBuffer;

/**
 * One change of the schema as the write-ahead log keeps it (log record type 2), applied to the
 * store by {@link #applyTo} both when it is made and when recovery replays it:
 *
 * <pre>
 * u8 format, 1
 * u8 change: 1 create index, 2 create unique constraint (and its index), 3 drop (index or constraint)
 * label (u32 length + UTF-8), key (u32 length + UTF-8)
 * </pre>
 *
 * A created index starts building; that it is built later is not logged (a build is not replayed:
 * an index that recovery finds building is built again). A drop removes the definition; deleting
 * the entries follows, unlogged, and is finished at open if a crash cuts it short.
 */
public record SchemaRecord(Change change, String label, String key) {
    static final int FORMAT = 1;

    /** What the record does. */
    public enum Change {
        CREATE_INDEX(1), CREATE_UNIQUE(2), DROP(3);

        final int code;

        Change(int code) {
            this.code = code;
        }

        static Change of(int code) {
            for (Change c : values()) {
                if (c.code == code) {
                    return c;
                }
            }
            throw new IllegalStateException("unknown schema change " + code);
        }
    }

    /** The record's bytes, as the log keeps them. */
    public byte[] encode() {
        return new RecordBuffer(16 + label.length() + key.length()).putByte(FORMAT).putByte(change.code)
                .putString(label).putString(key).toArray();
    }

    /** @throws IllegalStateException describing the damage when the bytes are not a schema record */
    public static SchemaRecord decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int format = in.get();
            if (format != FORMAT) {
                throw new IllegalStateException("unknown schema record format " + format);
            }
            Change change = Change.of(in.get());
            String label = RecordBuffer.getString(in);
            String key = RecordBuffer.getString(in);
            if (in.hasRemaining()) {
                throw new IllegalStateException(in.remaining() + " stray bytes after the schema record");
            }
            return new SchemaRecord(change, label, key);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalStateException("schema record is truncated", e);
        }
    }

    /** The one way a schema change reaches the store, whether made now or replayed. */
    public void applyTo(GraphStore store) {
        switch (change) {
            case CREATE_INDEX -> store.addIndex(label, key, false);
            case CREATE_UNIQUE -> store.addIndex(label, key, true);
            case DROP -> store.removeIndex(label, key);
        }
    }
}
