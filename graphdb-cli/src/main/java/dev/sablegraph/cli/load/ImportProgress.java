package dev.sablegraph.cli.load;

import dev.sablegraph.cli.console.Progress;

/** The import's progress bar over all input bytes, with the counts so far as its message. */
final class ImportProgress implements AutoCloseable {
    private final Progress bar;
    private final ImportSummary summary;
    private long bytesOfFinishedFiles;
    private boolean closed;

    ImportProgress(boolean shown, long totalBytes, ImportSummary summary) {
        this.bar = Progress.start(shown, "import", totalBytes, "MB", 1 << 20);
        this.summary = summary;
    }

    /** {@code bytes} of the current file are read. */
    void update(long bytes) {
        bar.stepTo(bytesOfFinishedFiles + bytes);
        bar.message(String.format("%,d nodes, %,d relationships", summary.nodes, summary.relationships));
    }

    /** The current file is read whole: {@code bytes} long. */
    void fileDone(long bytes) {
        bytesOfFinishedFiles += bytes;
        summary.bytesRead = bytesOfFinishedFiles;
        update(0);
    }

    /** Ends the bar; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bar.close();
        }
    }
}
