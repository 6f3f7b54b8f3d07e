package dev.sablegraph.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a full integrity check: what was examined (counts by name, in the order the check
 * took them) and every problem found. {@link #isClean()} is true only when no problem was found.
 * Immutable; built by the layers that check, each adding its own counts and problems.
 */
public final class IntegrityReport {
    /** Problems kept verbatim; beyond this only the count grows (a badly damaged file has millions). */
    static final int MAX_LISTED_PROBLEMS = 1_000;

    private final Map<String, Long> counts;
    private final List<String> problems;
    private final long problemCount;

    private IntegrityReport(Builder b) {
        this.counts = Collections.unmodifiableMap(new LinkedHashMap<>(b.counts));
        this.problems = List.copyOf(b.problems);
        this.problemCount = b.problemCount;
    }

    /**
     * Whether the check found nothing wrong.
     *
     * @return true when no problem was found
     */
    public boolean isClean() {
        return problemCount == 0;
    }

    /**
     * The first {@value #MAX_LISTED_PROBLEMS} problems, each naming what and where.
     *
     * @return the listed problems, unmodifiable
     */
    public List<String> problems() {
        return problems;
    }

    /**
     * All problems found, listed or not.
     *
     * @return the number of problems
     */
    public long problemCount() {
        return problemCount;
    }

    /**
     * What was examined: for example "pages checked on disk", "nodes", "edges".
     *
     * @return the counts by name, in the order the check took them, unmodifiable
     */
    public Map<String, Long> counts() {
        return counts;
    }

    /**
     * A count by name, 0 when the check did not report it.
     *
     * @param name the count's name
     * @return the count
     */
    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }

    /** A printable report: one line per count, then the verdict and the problems. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Sable integrity report\n");
        int width = counts.keySet().stream().mapToInt(String::length).max().orElse(0);
        counts.forEach((name, n) -> s.append(String.format("  %-" + width + "s  %,d%n", name, n)));
        if (isClean()) {
            s.append("CLEAN: no problems found\n");
        } else {
            s.append(String.format("DAMAGED: %,d problem(s)%n", problemCount));
            problems.forEach(p -> s.append("  - ").append(p).append('\n'));
            if (problemCount > problems.size()) {
                s.append(String.format("  ... and %,d more%n", problemCount - problems.size()));
            }
        }
        return s.toString();
    }

    /**
     * A builder for a report, for the layers that check.
     *
     * @return a new, empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects counts and problems; not thread-safe (a check runs on one thread). */
    public static final class Builder {
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private long problemCount;

        private Builder() {}

        /**
         * Adds {@code n} to a count, creating it at its first use.
         *
         * @param countName what was examined
         * @param n how many more
         * @return this builder
         */
        public Builder add(String countName, long n) {
            counts.merge(countName, n, Long::sum);
            return this;
        }

        /**
         * Records a problem; beyond the first {@value IntegrityReport#MAX_LISTED_PROBLEMS} only the
         * count grows.
         *
         * @param description what is wrong and where
         * @return this builder
         */
        public Builder problem(String description) {
            problemCount++;
            if (problems.size() < MAX_LISTED_PROBLEMS) {
                problems.add(description);
            }
            return this;
        }

        /**
         * The problems recorded so far.
         *
         * @return the number of problems
         */
        public long problemCount() {
            return problemCount;
        }

        /**
         * The report of what was recorded.
         *
         * @return an immutable report
         */
        public IntegrityReport build() {
            return new IntegrityReport(this);
        }
    }
}
