package dev.sablegraph.cli.export;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What an export wrote. */
public final class ExportSummary {
    long nodes;
    long edges;
    final List<Path> files = new ArrayList<>();

    public long nodes() {
        return nodes;
    }

    public long edges() {
        return edges;
    }

    /** The files written. */
    public List<Path> files() {
        return List.copyOf(files);
    }
}
