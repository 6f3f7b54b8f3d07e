package dev.sablegraph.jmh.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Supplier;

/**
 * {@link ScaleRun}'s read phases, for any engine that can read node {@code i} of the dataset: the
 * same random node ids (seeded per phase and thread), the same timing (every read timed with
 * {@link System#nanoTime()} around the whole read, recorded in a {@link LatencyHistogram}) and the
 * same result fields. Phases: warm-up (cold page cache), one thread (on the calling thread), then
 * {@code threads} threads started together.
 */
public final class ScaleReads {
    private ScaleReads() {}

    /**
     * One read of node {@code i} of the dataset, the whole transaction: begin, get the node, read its
     * labels and properties (checking its name with {@link #nameMatches}), close.
     */
    @FunctionalInterface
    public interface NodeRead {
        /**
         * Reads node {@code i}.
         *
         * @param i the node's number in the dataset
         * @return a value computed from what was read (summed, so that the reads are not optimised away)
         */
        long read(int i);
    }

    /** An engine's page cache counters at one moment: accesses that found their page, and those that did not. */
    public record CacheCounts(long hits, long misses) {}

    /**
     * Whether {@code name} is node {@code i}'s name, {@code "n" + i}, without building the string.
     *
     * @param name the name property read
     * @param i the node's number in the dataset
     * @return whether it is the node's name
     */
    public static boolean nameMatches(Object name, int i) {
        if (!(name instanceof String s) || s.length() < 2 || s.charAt(0) != 'n') {
            return false;
        }
        String digits = Integer.toString(i);
        return s.length() == digits.length() + 1 && s.regionMatches(1, digits, 0, digits.length());
    }

    /**
     * The error a read throws on a node whose name is not the one expected: the database does not
     * hold the dataset, or its node numbering differs.
     */
    public static IllegalStateException wrongNode(long id, Object name, int i) {
        return new IllegalStateException("node " + id + " has name " + name + ", expected n" + i);
    }

