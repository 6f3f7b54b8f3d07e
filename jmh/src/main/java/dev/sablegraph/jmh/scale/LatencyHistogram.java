package dev.sablegraph.jmh.scale;

/**
 * Recorded latencies in fixed log-linear buckets, as HdrHistogram does: values below
 * {@value #SUB_BUCKETS} ns are exact; above, each power of two is split into
 * {@value #HALF} equal buckets, so a bucket is at most 1/{@value #HALF} (0.8 %) of its value wide.
 * Recording is a few arithmetic operations and one array increment (no allocation), so it can sit
 * inside a timed loop; percentiles report the upper bound of the bucket holding the rank (never below
 * the true value, at most 0.8 % above it). Values up to 2^62 ns. Not thread-safe: one per thread,
 * then {@link #add}.
 */
public final class LatencyHistogram {
    static final int SUB_BUCKETS = 256;
    static final int HALF = SUB_BUCKETS / 2;
    private static final int SUB_BITS = 8; // log2(SUB_BUCKETS)
    private static final int SHIFTS = 63 - SUB_BITS + 1;

    private final long[] counts = new long[SUB_BUCKETS + SHIFTS * HALF];
    private long total;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;
    private double sum;

    /** Records one value in nanoseconds; negative values are recorded as 0. */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        sum += v;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    static int index(long v) {
        if (v < SUB_BUCKETS) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - (SUB_BITS - 1); // >= 1; v >>> shift in [128, 256)
        return SUB_BUCKETS + (shift - 1) * HALF + (int) ((v >>> shift) - HALF);
    }

    /** The largest value that falls into bucket {@code i}. */
    static long upperBound(int i) {
        if (i < SUB_BUCKETS) {
            return i;
        }
        int shift = (i - SUB_BUCKETS) / HALF + 1;
        long sub = (i - SUB_BUCKETS) % HALF + HALF;
        return ((sub + 1) << shift) - 1;
    }

    /** Adds the other histogram's counts to this one. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public long count() {
        return total;
    }

    public long min() {
        return total == 0 ? 0 : min;
    }

    public long max() {
        return total == 0 ? 0 : max;
    }

    public double mean() {
        return total == 0 ? Double.NaN : sum / total;
    }

    /**
     * The value at percentile {@code p} (0 to 100): the smallest recorded bucket bound such that at
     * least {@code p} % of the values are at or below it (nearest rank), capped at the maximum seen.
     */
    public long percentile(double p) {
        if (total == 0) {
            return 0;
        }
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be within 0..100, was " + p);
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }
}
