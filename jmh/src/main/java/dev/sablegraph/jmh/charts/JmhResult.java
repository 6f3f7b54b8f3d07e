package dev.sablegraph.jmh.charts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark result from a JMH JSON file (what {@code -rf json} writes, and what
 * {@code ThroughputTable --json} writes through JMH's own result writer): an array of objects with
 * {@code benchmark}, {@code mode}, {@code threads}, {@code params} and {@code primaryMetric}.
 *
 * @param source the file (and array index) it came from, for messages
 * @param benchmark the full benchmark name, {@code package.Class.method}
 * @param mode JMH's mode name ({@code thrpt}, {@code avgt}, {@code sample}, {@code ss})
 * @param threads threads of the run
 * @param params the {@code @Param} values, as strings (empty when the benchmark has none)
 * @param score the primary score (the mean over iterations)
 * @param scoreError half-width of JMH's 99.9 % confidence interval; NaN when JMH could not compute one
 * @param unit the score's unit, e.g. {@code ops/s}
 * @param iterationScores the raw per-iteration scores, all forks in order (may be empty)
 * @param run how it was run, as JMH recorded it: {@code jmhVersion}, {@code jdkVersion},
 *     {@code forks}, {@code warmupIterations}, {@code warmupTime}, {@code measurementIterations},
 *     {@code measurementTime} (those present)
 */
public record JmhResult(String source, String benchmark, String mode, int threads, Map<String, String> params,
        double score, double scoreError, String unit, double[] iterationScores, Map<String, String> run) {
    private static final List<String> RUN_KEYS = List.of("jmhVersion", "jdkVersion", "vmVersion", "forks",
            "warmupIterations", "warmupTime", "measurementIterations", "measurementTime");

    /** The simple class name, e.g. {@code ConcurrentThroughput}. */
    public String className() {
        String cls = benchmark.substring(0, Math.max(0, benchmark.lastIndexOf('.')));
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    /** The package, e.g. {@code dev.sablegraph.jmh}. */
    public String packageName() {
        String cls = benchmark.substring(0, Math.max(0, benchmark.lastIndexOf('.')));
        int dot = cls.lastIndexOf('.');
        return dot < 0 ? "" : cls.substring(0, dot);
    }

    /** The benchmark method, e.g. {@code read}. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** The median of the per-iteration scores, or the score when there are none. */
    public double median() {
        if (iterationScores.length == 0) {
            return score;
        }
        double[] s = iterationScores.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Reads every result in a JMH JSON file; malformed content names the file and the position or entry. */
    public static List<JmhResult> read(Path file) throws IOException {
        Object doc = Json.parse(file);
        return fromJson(doc, file.toString());
    }

    /** Interprets a parsed JMH JSON document. */
    public static List<JmhResult> fromJson(Object doc, String source) {
        if (!(doc instanceof List<?> list)) {
            throw new IllegalArgumentException(source + ": not a JMH result file: expected a JSON array of results, got "
                    + Json.describe(doc));
        }
        List<JmhResult> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = source + " [" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> o)) {
                throw new IllegalArgumentException(where + ": expected a result object, got " + Json.describe(list.get(i)));
            }
            String benchmark = string(o, "benchmark", where);
            String mode = string(o, "mode", where);
            Object t = o.get("threads");
            if (!(t instanceof Long threads) || threads < 1 || threads > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where + ": \"threads\" must be a positive integer, got " + Json.describe(t));
            }
            Map<String, String> params = new LinkedHashMap<>();
            Object p = o.get("params");
            if (p instanceof Map<?, ?> pm) {
                for (Map.Entry<?, ?> e : pm.entrySet()) {
                    params.put((String) e.getKey(), e.getValue() == null ? "null" : String.valueOf(e.getValue()));
                }
            } else if (p != null) {
                throw new IllegalArgumentException(where + ": \"params\" must be an object, got " + Json.describe(p));
            }
            if (!(o.get("primaryMetric") instanceof Map<?, ?> pmetric)) {
                throw new IllegalArgumentException(where + ": missing \"primaryMetric\" object");
            }
            double score = Json.toDouble(pmetric.get("score"), where + " primaryMetric.score");
            Object errValue = pmetric.get("scoreError");
            double error = errValue == null ? Double.NaN : Json.toDouble(errValue, where + " primaryMetric.scoreError");
            String unit = string(pmetric, "scoreUnit", where + " primaryMetric");
            List<Double> raw = new ArrayList<>();
            if (pmetric.get("rawData") instanceof List<?> forks) {
                for (Object fork : forks) {
                    if (fork instanceof List<?> its) {
                        for (Object v : its) {
                            raw.add(Json.toDouble(v, where + " primaryMetric.rawData"));
                        }
                    }
                }
            }
            Map<String, String> run = new LinkedHashMap<>();
            for (String k : RUN_KEYS) {
                Object v = o.get(k);
                if (v instanceof String || v instanceof Number) {
                    run.put(k, String.valueOf(v));
                }
            }
            out.add(new JmhResult(where, benchmark, mode, (int) (long) threads, Collections.unmodifiableMap(params),
                    score, error, unit, raw.stream().mapToDouble(Double::doubleValue).toArray(),
                    Collections.unmodifiableMap(run)));
        }
        return out;
    }

    private static String string(Map<?, ?> o, String key, String where) {
        Object v = o.get(key);
        if (!(v instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a non-empty string, got " + Json.describe(v));
        }
        return s;
    }
}
