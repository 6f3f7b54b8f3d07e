package dev.sablegraph.internal.graph;

import dev.sablegraph.core.GraphConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Child-process helper for {@link OpenFailureTest}, run with a small {@code -XX:MaxDirectMemorySize}.
 * Opens a database whose page cache does not fit, then one that does, in the same JVM, and prints
 * {@code FIRST <outcome>} and {@code SECOND <outcome>} (outcome: {@code OK} or the exception).
 *
 * <ul>
 *   <li>{@code too-big <dir>}: a 32 MiB page cache.</li>
 *   <li>{@code in-use <dir>}: an 8 MiB page cache while 12 MiB of direct buffers are in use; it
 *       writes 6 MiB of records, more than the direct memory left, and prints the evictions.</li>
 * </ul>
 *
 * <p>Between the two it prints {@code LEFT [files]}: what the failed open left in the directory.
 */
public final class OpenFailureMain {
    private OpenFailureMain() {}

    public static void main(String[] args) {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        ByteBuffer inUse = mode.equals("in-use") ? ByteBuffer.allocateDirect(12 << 20) : null;
        long first = mode.equals("in-use") ? 8L << 20 : 32L << 20;
        System.out.println("FIRST " + tryOpen(dir, first, mode.equals("in-use") ? 3000 : 0));
        System.out.println("LEFT " + list(dir));
        System.out.println("SECOND " + tryOpen(dir, 1L << 20, 0));
        System.out.println("held " + (inUse == null ? 0 : inUse.capacity()));
        System.out.flush();
    }

    private static List<String> list(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tryOpen(Path dir, long pageCacheBytes, int blobs) {
        try (UnloggedGraph db = UnloggedGraph.open(dir, GraphConfig.builder().pageCacheBytes(pageCacheBytes).build())) {
            for (int i = 0; i < blobs; i++) {
                byte[] incompressible = new byte[2048];
                new SplittableRandom(i).nextBytes(incompressible);
                db.addNode(Set.of("Blob"), Map.of("bytes", incompressible));
            }
            db.nodeCount();
            return "OK evictions=" + db.pageCacheMetrics().evictions();
        } catch (Throwable t) {
            return t.getClass().getName() + ": " + t.getMessage();
        }
    }
}
