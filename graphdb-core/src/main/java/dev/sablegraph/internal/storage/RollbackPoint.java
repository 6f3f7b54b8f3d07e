package dev.sablegraph.internal.storage;

/**
 * What one structure held in memory at a moment, kept so that a change that fails part-way can
 * be taken back (see {@code GraphStore.changeAtomically}). Exactly one of {@link #restore} or
 * {@link #discard} is called, by the thread that made the change, while no other thread can
 * change the structure.
 */
public interface RollbackPoint {
    /** Puts the structure back as it was when this point was taken. */
    void restore();

    /** The change succeeded: forget what was kept. */
    default void discard() {}
}
