package dev.sablegraph.cli.csv;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes CSV records that {@link CsvReader} reads back field for field: a field is quoted when it
 * is empty but present ({@code ""}), or holds the delimiter, a quote (doubled) or a line break.
 * Records end with {@code \n}.
 */
public final class CsvWriter implements Closeable {
    private final Writer out;
    private final char delimiter;
    private boolean firstField = true;

    public CsvWriter(Writer out, CsvFormat format) {
        this.out = out;
        this.delimiter = format.delimiter();
    }

    /** A UTF-8 file, replaced if it exists. */
    public static CsvWriter create(Path file, CsvFormat format) {
        try {
            return new CsvWriter(new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
                    StandardCharsets.UTF_8), 1 << 16), format);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A field with no value: nothing between the delimiters. */
    public CsvWriter absent() {
        return raw("");
    }

    /** A field with a value, quoted when it must be (always when empty, so it reads back as a value). */
    public CsvWriter value(String text) {
        if (text.isEmpty()) {
            return raw("\"\"");
        }
        if (!needsQuotes(text)) {
            return raw(text);
        }
        StringBuilder q = new StringBuilder(text.length() + 8).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                q.append('"');
            }
            q.append(c);
        }
        return raw(q.append('"').toString());
    }

    private boolean needsQuotes(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        // a leading byte order mark would be dropped by a reader at the start of a file
        return text.charAt(0) == '\uFEFF';
    }

    private CsvWriter raw(String field) {
        try {
            if (!firstField) {
                out.write(delimiter);
            }
            out.write(field);
            firstField = false;
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the record. */
    public void endRecord() {
        try {
            out.write('\n');
            firstField = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
