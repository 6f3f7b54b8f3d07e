/**
 * The write-ahead log: {@link dev.sablegraph.internal.wal.WriteAheadLog} appends records and makes
 * them durable by group commit; {@link dev.sablegraph.internal.wal.LogReader} reads them back for
 * recovery and finds where the valid log ends. On-disk layout: {@code SegmentHeader} and
 * {@code RecordFrame}; file naming: {@code SegmentFiles}. The package uses only the root package
 * {@code dev.sablegraph.core} (exceptions), storage's channels and util's loggers, so any layer
 * above storage may own a log.
 */
package dev.sablegraph.internal.wal;
