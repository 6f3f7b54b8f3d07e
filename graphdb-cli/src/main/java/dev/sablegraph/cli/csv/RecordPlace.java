package dev.sablegraph.cli.csv;

/**
 * Where a record was read, kept after the reader has moved on: errors found when the record is
 * stored (on another thread, later) name the same file, line and column as the reader would have.
 */
public final class RecordPlace {
    private final String name;
    private final long recordLine;
    /** The line of each field, only when the record spans lines (a quoted line break); else null. */
    private final long[] fieldLines;

    RecordPlace(String name, long recordLine, long[] fieldLines) {
        this.name = name;
        this.recordLine = recordLine;
        this.fieldLines = fieldLines;
    }

    /** An error at field {@code i} (from 0) of the record, as {@link CsvReader#error} gives it. */
    public BadInputException error(int i, String problem) {
        long line = fieldLines != null && i < fieldLines.length ? fieldLines[i] : recordLine;
        return new BadInputException(name, line, i + 1, problem);
    }
}
