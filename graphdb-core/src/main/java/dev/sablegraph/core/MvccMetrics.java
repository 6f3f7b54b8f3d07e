package dev.sablegraph.core;

/**
 * A point-in-time view of multi-version state.
 *
 * @param activeTransactions transactions begun and not yet ended
 * @param lastCommit timestamp of the newest published commit
 * @param oldestSnapshot the oldest snapshot a running transaction holds (= lastCommit when none);
 *     {@code lastCommit - oldestSnapshot} is how far a long reader holds reclamation back
 * @param versionChains entities with a history in memory
 * @param versions older versions kept in those chains
 * @param reclaimedVersions versions reclaimed since open
 * @param purgedEntities deleted nodes and edges physically removed since open
 * @param conflicts transactions failed by write-write conflicts since open
 * @param oldestTransactionAgeMillis how long the oldest open transaction has been open (0: none)
 * @param abandonedTransactions transactions that became unreachable without {@code close()} and were
 *     rolled back by the database since open: each one is a leak in the application
 * @param expiredTransactions transactions aborted since open for being open longer than
 *     {@code maxTransactionAgeMillis}
 */
public record MvccMetrics(long activeTransactions, long lastCommit, long oldestSnapshot, long versionChains,
        long versions, long reclaimedVersions, long purgedEntities, long conflicts, long oldestTransactionAgeMillis,
        long abandonedTransactions, long expiredTransactions) {

    /**
     * Commits the oldest running snapshot lags behind: what a long reader holds back.
     *
     * @return {@code lastCommit - oldestSnapshot}
     */
    public long reclamationLag() {
        return lastCommit - oldestSnapshot;
    }
}
