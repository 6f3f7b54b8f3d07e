package dev.sablegraph.cli.load;

import dev.sablegraph.cli.console.Progress;
import dev.sablegraph.cli.files.DirectoryFiles;
import dev.sablegraph.concurrent.BulkLoader;
import dev.sablegraph.core.GraphConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code sable import}: builds a new database from CSV files through {@link BulkLoader}. Every
 * node file is read before any relationship file, each in the order given. The database is built
 * in a new hidden directory beside the target and renamed to the target only when it is complete,
 * so a failed import (bad input, a full disk, a killed process) never leaves a directory under the
 * target's name; a failure deletes the hidden directory too, unless the process was killed.
 */
public final class BulkImport {
    private BulkImport() {}

    /**
     * Runs the import.
     *
     * @throws dev.sablegraph.cli.csv.BadInputException for input it cannot take, naming file, line and column
     * @throws IllegalArgumentException when the target is not empty or an input file is missing
     */
    public static ImportSummary run(ImportOptions options) {
        Path target = options.into().toAbsolutePath().normalize();
        if (Files.exists(target) && !DirectoryFiles.isEmptyDirectory(target)) {
            throw new IllegalArgumentException(options.into() + " exists and is not an empty directory: import builds"
                    + " a new database and never writes into an existing one");
        }
        long totalBytes = inputBytes(options);
        Path parent = target.getParent();
        Path building = DirectoryFiles.createBuildDirectory(target, "importing");
        ImportSummary summary = new ImportSummary();
        try {
            GraphConfig config = GraphConfig.builder().pageCacheBytes(options.pageCacheBytes(totalBytes)).build();
            MemoryBudget budget = new MemoryBudget(options.idMapBytes());
            IdGroups ids = new IdGroups(budget);
            try (BulkLoader loader = BulkLoader.create(building, config);
                    ImportProgress progress = new ImportProgress(options.showProgress(), totalBytes, summary)) {
                long start = System.nanoTime();
                for (InputSpec spec : options.nodes()) {
                    new NodeFiles(spec, options.format(), ids, loader, options.skipDuplicateNodes(), summary, progress)
                            .load();
                }
                long nodesDone = System.nanoTime();
                summary.nodeNanos = nodesDone - start;
                for (InputSpec spec : options.relationships()) {
                    new RelationshipFiles(spec, options.format(), ids, loader, options.skipBadRelationships(), summary,
                            progress).load();
                }
                long relationshipsDone = System.nanoTime();
                summary.relationshipNanos = relationshipsDone - nodesDone;
                summary.idMapBytes = budget.used();
                summary.idMapLimit = budget.limit();
                progress.close();
                try (Progress storing = Progress.start(options.showProgress(), "index and relationships",
                        loader.finishSteps(), "steps", 1)) {
                    loader.finish(storing::stepTo);
                }
                summary.finishNanos = System.nanoTime() - relationshipsDone;
            }
            Files.deleteIfExists(target); // an empty directory, checked above
            Files.move(building, target, StandardCopyOption.ATOMIC_MOVE);
            DirectoryFiles.forceDirectory(parent);
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the finished database to " + target + ": " + e.getMessage(), e);
        } finally {
            if (Files.exists(building)) {
                DirectoryFiles.deleteQuietly(building);
            }
        }
    }

    /** The size of every input file, refusing one that is missing before anything is built. */
    private static long inputBytes(ImportOptions options) {
        if (options.nodes().isEmpty()) {
            throw new IllegalArgumentException("no --nodes file: an import needs at least one");
        }
        long total = 0;
        for (var specs : java.util.List.of(options.nodes(), options.relationships())) {
            for (InputSpec spec : specs) {
                for (String f : spec.files()) {
                    Path p = Path.of(f);
                    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                        throw new IllegalArgumentException("cannot read input file " + f + ": "
                                + (Files.exists(p) ? "not a readable file" : "no such file"));
                    }
                    try {
                        total += Files.size(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read input file " + f + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return total;
    }
}
