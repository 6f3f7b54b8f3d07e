package dev.sablegraph.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Builds a benchmark dataset once per code version and reuses it: JMH forks a JVM per benchmark,
 * and rebuilding a large graph in each fork would cost more than the measurement. A dataset is
 * complete only when its marker file exists (it is built under another name and moved in place).
 */
final class DatasetCache {
    static final String COMPLETE = "DATASET_COMPLETE";

    /** Writes a dataset into an empty directory. */
    @FunctionalInterface
    interface Builder {
        void build(Path dir) throws IOException;
    }

    private DatasetCache() {}

    /** The directory of the dataset named {@code key}, built with {@code builder} when not cached. */
    static Path prepare(String key, Builder builder) throws IOException {
        Path root = GraphDatasets.root();
        Files.createDirectories(root);
        Path dir = root.resolve(key + "-" + GraphDatasets.codeDigest());
        if (Files.exists(dir.resolve(COMPLETE))) {
            return dir;
        }
        GraphDatasets.deleteRecursively(dir);
        Path building = root.resolve(dir.getFileName() + ".building");
        GraphDatasets.deleteRecursively(building);
        Files.createDirectories(building);
        long t0 = System.nanoTime();
        builder.build(building);
        Files.writeString(building.resolve(COMPLETE), "built in " + (System.nanoTime() - t0) / 1_000_000 + " ms\n");
        try {
            Files.move(building, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish dataset " + dir, e);
        }
        System.out.printf("%n[dataset] built %s (%s)%n", dir, Files.readString(dir.resolve(COMPLETE)).trim());
        return dir;
    }
}
