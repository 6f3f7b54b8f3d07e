package dev.sablegraph.internal.monitor;

import dev.sablegraph.core.CheckpointMetrics;
import dev.sablegraph.core.MvccMetrics;
import dev.sablegraph.core.OpenTransaction;
import dev.sablegraph.core.PageCacheMetrics;
import dev.sablegraph.internal.wal.LogMetrics;
import java.util.List;

/**
 * Where a database's metrics come from: the counters its parts keep. Each call reads them afresh;
 * {@link Reading} asks each at most once per reading. Must not fail once the database is closed
 * (a JMX client may read while it closes): the counters then simply stop moving.
 */
public interface MetricSources {
    PageCacheMetrics pageCache();

    int pageSize();

    /** Pages in the page cache's spill file now (evicted dirty, not yet checkpointed). */
    long spilledPages();

    /** Pages written to the spill file since open. */
    long spillWrites();

    /** Pages read back from the spill file since open. */
    long spillReads();

    LogMetrics log();

    /** Log written since the last checkpoint. */
    long logBytesSinceCheckpoint();

    CheckpointMetrics checkpoints();

    MvccMetrics mvcc();

    /** Transactions ended by {@code commit()} since open. */
    long committedTransactions();

    /** Transactions ended by {@code rollback()} or {@code close()} since open. */
    long rolledBackTransactions();

    /** The open transactions, oldest first. */
    List<OpenTransaction> openTransactions();
}
