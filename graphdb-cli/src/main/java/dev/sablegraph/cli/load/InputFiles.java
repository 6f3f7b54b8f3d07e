package dev.sablegraph.cli.load;

import dev.sablegraph.cli.csv.BadInputException;
import dev.sablegraph.cli.csv.CsvFormat;
import dev.sablegraph.cli.csv.CsvReader;
import dev.sablegraph.cli.csv.Header;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The files of one {@code --nodes} or {@code --relationships} option, read in order, the first
 * file's first line being the header of all of them. Reading runs on a thread of its own, a step
 * ahead of storing: it splits and parses each record ({@link #parse}) and hands the rows, in
 * order and in batches, to the calling thread, which stores them ({@link #store}) through the
 * single-threaded bulk loader. A failure on either side stops both and is thrown by
 * {@link #load} after the rows before it are stored, so an import fails at the same record, with
 * the same message, as one thread would.
 *
 * @param <R> a parsed record
 */
abstract class InputFiles<R> {
    private static final int BATCH = 1024;
    /** Batches read ahead of storing at most: memory stays a few thousand rows. */
    private static final int QUEUED_BATCHES = 8;

    private final InputSpec spec;
    private final CsvFormat format;
    private final Header.FileKind kind;
    private final ImportProgress progress;

    /** Rows read, the input bytes read after them, and whether they end a file or all files. */
    private static final class Batch<R> {
        final List<R> rows = new ArrayList<>(BATCH);
        long bytesRead;
        boolean endsFile;
        boolean last;
        RuntimeException failure;
        Error error;
    }

    InputFiles(InputSpec spec, CsvFormat format, Header.FileKind kind, ImportProgress progress) {
        this.spec = spec;
        this.format = format;
        this.kind = kind;
        this.progress = progress;
    }

    /** Reads every file and stores every record. */
    final void load() {
        BlockingQueue<Batch<R>> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
        Thread reader = new Thread(() -> read(queue), "sable-import-reader");
        reader.setDaemon(true);
        reader.start();
        boolean done = false;
        try {
            while (!done) {
                Batch<R> batch = queue.take();
                for (R row : batch.rows) {
                    store(row);
                }
                if (batch.endsFile) {
                    progress.fileDone(batch.bytesRead);
                } else {
                    progress.update(batch.bytesRead);
                }
                if (batch.failure != null) {
                    throw batch.failure;
                }
                if (batch.error != null) {
                    throw batch.error;
                }
                done = batch.last;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while importing " + spec.files(), e);
        } finally {
            reader.interrupt(); // a reader still running (storing failed) stops at its next hand-over
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The reading thread: every file's records, parsed, in batches; then a last batch. */
    private void read(BlockingQueue<Batch<R>> queue) {
        Batch<R> batch = new Batch<>();
        try {
            boolean prepared = false;
            for (String name : spec.files()) {
                try (CsvReader r = CsvReader.open(Path.of(name), name, format)) {
                    if (!prepared) {
                        if (!r.next()) {
                            throw new BadInputException(name, 1, 1, "no header: the first file of an option starts"
                                    + " with a header line naming the columns");
                        }
                        prepare(Header.parse(r, kind), r);
                        prepared = true;
                    }
                    while (r.next()) {
                        R row = parse(r);
                        if (row != null) {
                            batch.rows.add(row);
                        }
                        if (batch.rows.size() == BATCH) {
                            batch.bytesRead = r.bytesRead();
                            queue.put(batch);
                            batch = new Batch<>();
                        }
                    }
                    batch.bytesRead = r.bytesRead();
                    batch.endsFile = true;
                    queue.put(batch);
                    batch = new Batch<>();
                }
            }
            batch.last = true;
            queue.put(batch);
        } catch (InterruptedException stopped) {
            // storing failed: nobody waits for more rows
        } catch (RuntimeException | Error e) {
            if (e instanceof RuntimeException re) {
                batch.failure = re;
            } else {
                batch.error = (Error) e;
            }
            batch.last = true;
            try {
                queue.put(batch);
            } catch (InterruptedException stopped) {
                // storing failed first: its failure is the one thrown
            }
        }
    }

    /** Called once on the reading thread with the header, the reader positioned on it (for errors). */
    abstract void prepare(Header header, CsvReader r);

    /**
     * Called on the reading thread for each record after the header: the row to store, or null
     * when the record is skipped.
     */
    abstract R parse(CsvReader r);

    /** Called on the loading thread for each row, in file order. */
    abstract void store(R row);
}
