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

    /** Half of {@link #maxMemory} goes to the page cache (direct memory), rounded to whole MiB. */
    public long pageCacheBytes() {
        return (maxMemory / 2) & ~((1L << 20) - 1);
    }

    /** The rest is for the id maps (heap). */
    public long idMapBytes() {
        return maxMemory - pageCacheBytes();
    }
}
