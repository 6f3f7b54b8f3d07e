package dev.sablegraph.jmh.scale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load phase of {@link WriteBeyondCache}: {@code ops} operations in transactions of
 * {@code txSize}, on {@code threads} threads sharing a batch counter (each takes the next batch, so
 * a batch's contents never depend on the thread count); every commit timed; a batch the engine
 * calls retryable runs again.
 */
final class LoadBatches {
    private LoadBatches() {}

    /** Writes operations {@code [from, to)} of the phase into {@code tx}. */
    @FunctionalInterface
    interface Work {
        void write(WriteEngine.Tx tx, int from, int to);
    }

    /**
     * A phase's figures. {@code ops} counts the operations committed; {@code failure} is null when
     * every batch committed, else what stopped the phase (the first batch that failed for a reason
     * the engine does not call retryable: the phase stops there).
     */
    record Result(String what, long ops, double seconds, long commits, long retries, long checkpoints,
            LatencyHistogram commitLatency, LatencyHistogram transactionLatency, String failure) {
        double opsPerSecond() {
            return ops / seconds;
        }

        boolean complete() {
            return failure == null;
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("complete", complete());
            if (failure != null) {
                m.put("failure", failure);
            }
            m.put("ops", ops);
            m.put("seconds", seconds);
            m.put("opsPerSecond", opsPerSecond());
            m.put("commits", commits);
            m.put("retries", retries);
            m.put("checkpoints", checkpoints);
            m.put("commitLatency", WriteBeyondCache.latency(commitLatency));
            m.put("transactionLatency", WriteBeyondCache.latency(transactionLatency));
            return m;
        }
    }

    static Result run(WriteEngine engine, String what, int ops, int txSize, int threads, Work work)
            throws InterruptedException {
        int batches = (ops + txSize - 1) / txSize;
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        LatencyHistogram[] commit = new LatencyHistogram[threads];
        LatencyHistogram[] whole = new LatencyHistogram[threads];
        long[] retries = new long[threads];
        String[] failure = new String[threads];
        Throwable[] failureCause = new Throwable[threads];
        List<Thread> running = new ArrayList<>();
        long checkpointsBefore = engine.checkpoints();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int me = t;
            commit[t] = new LatencyHistogram();
            whole[t] = new LatencyHistogram();
            Thread th = new Thread(() -> {
                int from = -1;
                try {
                    for (int b; (b = next.getAndIncrement()) < batches; ) {
                        from = b * txSize;
                        int to = Math.min(ops, from + txSize);
                        while (!commitOne(engine, work, from, to, commit[me], whole[me])) {
                            retries[me]++;
                        }
                        done.addAndGet(to - from);
                    }
                } catch (RuntimeException | OutOfMemoryError e) {
                    failure[me] = String.format(Locale.ROOT, "the batch of %s %,d..%,d failed after %.1f s, %,d %s "
                            + "committed: %s", what, from, Math.min(ops, from + txSize) - 1,
                            (System.nanoTime() - start) / 1e9, done.get(), what, e);
                    failureCause[me] = e;
                    next.set(batches); // the others stop at their next batch
                }
            }, what + "-" + t);
            running.add(th);
            th.start();
        }
        long lastLog = start;
        long lastDone = 0;
        for (Thread th : running) {
            while (th.isAlive()) {
                th.join(1000);
                long now = System.nanoTime();
                if (now - lastLog >= 10_000_000_000L) {
                    long d = done.get();
                    ScaleRun.log("%s %s: %,d / %,d, %,.0f/s over the last %.0f s; %d checkpoints; loadavg %s",
                            engine.name(), what, d, ops, (d - lastDone) / ((now - lastLog) / 1e9), (now - lastLog) / 1e9,
                            engine.checkpoints(), ScaleRun.loadavg());
                    lastLog = now;
                    lastDone = d;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String failed = null;
        for (int t = 0; t < threads; t++) {
            if (failure[t] != null && failed == null) {
                failed = failure[t];
                ScaleRun.log("%s %s: %s", engine.name(), what, failed);
                failureCause[t].printStackTrace(System.out);
            }
        }
        LatencyHistogram c = new LatencyHistogram();
        LatencyHistogram w = new LatencyHistogram();
        long r = 0;
        for (int t = 0; t < threads; t++) {
            c.add(commit[t]);
            w.add(whole[t]);
            r += retries[t];
        }
        long checkpoints = checkpointsBefore < 0 ? -1 : engine.checkpoints() - checkpointsBefore;
        long committed = done.get();
        ScaleRun.log("%s %s %s: %,d in %.1f s = %,.0f/s, %d checkpoints, %d retries", engine.name(), what,
                failed == null ? "done" : "STOPPED", committed, seconds, committed / seconds, checkpoints, r);
        return new Result(what, committed, seconds, c.count(), r, checkpoints, c, w, failed);
    }

    /** One attempt at one batch: false when the engine says to run it again. */
    private static boolean commitOne(WriteEngine engine, Work work, int from, int to, LatencyHistogram commit,
            LatencyHistogram whole) {
        long s = System.nanoTime();
        try (WriteEngine.Tx tx = engine.begin()) {
            work.write(tx, from, to);
            long c = System.nanoTime();
            tx.commit();
            long e = System.nanoTime();
            commit.record(e - c);
            whole.record(e - s);
            return true;
        } catch (RuntimeException e) {
            if (engine.isRetryable(e)) {
                return false;
            }
            throw e;
        }
    }
}
