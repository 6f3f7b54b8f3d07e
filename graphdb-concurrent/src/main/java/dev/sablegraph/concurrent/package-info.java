/**
 * Concurrent access to a Sable graph database.
 *
 * <p>This package will hold {@code ConcurrentGraphDB}, a thread-safe front end over
 * {@code dev.sablegraph.core}, and its snapshot-isolated {@code Transaction}s: each
 * transaction reads from a consistent snapshot taken when it begins and its writes
 * become visible atomically on commit, with write-write conflicts detected at commit.
 */
package dev.sablegraph.concurrent;
