package dev.sablegraph.internal.graph;

/**
 * Where the graph's structures live in the data file: the header root slot of each, and the store
 * id written into each record store's pages. One place, so no two structures share a slot.
 */
final class StoreLayout {
    static final String DATA_FILE = DatabaseFiles.DATA_FILE;

    static final int NODE_STORE_SLOT = 0;
    static final int EDGE_STORE_SLOT = 1;
    static final int ADJACENCY_STORE_SLOT = 2;
    static final int TOKEN_STORE_SLOT = 3;
    static final int NODE_IDS_SLOT = 4;
    static final int EDGE_IDS_SLOT = 5;
    static final int LABEL_INDEX_SLOT = 6;
    /**
     * The automatic property index of databases written before indexes were chosen: every
     * (label, property) pair indexed, 25-byte keys. Read once at open to learn which indexes to
     * create in its place, then emptied and released ({@link LegacyPropertyIndex}); 0 afterwards.
     */
    static final int LEGACY_PROPERTY_INDEX_SLOT = 7;
    /** The {@link DatabaseKind} (its ordinal); 0 in files written before kinds were recorded. */
    static final int KIND_SLOT = 8;
    /** The schema: one record per index ({@link IndexDefinitions}). */
    static final int SCHEMA_STORE_SLOT = 9;
    /** The entries of every index in the schema ({@link dev.sablegraph.internal.graph.codec.SchemaKeys}). */
    static final int SCHEMA_INDEX_SLOT = 10;

    static final int NODE_STORE_ID = 1;
    static final int EDGE_STORE_ID = 2;
    static final int ADJACENCY_STORE_ID = 3;
    static final int TOKEN_STORE_ID = 4;
    static final int SCHEMA_STORE_ID = 5;

    private StoreLayout() {}
}
