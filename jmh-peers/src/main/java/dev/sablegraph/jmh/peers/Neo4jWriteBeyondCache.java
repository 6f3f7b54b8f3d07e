package dev.sablegraph.jmh.peers;

import dev.sablegraph.jmh.scale.WriteBeyondCache;

/**
 * {@link WriteBeyondCache} on Neo4j embedded: the same options, workload, seed and output.
 *
 * <pre>
 * java -Xmx2g --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
 *     --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
 *     -cp jmh-peers/target/peers-benchmarks.jar dev.sablegraph.jmh.peers.Neo4jWriteBeyondCache --dir D ...
 * </pre>
 *
 * The {@code --add-opens} flags are the ones Neo4j's own {@code neo4j.conf} ships; without them the
 * run stops ({@link Neo4jConcurrentThroughput#requireJvmFlags}).
 */
public final class Neo4jWriteBeyondCache {
    private Neo4jWriteBeyondCache() {}

    public static void main(String[] args) throws Exception {
        WriteBeyondCache.run(args, Neo4jWriteEngine::open);
    }
}
