package dev.sablegraph.cli.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads the records of a CSV file (RFC 4180; UTF-8; a {@code .gz} file is decompressed on the fly)
 * one at a time, keeping for each field whether it was quoted and the physical line it starts on,
 * so that errors can name file, line and column. A line break inside a quoted field counts as a
 * line; {@code \n}, {@code \r\n} and a lone {@code \r} each end a line. Empty lines are skipped.
 * Anything RFC 4180 does not allow (a quote inside an unquoted field, text after a closing quote,
 * an unterminated quote, bytes that are not UTF-8) is a {@link BadInputException}.
 *
 * <p>Not thread-safe. Memory: one buffer and the current record.
 */
public final class CsvReader implements Closeable {
    private static final int EOF = -1;

    private final String name;
    private final CountingInputStream bytes;
    private final InputStream in;
    private final char delimiter;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer undecoded = ByteBuffer.allocate(1 << 16).flip();
    private boolean endOfInput;
    private boolean flushed;
    /** Bytes that are not UTF-8, met after the characters in the buffer: reported when those are read. */
    private CoderResult pendingError;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private long line = 1;

    private final StringBuilder value = new StringBuilder();
    private String[] fields = new String[16];
    private boolean[] quoted = new boolean[16];
    private long[] fieldLines = new long[16];
    private int count;
    private long recordLine;

    private CsvReader(String name, InputStream raw, char delimiter) throws IOException {
        this.name = name;
        this.bytes = new CountingInputStream(raw);
        this.in = name.endsWith(".gz") ? new GZIPInputStream(bytes, 1 << 16) : bytes;
        this.delimiter = delimiter;
        if (peek() == '\uFEFF') {
            position++; // a byte order mark is not part of the first field
        }
    }

