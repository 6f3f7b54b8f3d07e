package dev.sablegraph.cli.load;

import dev.sablegraph.cli.csv.BadInputException;
import dev.sablegraph.cli.csv.CsvFormat;
import dev.sablegraph.cli.csv.CsvReader;
import dev.sablegraph.cli.csv.Header;
import java.nio.file.Path;

/**
 * The files of one {@code --nodes} or {@code --relationships} option, read in order, the first
 * file's first line being the header of all of them; each record goes to {@link #record}.
 */
abstract class InputFiles {
    private static final int PROGRESS_EVERY = 4096;

    private final InputSpec spec;
    private final CsvFormat format;
    private final Header.FileKind kind;
    private final ImportProgress progress;

    InputFiles(InputSpec spec, CsvFormat format, Header.FileKind kind, ImportProgress progress) {
        this.spec = spec;
        this.format = format;
        this.kind = kind;
        this.progress = progress;
    }

    /** Reads every file. */
    final void load() {
        boolean prepared = false;
        for (String name : spec.files()) {
            try (CsvReader r = CsvReader.open(Path.of(name), name, format)) {
                if (!prepared) {
                    if (!r.next()) {
                        throw new BadInputException(name, 1, 1, "no header: the first file of an option starts with a"
                                + " header line naming the columns");
                    }
                    prepare(Header.parse(r, kind), r);
                    prepared = true;
                }
                long rows = 0;
                while (r.next()) {
                    record(r);
                    if (++rows % PROGRESS_EVERY == 0) {
                        progress.update(r.bytesRead());
                    }
                }
                progress.fileDone(r.bytesRead());
            }
        }
    }

    /** Called once with the header, the reader positioned on it (for errors). */
    abstract void prepare(Header header, CsvReader r);

    /** Called for each record after the header. */
    abstract void record(CsvReader r);
}
