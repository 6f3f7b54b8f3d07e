package dev.sablegraph.core;

/** Where an index is in its life: see {@link IndexDescription}. */
public enum IndexState {
    /**
     * Created, and being built from the nodes stored before it: writes already maintain it, but
     * lookups do not use it yet (they read the label's nodes instead, so answers are the same).
     */
    BUILDING,
    /** Built: lookups and range queries on its label and key use it. */
    ONLINE,
    /**
     * Its build failed for a reason other than a constraint violation (named by
     * {@link IndexDescription#failure()}); lookups do not use it. Drop it, or reopen the database,
     * which builds it again.
     */
    FAILED
}