    /** Opens a file; {@code name} (the path as the user wrote it) appears in error messages. */
    public static CsvReader open(Path file, String name, CsvFormat format) {
        try {
            return new CsvReader(name, Files.newInputStream(file), format.delimiter());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** Reads from a stream (tests); a {@code name} ending in {@code .gz} means gzip. */
    public static CsvReader of(InputStream in, String name, CsvFormat format) {
        try {
            return new CsvReader(name, in, format.delimiter());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** The file's name as errors give it. */
    public String name() {
        return name;
    }

    /** Bytes read from the file so far (compressed bytes for a {@code .gz} file): for progress. */
    public long bytesRead() {
        return bytes.count;
    }

    /** Reads the next record; false at the end of the file. */
    public boolean next() {
        count = 0;
        int c = read();
        while (c == '\n' || c == '\r') { // empty lines
            endLine(c);
            c = read();
        }
        if (c == EOF) {
            return false;
        }
        recordLine = line;
        for (;;) {
            long fieldLine = line;
            int column = count + 1;
            boolean isQuoted = c == CsvFormat.QUOTE;
            value.setLength(0);
            if (isQuoted) {
                c = readQuoted(fieldLine, column);
            } else {
                while (c != delimiter && c != '\n' && c != '\r' && c != EOF) {
                    if (c == CsvFormat.QUOTE) {
                        throw new BadInputException(name, line, column, "a quote inside an unquoted field:"
                                + " quote the whole field and double the quotes inside it (RFC 4180)");
                    }
                    value.append((char) c);
                    c = read();
                }
            }
            add(value.toString(), isQuoted, fieldLine);
            if (c == delimiter) {
                c = read();
                continue;
            }
            if (c != EOF) {
                endLine(c);
            }
            return true;
        }
    }

    /** Reads a quoted field's content after its opening quote; returns the character after the closing quote. */
    private int readQuoted(long openLine, int column) {
        for (;;) {
            int c = read();
            if (c == EOF) {
                throw new BadInputException(name, openLine, column, "unterminated quoted field: the quote opened here"
                        + " is never closed (a quote inside a quoted field is written twice)");
            }
            if (c == CsvFormat.QUOTE) {
                c = read();
                if (c == CsvFormat.QUOTE) {
                    value.append('"');
                    continue;
                }
                if (c != delimiter && c != '\n' && c != '\r' && c != EOF) {
                    throw new BadInputException(name, line, column, "'" + (char) c + "' after the closing quote of a"
                            + " quoted field: a field ends with its closing quote (a quote inside it is written twice)");
                }
                return c;
            }
            value.append((char) c);
            if (c == '\n') {
                line++;
            } else if (c == '\r') {
                if (peek() == '\n') {
                    value.append((char) read());
                }
                line++;
            }
        }
    }

    /** Consumes the end of a line that began with {@code c}. */
    private void endLine(int c) {
        if (c == '\r' && peek() == '\n') {
            read();
        }
        line++;
    }

    private void add(String field, boolean isQuoted, long fieldLine) {
        if (count == fields.length) {
            fields = Arrays.copyOf(fields, count * 2);
            quoted = Arrays.copyOf(quoted, count * 2);
            fieldLines = Arrays.copyOf(fieldLines, count * 2);
        }
        fields[count] = field;
        quoted[count] = isQuoted;
        fieldLines[count] = fieldLine;
        count++;
    }

    /** Fields in the current record. */
    public int fieldCount() {
        return count;
    }

    /** Field {@code i} (from 0) of the current record, unquoted. */
    public String field(int i) {
        return fields[i];
    }

    /** Whether field {@code i} was quoted: {@code ""} is an empty value, an empty unquoted field is no value. */
    public boolean quoted(int i) {
        return quoted[i];
    }

    /** The physical line field {@code i} starts on. */
    public long fieldLine(int i) {
        return fieldLines[i];
    }

    /** The physical line the current record starts on. */
    public long recordLine() {
        return recordLine;
    }

    /** Where the current record is, for errors found after the reader has moved on. */
    public RecordPlace place() {
        boolean oneLine = count == 0 || fieldLines[count - 1] == recordLine;
        return new RecordPlace(name, recordLine, oneLine ? null : java.util.Arrays.copyOf(fieldLines, count));
    }

    /** An error at field {@code i} (from 0) of the current record. */
    public BadInputException error(int i, String problem) {
        return new BadInputException(name, i < count ? fieldLines[i] : recordLine, i + 1, problem);
    }

    private int read() {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position++];
    }

    private int peek() {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position];
    }

    /**
     * Decodes the next characters into the buffer. The decoder is driven by hand rather than
     * through a {@code Reader} so that bytes that are not UTF-8 are reported only once every
     * character before them has been read: the line they are on is then the current line.
     */
    private boolean fill() {
        if (pendingError != null) {
            throw notUtf8(pendingError);
        }
        if (flushed) {
            return false;
        }
        CharBuffer chars = CharBuffer.wrap(buffer);
        try {
            for (;;) {
                CoderResult result = decoder.decode(undecoded, chars, endOfInput);
                if (result.isError()) {
                    if (chars.position() == 0) {
                        throw notUtf8(result);
                    }
                    pendingError = result;
                    break;
                }
                if (result.isOverflow() || chars.position() > 0) {
                    break;
                }
                if (endOfInput) {
                    decoder.flush(chars);
                    flushed = true;
                    break;
                }
                undecoded.compact();
                int n = in.read(undecoded.array(), undecoded.position(), undecoded.remaining());
                if (n < 0) {
                    endOfInput = true;
                } else {
                    undecoded.position(undecoded.position() + n);
                }
                undecoded.flip();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " (near line " + line + "): " + e.getMessage(), e);
        }
        position = 0;
        limit = chars.position();
        return limit > 0;
    }

    private BadInputException notUtf8(CoderResult result) {
        return new BadInputException(name, line, count + 1, "not valid UTF-8 (" + result + ")");
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + name, e);
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingInputStream extends InputStream {
        private final InputStream in;
        private volatile long count; // read by a progress thread

        CountingInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