    /**
     * Runs the warm-up, one-thread and {@code threads}-thread phases over nodes {@code 0} to
     * {@code n - 1} and puts their results into {@code result} as {@code warmup}, {@code read1} and
     * {@code readN}.
     *
     * @param read one read
     * @param n the number of nodes read from
     * @param warmupSeconds the warm-up's length
     * @param measureSeconds the length of each measured phase
     * @param threads the threads of the last phase
     * @param cache the engine's page cache counters, or {@code null} if it has none (the phases then
     *     report {@code NaN} for the page cache figures)
     * @param result where the phases' results go
     * @throws Exception when a read fails
     */
    public static void phases(NodeRead read, int n, double warmupSeconds, double measureSeconds, int threads,
            Supplier<CacheCounts> cache, Map<String, Object> result) throws Exception {
        Reader warm = new Reader(read, n, ScaleDataset.SEED + 1);
        result.put("warmup", phase(List.of(warm), warmupSeconds, "warm-up (cold page cache)", cache));
        Reader one = new Reader(read, n, ScaleDataset.SEED + 2);
        result.put("read1", phase(List.of(one), measureSeconds, "1 thread", cache));
        List<Reader> many = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            many.add(new Reader(read, n, ScaleDataset.SEED + 3 + t));
        }
        result.put("readN", phase(many, measureSeconds, threads + " threads", cache));
    }

    /** One reading thread's state: its random stream, its histogram, a sink for the values read. */
    static final class Reader implements Runnable {
        private final NodeRead read;
        private final int n;
        private final SplittableRandom rnd;
        final LatencyHistogram histogram = new LatencyHistogram();
        long ops;
        long sink;
        volatile long deadline;
        CyclicBarrier start;
        long startNanos;
        long endNanos;
        Throwable failure;

        Reader(NodeRead read, int n, long seed) {
            this.read = read;
            this.n = n;
            this.rnd = new SplittableRandom(seed);
        }

        @Override
        public void run() {
            try {
                if (start != null) {
                    start.await();
                }
                startNanos = System.nanoTime();
                long end = startNanos + deadline;
                long now = startNanos;
                while (now < end) {
                    for (int k = 0; k < 256; k++) {
                        int i = rnd.nextInt(n);
                        long s = System.nanoTime();
                        sink += read.read(i);
                        now = System.nanoTime();
                        histogram.record(now - s);
                    }
                    ops += 256;
                }
                endNanos = now;
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    private static Map<String, Object> phase(List<Reader> readers, double seconds, String name, Supplier<CacheCounts> cache)
            throws Exception {
        String loadBefore = ScaleRun.loadavg();
        long[] ioBefore = procIo();
        CacheCounts before = cache == null ? null : cache.get();
        long nanos = (long) (seconds * 1e9);
        CyclicBarrier barrier = readers.size() > 1 ? new CyclicBarrier(readers.size()) : null;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < readers.size(); i++) {
            Reader r = readers.get(i);
            r.deadline = nanos;
            r.start = barrier;
            Thread t = new Thread(r, "scale-reader-" + i);
            threads.add(t);
        }
        if (readers.size() == 1) {
            readers.get(0).run(); // on this thread: no hand-off
        } else {
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
        }
        LatencyHistogram all = new LatencyHistogram();
        long ops = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Reader r : readers) {
            if (r.failure != null) {
                throw new IllegalStateException("reader failed", r.failure);
            }
            all.add(r.histogram);
            ops += r.ops;
            first = Math.min(first, r.startNanos);
            last = Math.max(last, r.endNanos);
        }
        CacheCounts after = cache == null ? null : cache.get();
        long[] ioAfter = procIo();
        double elapsed = (last - first) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threads", (long) readers.size());
        m.put("seconds", elapsed);
        m.put("ops", ops);
        m.put("opsPerSecond", ops / elapsed);
        m.put("meanNs", all.mean());
        m.put("p50Ns", all.percentile(50));
        m.put("p90Ns", all.percentile(90));
        m.put("p99Ns", all.percentile(99));
        m.put("p999Ns", all.percentile(99.9));
        m.put("p9999Ns", all.percentile(99.99));
        m.put("maxNs", all.max());
        long hits = after == null ? 0 : after.hits() - before.hits();
        long misses = after == null ? 0 : after.misses() - before.misses();
        m.put("pageCacheHitRatio", hits + misses == 0 ? Double.NaN : (double) hits / (hits + misses));
        m.put("pageAccessesPerRead", ops == 0 || after == null ? Double.NaN : (double) (hits + misses) / ops);
        m.put("pageCacheMissesPerRead", ops == 0 || after == null ? Double.NaN : (double) misses / ops);
        m.put("diskReadBytes", ioAfter[1] - ioBefore[1]);
        m.put("readSyscallBytes", ioAfter[0] - ioBefore[0]);
        m.put("loadavgBefore", loadBefore);
        m.put("loadavgAfter", ScaleRun.loadavg());
        m.put("vmRssBytes", ScaleRun.procStatus("VmRSS"));
        ScaleRun.log("%s: %,d reads in %.1f s = %,.0f reads/s; p50 %.2f us, p90 %.2f us, p99 %.2f us, p99.9 %.2f us, "
                        + "max %.0f us; page cache hit %.4f, %.2f page accesses and %.3f misses per read, %s read from disk; "
                        + "loadavg %s",
                name, ops, elapsed, ops / elapsed, all.percentile(50) / 1e3, all.percentile(90) / 1e3,
                all.percentile(99) / 1e3, all.percentile(99.9) / 1e3, all.max() / 1e3, m.get("pageCacheHitRatio"),
                m.get("pageAccessesPerRead"), m.get("pageCacheMissesPerRead"), ScaleRun.mib(ioAfter[1] - ioBefore[1]),
                ScaleRun.loadavg());
        long sink = 0;
        for (Reader r : readers) {
            sink += r.sink;
        }
        if (sink == 42) {
            System.out.print(""); // keeps the values read alive
        }
        return m;
    }

    /** {rchar, read_bytes} from /proc/self/io, or -1s. */
    private static long[] procIo() {
        long[] r = {-1, -1};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("rchar:")) {
                    r[0] = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("read_bytes:")) {
                    r[1] = Long.parseLong(line.substring(11).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return r;
    }
}
