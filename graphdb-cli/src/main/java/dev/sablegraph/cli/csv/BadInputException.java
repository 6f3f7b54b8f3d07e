package dev.sablegraph.cli.csv;

/**
 * Input the importer cannot accept, located in its file: the physical line (the first line of a
 * file is line 1, a header included) and the column (the field's number in its record, from 1).
 * The message reads {@code FILE:LINE:COLUMN: what is wrong}, as compilers write theirs.
 */
public final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final int column;

    public BadInputException(String file, long line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /** The file as the user named it. */
    public String file() {
        return file;
    }

    /** The physical line, from 1. */
    public long line() {
        return line;
    }

    /** The field's number in its record, from 1. */
    public int column() {
        return column;
    }
}
