/**
 * Sable's storage engine. Applications use only {@code dev.sablegraph.core} (values,
 * configuration, exceptions, metrics, reports), normally through {@code dev.sablegraph.concurrent}.
 */
// "module": the qualified exports name dev.sablegraph.concurrent, which is compiled after this one.
// "requires-automatic": lz4-java has no module-info, only Automatic-Module-Name org.lz4.java.
@SuppressWarnings({"module", "requires-automatic"})
module dev.sablegraph.core {
    requires org.lz4.java;
    // DirectMemoryLimit (graph): the direct memory limit, read from the HotSpot diagnostic bean
    requires java.management;
    requires jdk.management;
    // DirectMemory (storage): frees page-cache buffers with sun.misc.Unsafe.invokeCleaner, found
    // by reflection. Without this, an application started with -m would not load jdk.unsupported
    // and closed caches' buffers would wait for the garbage collector.
    requires jdk.unsupported;

    exports dev.sablegraph.core;

    // The internals graphdb-concurrent builds on, and nobody else: no application can reach them.
    exports dev.sablegraph.internal.graph to dev.sablegraph.concurrent;
    exports dev.sablegraph.internal.graph.codec to dev.sablegraph.concurrent;
    exports dev.sablegraph.internal.storage to dev.sablegraph.concurrent;
    exports dev.sablegraph.internal.util to dev.sablegraph.concurrent;
    exports dev.sablegraph.internal.wal to dev.sablegraph.concurrent;
}
