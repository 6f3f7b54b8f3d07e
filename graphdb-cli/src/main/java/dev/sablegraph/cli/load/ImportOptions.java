package dev.sablegraph.cli.load;

import dev.sablegraph.cli.csv.CsvFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code sable import} was asked to do.
 *
 * @param into the database directory to create (it must not exist or be empty)
 * @param nodes the {@code --nodes} inputs, loaded first, in order
 * @param relationships the {@code --relationships} inputs, loaded after every node
 * @param maxMemory bytes the importer may use for the page cache and the id maps together
 * @param showProgress whether to draw progress bars
 */
public record ImportOptions(Path into, List<InputSpec> nodes, List<InputSpec> relationships, CsvFormat format,
        boolean skipBadRelationships, boolean skipDuplicateNodes, long maxMemory, boolean showProgress) {
    /** The smallest {@code --max-memory}: a page cache of 16 MiB and as much for ids. */
    public static final long MIN_MEMORY = 32L << 20;

    public ImportOptions {
        nodes = List.copyOf(nodes);
        relationships = List.copyOf(relationships);
        if (maxMemory < MIN_MEMORY) {
            throw new IllegalArgumentException("--max-memory must be at least " + (MIN_MEMORY >> 20) + "m, was "
                    + maxMemory + " bytes");
        }
    }

    /**
     * The page cache (direct memory) for input of {@code inputBytes}: at most 2/5 of
     * {@link #maxMemory} (the loader sorts edges in a quarter of the cache's size more, on the
     * heap: 1/10), and no more than four times the input (a store is a few times its CSV), so a
     * small import does not allocate a large cache; at least 16 MiB; whole MiB.
     */
    public long pageCacheBytes(long inputBytes) {
        long wanted = Math.max(16L << 20, Math.min(maxMemory / 5 * 2, inputBytes * 4));
        return wanted & ~((1L << 20) - 1);
    }

    /** The other half of {@link #maxMemory} is for the id maps (heap). */
    public long idMapBytes() {
        return maxMemory - maxMemory / 2;
    }
}
