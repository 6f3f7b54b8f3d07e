package dev.sablegraph.core;

/**
 * One open transaction, as {@code ConcurrentGraphDB.openTransactions()} lists it: who holds back
 * the reclamation of old versions, and for how long.
 *
 * @param snapshot the commit timestamp its snapshot reads at
 * @param ageMillis how long ago it began
 * @param thread the name of the thread that began it
 */
public record OpenTransaction(long snapshot, long ageMillis, String thread) {}
