/**
 * Sable: an embedded graph database with snapshot-isolated transactions. The one package an
 * application uses is {@code dev.sablegraph.concurrent} ({@code ConcurrentGraphDB},
 * {@code Transaction}); the values, configuration and exceptions it speaks come from
 * {@code dev.sablegraph.core}, read transitively.
 */
module dev.sablegraph.concurrent {
    requires transitive dev.sablegraph.core;
    requires com.github.benmanes.caffeine;
    // internal.monitor: each open database's metrics as MBeans on the platform MBean server
    requires java.management;

    exports dev.sablegraph.concurrent;
}
