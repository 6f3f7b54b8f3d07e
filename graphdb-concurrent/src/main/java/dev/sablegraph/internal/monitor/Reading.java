package dev.sablegraph.internal.monitor;

import dev.sablegraph.core.CheckpointMetrics;
import dev.sablegraph.core.MvccMetrics;
import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.internal.wal.LogMetrics;

/**
 * One reading of a database's counters: each source is asked when a metric first needs it and at
 * most once, so that the metrics of one reading are consistent with each other and reading all of
 * them costs each source once (the MVCC figures walk the version chains). One thread's, not shared.
 */
final class Reading {
    private final MetricSources sources;
    private PageCacheMetrics pageCache;
    private LogMetrics log;
    private CheckpointMetrics checkpoints;
    private MvccMetrics mvcc;

    Reading(MetricSources sources) {
        this.sources = sources;
    }

    PageCacheMetrics pageCache() {
        if (pageCache == null) {
            pageCache = sources.pageCache();
        }
        return pageCache;
    }

    LogMetrics log() {
        if (log == null) {
            log = sources.log();
        }
        return log;
    }

    CheckpointMetrics checkpoints() {
        if (checkpoints == null) {
            checkpoints = sources.checkpoints();
        }
        return checkpoints;
    }

    MvccMetrics mvcc() {
        if (mvcc == null) {
            mvcc = sources.mvcc();
        }
        return mvcc;
    }

    MetricSources sources() {
        return sources;
    }
}
