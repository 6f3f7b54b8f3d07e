package dev.sablegraph.internal.monitor;

import static dev.sablegraph.core.Metric.Kind.COUNTER;
import static dev.sablegraph.core.Metric.Kind.GAUGE;
import static dev.sablegraph.internal.monitor.MetricGroup.CHECKPOINTS;
import static dev.sablegraph.internal.monitor.MetricGroup.LOG;
import static dev.sablegraph.internal.monitor.MetricGroup.MVCC;
import static dev.sablegraph.internal.monitor.MetricGroup.PAGE_CACHE;
import static dev.sablegraph.internal.monitor.MetricGroup.TRANSACTIONS;

import dev.sablegraph.core.Metric;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Every metric a database publishes, in one table: the JMX MBeans ({@link MetricGroupBean}) and
 * {@code ConcurrentGraphDB.metricsSnapshot()} are both read from it, so the two cannot disagree.
 * docs/operations.md, "Metrics", lists the same rows with what a bad value means.
 *
 * <p>A metric's name is derived from its group and its JMX attribute: attribute
 * {@code ForceMicrosTotal} of group {@code Log} is {@code sable.log.force.micros.total}.
 */
public enum DatabaseMetric {
    PAGE_CACHE_CAPACITY_PAGES(PAGE_CACHE, "CapacityPages", GAUGE, "pages",
            "pages the cache holds (pageCacheBytes / pageSize)", r -> r.pageCache().frames()),
    PAGE_CACHE_CAPACITY_BYTES(PAGE_CACHE, "CapacityBytes", GAUGE, "bytes",
            "memory of the cache's frames", r -> r.pageCache().frames() * r.sources().pageSize()),
    PAGE_CACHE_HITS(PAGE_CACHE, "Hits", COUNTER, "accesses",
            "page accesses served from memory", r -> r.pageCache().hits()),
    PAGE_CACHE_MISSES(PAGE_CACHE, "Misses", COUNTER, "accesses",
            "page accesses that read the page from disk (faults)", r -> r.pageCache().misses()),
    PAGE_CACHE_EVICTIONS(PAGE_CACHE, "Evictions", COUNTER, "pages",
            "pages dropped from the cache to make room", r -> r.pageCache().evictions()),
    PAGE_CACHE_FLUSHES(PAGE_CACHE, "Flushes", COUNTER, "pages",
            "pages written to the data file", r -> r.pageCache().flushes()),
    PAGE_CACHE_DIRTY_PAGES(PAGE_CACHE, "DirtyPages", GAUGE, "pages",
            "pages changed in memory and not yet checkpointed", r -> r.pageCache().dirtyPages()),
    PAGE_CACHE_PINNED_PAGES(PAGE_CACHE, "PinnedPages", GAUGE, "pages",
            "pages pinned right now (held by readers, writers or a checkpoint)", r -> r.pageCache().pinnedPages()),
    PAGE_CACHE_SPILLED_PAGES(PAGE_CACHE, "SpilledPages", GAUGE, "pages",
            "pages in the spill file: dirty pages evicted before a checkpoint wrote them", r -> r.sources().spilledPages()),
    PAGE_CACHE_SPILL_WRITES(PAGE_CACHE, "SpillWrites", COUNTER, "pages",
            "dirty pages evicted to the spill file", r -> r.sources().spillWrites()),
    PAGE_CACHE_SPILL_READS(PAGE_CACHE, "SpillReads", COUNTER, "pages",
            "page faults served from the spill file", r -> r.sources().spillReads()),

    LOG_RECORDS(LOG, "Records", COUNTER, "records",
            "commit records appended to the log (one per commit that changed something)", r -> r.log().records()),
    LOG_APPENDED_BYTES(LOG, "AppendedBytes", COUNTER, "bytes",
            "bytes appended to the log", r -> r.log().appendedBytes()),
    LOG_FORCES(LOG, "Forces", COUNTER, "forces",
            "fsyncs of log segments; Records / Forces is the mean group-commit size", r -> r.log().forces()),
    LOG_FORCE_MICROS_TOTAL(LOG, "ForceMicrosTotal", COUNTER, "microseconds",
            "time spent in log fsyncs; divided by Forces, the mean fsync latency", r -> r.log().forceMicrosTotal()),
    LOG_FORCE_MICROS_MAX(LOG, "ForceMicrosMax", GAUGE, "microseconds",
            "the longest log fsync since open", r -> r.log().forceMicrosMax()),
    LOG_UNFORCED_BYTES(LOG, "UnforcedBytes", GAUGE, "bytes",
            "log appended but not yet forced", r -> r.log().unforcedBytes()),

