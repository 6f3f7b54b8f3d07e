package dev.sablegraph.core;

/**
 * One index of a database's schema, as {@code ConcurrentGraphDB.indexes()} lists it.
 *
 * @param label the label of the nodes it indexes
 * @param key the property key whose values it indexes
 * @param unique whether it backs a unique constraint: no two nodes with the label share a value
 * @param state building, online or failed
 * @param progress how far a build has come, from 0.0 to 1.0 (the share of node ids it has passed);
 *     1.0 once online
 * @param failure why the build failed, when {@code state} is {@link IndexState#FAILED}; else null
 */
public record IndexDescription(String label, String key, boolean unique, IndexState state, double progress,
        String failure) {
    @Override
    public String toString() {
        return (unique ? "unique constraint on :" : "index on :") + label + "(" + key + ") " + state
                + (state == IndexState.BUILDING ? String.format(" %.0f%%", progress * 100) : "")
                + (failure != null ? ": " + failure : "");
    }
}
