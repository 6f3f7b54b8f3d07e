package dev.sablegraph.stress;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a run, bumped by every worker (LongAdder: no contended cache line between 50
 * threads). {@link #operations} also serves the watchdog as the progress counter.
 */
final class RunStats {
    /** Completed operations of any kind: a transfer, an increment, a churn step, a read, a check. */
    final LongAdder operations = new LongAdder();
    /** Transactions whose commit returned with writes in them. */
    final LongAdder commits = new LongAdder();
    /** Write conflicts met (each retry after one counts again). */
    final LongAdder conflicts = new LongAdder();
    /** The same by operation name, for the summary: which kind of work collides most. */
    private final Map<String, LongAdder> conflictsByOperation = new ConcurrentHashMap<>();
    /** Invariant checks completed, whatever their verdict. */
    final LongAdder checks = new LongAdder();
    /** Write operations that found nothing to do in their snapshot (rolled back). */
    final LongAdder idle = new LongAdder();

    void conflict(Operation op) {
        conflicts.increment();
        conflictsByOperation.computeIfAbsent(op.name(), k -> new LongAdder()).increment();
    }

    /** "counter increment 1,234, bank transfer 56" in descending order. */
    String conflictsByOperation() {
        StringBuilder s = new StringBuilder();
        conflictsByOperation.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> s.append(s.length() == 0 ? "" : ", ").append(String.format("%s %,d", e.getKey(),
                        e.getValue().sum())));
        return s.length() == 0 ? "none" : s.toString();
    }

    /** A consistent-enough copy for one progress line. */
    record Snapshot(long operations, long commits, long conflicts, long checks, long idle) {}

    Snapshot snapshot() {
        return new Snapshot(operations.sum(), commits.sum(), conflicts.sum(), checks.sum(), idle.sum());
    }
}
