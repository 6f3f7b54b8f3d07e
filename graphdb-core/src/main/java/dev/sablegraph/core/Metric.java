package dev.sablegraph.core;

/**
 * One reading of one of a database's metrics, as {@code ConcurrentGraphDB.metricsSnapshot()} and
 * {@code forEachMetric} give them: enough to register it with a metrics library (Micrometer,
 * OpenTelemetry) without Sable depending on one. docs/operations.md lists every metric and what a
 * bad value means.
 *
 * @param name dotted and lower case, {@code sable.<group>.<what>}, e.g. {@code sable.pagecache.hits};
 *     the same metric is attribute {@code <What>} of the JMX MBean of that group
 * @param kind whether the value only grows (a count since open) or goes up and down
 * @param unit what the value counts or measures, e.g. {@code pages}, {@code bytes}, {@code milliseconds}
 * @param value the reading
 * @param description one sentence on what it is
 */
public record Metric(String name, Kind kind, String unit, long value, String description) {

    /** How a metric's value moves, which decides how a metrics library should record it. */
    public enum Kind {
        /** Cumulative since the database was opened; never decreases (a Micrometer {@code FunctionCounter}). */
        COUNTER,
        /** A current value that goes up and down (a Micrometer {@code Gauge}). */
        GAUGE
    }
}
