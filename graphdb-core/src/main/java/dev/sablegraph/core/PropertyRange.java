package dev.sablegraph.core;

/**
 * A range query on one property of the nodes with one label: which values (between two bounds,
 * each inclusive or exclusive, or unbounded), in which order (by value, then node id; ascending
 * unless {@link #descending()}), and how many at most. Immutable: each method returns a new range.
 *
 * <pre>{@code
 * tx.findNodes(PropertyRange.on("Person", "age").from(18, true).to(65, false).descending().limit(10))
 * }</pre>
 *
 * <p>Values and bounds: numbers (Long and Double, and the narrower types stored as them) compare
 * by numeric value, so Long 5 and Double 5.0 are equal and both lie in [5, 5]; -0.0 sorts before
 * 0.0 (which equals Long 0), and NaN after +Infinity. Strings compare by Unicode code point.
 * {@code false} sorts before {@code true}. A bound decides which kind of values the range holds:
 * a number bound finds only numbers, a string bound only strings. With no bound at all, the range
 * holds every number, string and boolean, in that order. {@code byte[]} and list values are in no
 * range. Both bounds of a range must be of one kind; a bound of another type is refused.
 */
public final class PropertyRange {
    private final String label;
    private final String key;
    private final Object from;
    private final boolean fromInclusive;
    private final Object to;
    private final boolean toInclusive;
    private final boolean descending;
    private final long limit;

    private PropertyRange(String label, String key, Object from, boolean fromInclusive, Object to,
            boolean toInclusive, boolean descending, long limit) {
        this.label = label;
        this.key = key;
        this.from = from;
        this.fromInclusive = fromInclusive;
        this.to = to;
        this.toInclusive = toInclusive;
        this.descending = descending;
        this.limit = limit;
    }

    /**
     * Every value of {@code key} of the nodes labelled {@code label}, ascending, with no limit.
     *
     * @param label the label of the nodes to search
     * @param key the property key whose values are compared
     * @return the unbounded range
     * @throws IllegalArgumentException for a null or empty label or key
     */
    public static PropertyRange on(String label, String key) {
        if (label == null || label.isEmpty()) {
            throw new IllegalArgumentException("label must not be null or empty");
        }
        PropertyValues.requireKey(key);
        return new PropertyRange(label, key, null, false, null, false, false, Long.MAX_VALUE);
    }

    /**
     * With a lower bound; {@code null} removes it.
     *
     * @param value the lower bound, or null for none
     * @param inclusive whether a value equal to the bound is in the range
     * @return a new range with the bound
     * @throws IllegalArgumentException for a bound that is not a number, string or boolean, or not
     *     of the upper bound's kind
     */
    public PropertyRange from(Object value, boolean inclusive) {
        Object v = bound("from", value);
        checkKinds(v, to);
        return new PropertyRange(label, key, v, inclusive, to, toInclusive, descending, limit);
    }

    /**
     * With an upper bound; {@code null} removes it.
     *
     * @param value the upper bound, or null for none
     * @param inclusive whether a value equal to the bound is in the range
     * @return a new range with the bound
     * @throws IllegalArgumentException for a bound that is not a number, string or boolean, or not
     *     of the lower bound's kind
     */
    public PropertyRange to(Object value, boolean inclusive) {
        Object v = bound("to", value);
        checkKinds(from, v);
        return new PropertyRange(label, key, from, fromInclusive, v, inclusive, descending, limit);
    }

    /**
     * Largest values first (ties by node id, highest first).
     *
     * @return a new range in descending order
     */
    public PropertyRange descending() {
        return new PropertyRange(label, key, from, fromInclusive, to, toInclusive, true, limit);
    }

    /**
     * At most {@code max} nodes; only those are read.
     *
     * @param max the most nodes to return; 0 returns none
     * @return a new range with the limit
     * @throws IllegalArgumentException for a negative {@code max}
     */
    public PropertyRange limit(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + max);
        }
        return new PropertyRange(label, key, from, fromInclusive, to, toInclusive, descending, max);
    }

    private Object bound(String which, Object value) {
        if (value == null) {
            return null;
        }
        Object v = PropertyValues.normalize(key, value);
        if (kind(v) == null) {
            throw new IllegalArgumentException("range bound '" + which + "' for key '" + key + "' must be a number,"
                    + " a string or a boolean, was " + value.getClass().getName());
        }
        return v;
    }

    private void checkKinds(Object lower, Object upper) {
        if (lower != null && upper != null && !kind(lower).equals(kind(upper))) {
            throw new IllegalArgumentException("range bounds for key '" + key + "' must be of one kind, were "
                    + kind(lower) + " and " + kind(upper));
        }
    }

    /** A value's kind as ranges see it, or null for values in no range. */
    private static String kind(Object v) {
        if (v instanceof Long || v instanceof Double) {
            return "number";
        } else if (v instanceof String) {
            return "string";
        } else if (v instanceof Boolean) {
            return "boolean";
        }
        return null;
    }

    /**
     * The label of the nodes asked for.
     *
     * @return the label
     */
    public String label() {
        return label;
    }

    /**
     * The property key whose values are compared.
     *
     * @return the property key
     */
    public String key() {
        return key;
    }

    /**
     * The lower bound as stored (an {@code Integer} bound reads back as {@code Long}), or null.
     *
     * @return the lower bound, or null
     */
    public Object lowerBound() {
        return from;
    }

    /**
     * Whether the lower bound itself is in the range.
     *
     * @return whether the lower bound is inclusive
     */
    public boolean lowerInclusive() {
        return fromInclusive;
    }

    /**
     * The upper bound as stored, or null.
     *
     * @return the upper bound, or null
     */
    public Object upperBound() {
        return to;
    }

    /**
     * Whether the upper bound itself is in the range.
     *
     * @return whether the upper bound is inclusive
     */
    public boolean upperInclusive() {
        return toInclusive;
    }

    /**
     * Whether the largest values come first.
     *
     * @return whether the order is descending
     */
    public boolean isDescending() {
        return descending;
    }

    /**
     * The most nodes the query returns; {@code Long.MAX_VALUE} for no limit.
     *
     * @return the limit
     */
    public long maxResults() {
        return limit;
    }

    @Override
    public String toString() {
        return ":" + label + "(" + key + ") in " + (from == null ? "(-inf" : (fromInclusive ? "[" : "(") + from) + ", "
                + (to == null ? "+inf)" : to + (toInclusive ? "]" : ")")) + (descending ? " descending" : "")
                + (limit == Long.MAX_VALUE ? "" : " limit " + limit);
    }
}
