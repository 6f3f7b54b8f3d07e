package dev.sablegraph.cli.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** RFC 4180 reading with physical line numbers, and the writer's output read back field for field. */
class CsvReaderTest {
    private static CsvReader reader(String text) {
        return CsvReader.of(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "f.csv", CsvFormat.DEFAULT);
    }

    /** Each record as its fields, a quoted field marked with a leading '=' for the assertions. */
    private static List<List<String>> records(String text) {
        List<List<String>> out = new ArrayList<>();
        try (CsvReader r = reader(text)) {
            while (r.next()) {
                List<String> fields = new ArrayList<>();
                for (int i = 0; i < r.fieldCount(); i++) {
                    fields.add((r.quoted(i) ? "=" : "") + r.field(i));
                }
                out.add(fields);
            }
        }
        return out;
    }

    @Test
    void quotingAsRfc4180Says() {
        assertEquals(List.of(List.of("a", "", "=", "=x,y", "=say \"hi\"", "back\\slash")),
                records("a,,\"\",\"x,y\",\"say \"\"hi\"\"\",back\\slash\n"));
    }

    @Test
    void lineBreaksOfEveryKindEndRecordsAndEmptyLinesAreSkipped() {
        assertEquals(List.of(List.of("a"), List.of("b"), List.of("c"), List.of("d", "")), records("a\r\nb\n\n\rc\rd,"));
    }

    @Test
    void aQuotedFieldKeepsItsLineBreaksAndLinesAreCountedPhysically() {
        try (CsvReader r = reader("h1,h2\n\"one\ntwo\r\nthree\",x\nlast,y\n")) {
            assertTrue(r.next());
            assertEquals(1, r.recordLine());
            assertTrue(r.next());
            assertEquals("one\ntwo\r\nthree", r.field(0));
            assertEquals(2, r.fieldLine(0));
            assertEquals(4, r.fieldLine(1));
            assertTrue(r.next());
            assertEquals(5, r.recordLine());
            assertFalse(r.next());
        }
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstField() {
        assertEquals(List.of(List.of(":ID")), records("\uFEFF:ID\n"));
    }

    @Test
    void anUnterminatedQuoteIsReportedWhereItOpens() {
        BadInputException e = assertThrows(BadInputException.class, () -> records("a,b\nx,\"open\n\nmore\n"));
        assertEquals(2, e.line());
        assertEquals(2, e.column());
        assertTrue(e.getMessage().startsWith("f.csv:2:2: unterminated quoted field"), e.getMessage());
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsAnError() {
        BadInputException e = assertThrows(BadInputException.class, () -> records("a,b\nx,ab\"c\n"));
        assertEquals("f.csv:2:2: a quote inside an unquoted field: quote the whole field and double the quotes inside"
                + " it (RFC 4180)", e.getMessage());
    }

    @Test
    void textAfterAClosingQuoteIsAnError() {
        BadInputException e = assertThrows(BadInputException.class, () -> records("a,b\n\"x\"y,z\n"));
        assertEquals(2, e.line());
        assertEquals(1, e.column());
    }

    @Test
    void bytesThatAreNotUtf8AreAnErrorNamingTheLine() {
        byte[] text = {'a', '\n', 'b', ',', (byte) 0xC3, (byte) 0x28, '\n'};
        BadInputException e = assertThrows(BadInputException.class, () -> {
            try (CsvReader r = CsvReader.of(new ByteArrayInputStream(text), "f.csv", CsvFormat.DEFAULT)) {
                while (r.next()) {
                    // read through
                }
            }
        });
        assertTrue(e.getMessage().startsWith("f.csv:2:") && e.getMessage().contains("not valid UTF-8"),
                e.getMessage());
    }

    @Test
    void gzipIsReadByTheNamesSuffix() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        }
        try (CsvReader r = CsvReader.of(new ByteArrayInputStream(bytes.toByteArray()), "f.csv.gz", CsvFormat.DEFAULT)) {
            assertTrue(r.next());
            assertTrue(r.next());
            assertEquals("2", r.field(1));
            assertFalse(r.next());
        }
    }

    @Test
    void anotherDelimiter() {
        CsvFormat tab = new CsvFormat(CsvFormat.parseDelimiter("--delimiter", "TAB"), '|');
        try (CsvReader r = CsvReader.of(new ByteArrayInputStream("a,b\tc\n".getBytes(StandardCharsets.UTF_8)), "t",
                tab)) {
            assertTrue(r.next());
            assertEquals(2, r.fieldCount());
            assertEquals("a,b", r.field(0));
        }
        assertThrows(IllegalArgumentException.class, () -> new CsvFormat(',', ','));
        assertThrows(IllegalArgumentException.class, () -> CsvFormat.parseDelimiter("--delimiter", "ab"));
    }

    @Test
    void whatTheWriterWritesReadsBackFieldForField() {
        List<String> values = List.of("plain", "", "a,b", "\"quoted\"", "multi\nline", "cr\rlf\r\n", "\uFEFFbom",
                "ünïcødé 😀", " spaces ");
        StringWriter text = new StringWriter();
        CsvWriter w = new CsvWriter(text, CsvFormat.DEFAULT);
        values.forEach(w::value);
        w.absent();
        w.endRecord();
        try (CsvReader r = reader(text.toString())) {
            assertTrue(r.next());
            assertEquals(values.size() + 1, r.fieldCount());
            for (int i = 0; i < values.size(); i++) {
                assertEquals(values.get(i), r.field(i));
            }
            assertTrue(r.quoted(1), "an empty value is written quoted");
            assertEquals("", r.field(values.size()));
            assertFalse(r.quoted(values.size()), "no value is an empty unquoted field");
            assertFalse(r.next());
        }
    }
}
