/**
 * The database: {@link dev.sablegraph.concurrent.ConcurrentGraphDB} opens a directory and hands out
 * snapshot-isolated {@link dev.sablegraph.concurrent.Transaction}s to many threads. Each transaction
 * reads the state committed before it began plus its own writes; its writes become visible
 * atomically once its commit is durable; of two concurrent transactions changing the same node or
 * edge, the second to commit fails with {@code WriteConflictException}.
 *
 * <p>This package holds only the API. The engine beneath it lives in {@code dev.sablegraph.internal.*}
 * (not exported; docs/architecture.md draws the layers).
 */
package dev.sablegraph.concurrent;
