package dev.sablegraph.jmh.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 100; v++) {
            h.record(v);
        }
        assertEquals(100, h.count());
        assertEquals(50, h.percentile(50));
        assertEquals(99, h.percentile(99));
        assertEquals(100, h.percentile(100));
        assertEquals(1, h.percentile(0));
        assertEquals(1, h.min());
        assertEquals(100, h.max());
        assertEquals(50.5, h.mean(), 1e-9);
    }

    @Test
    void bucketsCoverEveryValueOnceWithinPrecision() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int k = 0; k < 200_000; k++) {
            long v = rnd.nextLong(1L << rnd.nextInt(1, 62));
            int i = LatencyHistogram.index(v);
            long hi = LatencyHistogram.upperBound(i);
            assertTrue(hi >= v, v + " above its bucket bound " + hi);
            if (i > 0) {
                assertTrue(LatencyHistogram.upperBound(i - 1) < v, v + " also fits the bucket before");
            }
            assertTrue(hi - v <= v / 128, "bucket of " + v + " too wide: " + hi);
        }
        assertEquals(LatencyHistogram.index(Long.MAX_VALUE), LatencyHistogram.index(Long.MAX_VALUE - 1));
    }

    @Test
    void percentilesMatchSortedSamplesWithinABucket() {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 100_000;
        long[] samples = new long[n];
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int k = 0; k < n; k++) {
            // log-normal-ish: mostly around a microsecond, a tail to milliseconds
            long v = (long) (300 * Math.exp(rnd.nextGaussian() * 1.5));
            samples[k] = v;
            (k % 2 == 0 ? a : b).record(v);
        }
        a.add(b);
        Arrays.sort(samples);
        for (double p : new double[] {1, 50, 90, 99, 99.9, 99.99}) {
            long exact = samples[(int) Math.ceil(p / 100 * n) - 1];
            long got = a.percentile(p);
            assertTrue(got >= exact && got <= exact + exact / 128 + 1, "p" + p + ": exact " + exact + ", histogram " + got);
        }
        assertEquals(samples[n - 1], a.percentile(100));
        assertEquals(n, a.count());
    }

    @Test
    void emptyAndNegative() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.percentile(99));
        assertTrue(Double.isNaN(h.mean()));
        h.record(-5);
        assertEquals(0, h.max());
    }
}
