package dev.sablegraph.internal.monitor;

import java.util.Locale;

/**
 * The groups a database's metrics fall into: one JMX MBean each (its {@code type} key), and the
 * middle part of each metric's name.
 */
public enum MetricGroup {
    PAGE_CACHE("PageCache"),
    LOG("Log"),
    CHECKPOINTS("Checkpoints"),
    MVCC("Mvcc"),
    TRANSACTIONS("Transactions");

    private final String type;

    MetricGroup(String type) {
        this.type = type;
    }

    /** The value of the MBean's {@code type} key. */
    public String type() {
        return type;
    }

    /** {@code sable.<group>.}: how the names of this group's metrics begin. */
    String namePrefix() {
        return "sable." + type.toLowerCase(Locale.ROOT) + ".";
    }
}
