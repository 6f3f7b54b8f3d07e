/**
 * Sable: an embedded graph database with snapshot-isolated transactions. The one package an
 * application uses is {@code dev.sablegraph.concurrent} ({@code ConcurrentGraphDB},
 * {@code Transaction}); the values, configuration and exceptions it speaks come from
 * {@code dev.sablegraph.core}, read transitively.
 */
// "requires-automatic": lz4-java has no module-info, only Automatic-Module-Name org.lz4.java.
@SuppressWarnings("requires-automatic")
module dev.sablegraph.concurrent {
    requires transitive dev.sablegraph.core;
    requires com.github.benmanes.caffeine;
    // internal.durability: the double-write image's pages are lz4-compressed
    requires org.lz4.java;
    // internal.monitor: each open database's metrics as MBeans on the platform MBean server
    requires java.management;

    exports dev.sablegraph.concurrent;
}
