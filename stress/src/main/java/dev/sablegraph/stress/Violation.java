package dev.sablegraph.stress;

/**
 * One broken invariant: which one, the snapshot that showed it (-1 when not in a snapshot) and the
 * ids and values involved, enough to find it again in the data.
 */
record Violation(String invariant, long snapshot, String details) {
    @Override
    public String toString() {
        return "VIOLATION [" + invariant + "]" + (snapshot >= 0 ? " snapshot " + snapshot : "") + ": " + details;
    }
}
