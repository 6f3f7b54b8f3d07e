package dev.sablegraph.core;

/**
 * Receives a database's metrics one at a time from {@code ConcurrentGraphDB.forEachMetric}: the
 * bridge an application writes to its metrics library (docs/operations.md shows one for Micrometer).
 */
@FunctionalInterface
public interface MetricsSink {
    /**
     * Takes one reading.
     *
     * @param metric the metric's name, kind, unit and value
     */
    void accept(Metric metric);
}
