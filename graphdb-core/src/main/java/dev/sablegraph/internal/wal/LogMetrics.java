package dev.sablegraph.internal.wal;

/**
 * A point-in-time copy of the log's counters since open ({@link WriteAheadLog#metrics()}).
 *
 * @param records records appended (one per commit that changed something)
 * @param appendedBytes bytes appended, framing and the log's own marks included
 * @param forces forces of segment files ({@link WriteAheadLog#forces()}): with group commit,
 *     fewer than records; {@code records / forces} is the mean group size
 * @param forceMicrosTotal time spent in those forces, all together
 * @param forceMicrosMax the longest of them
 * @param unforcedBytes bytes appended and not yet forced: what a crash now could lose of commits
 *     that did not wait (ASYNC), or what waiting committers wait for
 */
public record LogMetrics(long records, long appendedBytes, long forces, long forceMicrosTotal, long forceMicrosMax,
        long unforcedBytes) {}