    CHECKPOINTS_COUNT(CHECKPOINTS, "Count", COUNTER, "checkpoints",
            "checkpoints completed", r -> r.checkpoints().checkpoints()),
    CHECKPOINTS_PAGES_WRITTEN(CHECKPOINTS, "PagesWritten", COUNTER, "pages",
            "pages written by checkpoints", r -> r.checkpoints().pagesWritten()),
    CHECKPOINTS_BYTES_WRITTEN(CHECKPOINTS, "BytesWritten", COUNTER, "bytes",
            "bytes of pages written by checkpoints (each also once to the double-write image)",
            r -> r.checkpoints().pagesWritten() * r.sources().pageSize()),
    CHECKPOINTS_LAST_MILLIS(CHECKPOINTS, "LastMillis", GAUGE, "milliseconds",
            "how long the most recent checkpoint took", r -> r.checkpoints().lastMillis()),
    CHECKPOINTS_MAX_MILLIS(CHECKPOINTS, "MaxMillis", GAUGE, "milliseconds",
            "the longest checkpoint since open", r -> r.checkpoints().maxMillis()),
    CHECKPOINTS_TOTAL_MILLIS(CHECKPOINTS, "TotalMillis", COUNTER, "milliseconds",
            "time spent in checkpoints", r -> r.checkpoints().totalMillis()),
    CHECKPOINTS_MAX_SWITCH_MICROS(CHECKPOINTS, "MaxSwitchMicros", GAUGE, "microseconds",
            "the longest time commits and readers waited for a checkpoint's switch",
            r -> r.checkpoints().maxSwitchMicros()),
    CHECKPOINTS_TOTAL_SWITCH_MICROS(CHECKPOINTS, "TotalSwitchMicros", COUNTER, "microseconds",
            "time commits and readers waited for checkpoint switches", r -> r.checkpoints().totalSwitchMicros()),
    CHECKPOINTS_LOG_BYTES_SINCE_LAST(CHECKPOINTS, "LogBytesSinceLast", GAUGE, "bytes",
            "log written since the last checkpoint: what recovery would replay after a crash now",
            r -> r.sources().logBytesSinceCheckpoint()),

    MVCC_LAST_COMMIT(MVCC, "LastCommit", GAUGE, "timestamp",
            "timestamp of the newest visible commit (timestamps count commits since open)", r -> r.mvcc().lastCommit()),
    MVCC_OLDEST_SNAPSHOT(MVCC, "OldestSnapshot", GAUGE, "timestamp",
            "the oldest snapshot an open transaction reads at", r -> r.mvcc().oldestSnapshot()),
    MVCC_HORIZON_LAG(MVCC, "HorizonLag", GAUGE, "commits",
            "LastCommit - OldestSnapshot: commits whose old versions the oldest transaction keeps",
            r -> r.mvcc().reclamationLag()),
    MVCC_VERSION_CHAINS(MVCC, "VersionChains", GAUGE, "entities",
            "nodes and edges with a version history in memory", r -> r.mvcc().versionChains()),
    MVCC_VERSIONS(MVCC, "Versions", GAUGE, "versions",
            "old versions held in memory for open snapshots", r -> r.mvcc().versions()),
    MVCC_RECLAIMED_VERSIONS(MVCC, "ReclaimedVersions", COUNTER, "versions",
            "old versions reclaimed by the collector", r -> r.mvcc().reclaimedVersions()),
    MVCC_PURGED_ENTITIES(MVCC, "PurgedEntities", COUNTER, "entities",
            "deleted nodes and edges physically removed", r -> r.mvcc().purgedEntities()),

    TRANSACTIONS_OPEN(TRANSACTIONS, "Open", GAUGE, "transactions",
            "transactions begun and not yet ended", r -> r.mvcc().activeTransactions()),
    TRANSACTIONS_OLDEST_AGE_MILLIS(TRANSACTIONS, "OldestAgeMillis", GAUGE, "milliseconds",
            "how long the oldest open transaction has been open (0: none)", r -> r.mvcc().oldestTransactionAgeMillis()),
    TRANSACTIONS_COMMITS(TRANSACTIONS, "Commits", COUNTER, "transactions",
            "transactions ended by commit() (read-only ones too)", r -> r.sources().committedTransactions()),
    TRANSACTIONS_ROLLBACKS(TRANSACTIONS, "Rollbacks", COUNTER, "transactions",
            "transactions ended by rollback() or close() without commit", r -> r.sources().rolledBackTransactions()),
    TRANSACTIONS_WRITE_CONFLICTS(TRANSACTIONS, "WriteConflicts", COUNTER, "transactions",
            "transactions failed by write-write conflicts", r -> r.mvcc().conflicts()),
    TRANSACTIONS_ABANDONED(TRANSACTIONS, "Abandoned", COUNTER, "transactions",
            "transactions dropped without close() and rolled back by the database", r -> r.mvcc().abandonedTransactions()),
    TRANSACTIONS_EXPIRED(TRANSACTIONS, "Expired", COUNTER, "transactions",
            "transactions aborted for being open longer than maxTransactionAgeMillis",
            r -> r.mvcc().expiredTransactions());

    private final MetricGroup group;
    private final String attribute;
    private final Metric.Kind kind;
    private final String unit;
    private final String description;
    private final ToLongFunction<Reading> value;
    private final String metricName;

    DatabaseMetric(MetricGroup group, String attribute, Metric.Kind kind, String unit, String description,
            ToLongFunction<Reading> value) {
        this.group = group;
        this.attribute = attribute;
        this.kind = kind;
        this.unit = unit;
        this.description = description;
        this.value = value;
        this.metricName = group.namePrefix() + attribute.replaceAll("(?<=[a-z])(?=[A-Z])", ".").toLowerCase(Locale.ROOT);
    }

    public MetricGroup group() {
        return group;
    }

    /** The attribute of the group's MBean. */
    public String attribute() {
        return attribute;
    }

    /** {@code sable.<group>.<what>}. */
    public String metricName() {
        return metricName;
    }

    public Metric.Kind kind() {
        return kind;
    }

    public String unit() {
        return unit;
    }

    public String description() {
        return description;
    }

    long read(Reading reading) {
        return value.applyAsLong(reading);
    }

    /** Every metric read once from {@code sources}, in this table's order, by name; unmodifiable. */
    public static Map<String, Metric> snapshot(MetricSources sources) {
        Reading reading = new Reading(sources);
        Map<String, Metric> metrics = new LinkedHashMap<>();
        for (DatabaseMetric m : values()) {
            metrics.put(m.metricName, new Metric(m.metricName, m.kind, m.unit, m.read(reading), m.description));
        }
        return Collections.unmodifiableMap(metrics);
    }
}
