package dev.sablegraph.core;

import java.util.Arrays;

/**
 * A change would give two nodes with one label the same value of a property that a unique
 * constraint covers, or a unique constraint cannot be created because existing nodes already share
 * a value. Names the label, the key, the value and the node that holds it already. A commit that
 * fails with it leaves nothing behind, and the transaction can only be rolled back or closed; a
 * constraint that cannot be created is not created.
 */
public class ConstraintViolationException extends GraphException {
    private static final long serialVersionUID = 1L;

    /** The constraint's label. */
    private final String label;
    /** The constraint's property key. */
    private final String key;
    /** The shared value; not serialized (it may be a {@code byte[]} or a list). */
    private final transient Object value;
    /** The node that already holds the value. */
    private final long existingNode;
    /** The node that was to have the value too. */
    private final long node;

    /**
     * Reports two nodes that would share a value.
     *
     * @param label the constraint's label
     * @param key the constraint's property key
     * @param value the value both would have
     * @param existingNode the node that already holds the value
     * @param node the node the change or the check was about
     */
    public ConstraintViolationException(String label, String key, Object value, long existingNode, long node) {
        super("unique constraint on :" + label + "(" + key + ") violated: node " + existingNode + " already has "
                + key + " = " + describe(value) + ", so node " + node + " cannot have it too");
        this.label = label;
        this.key = key;
        this.value = value instanceof byte[] b ? b.clone() : value;
        this.existingNode = existingNode;
        this.node = node;
    }

    /**
     * The constraint's label.
     *
     * @return the label
     */
    public String label() {
        return label;
    }

    /**
     * The constraint's property key.
     *
     * @return the property key
     */
    public String key() {
        return key;
    }

    /**
     * The value two nodes would share (a copy for {@code byte[]}).
     *
     * @return the value, or null after deserialization
     */
    public Object value() {
        return value instanceof byte[] b ? b.clone() : value;
    }

    /**
     * The node that already holds the value.
     *
     * @return the id of the node that holds the value
     */
    public long existingNode() {
        return existingNode;
    }

    /**
     * The node that was to have the value too.
     *
     * @return the id of the node that was refused the value
     */
    public long node() {
        return node;
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return '"' + s + '"';
        }
        return value instanceof byte[] b ? Arrays.toString(b) : String.valueOf(value);
    }
}
