package dev.sablegraph.jmh.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
    private static Object parse(String s) {
        return Json.parse(s, "test.json");
    }

    @Test
    void objectsArraysAndLiterals() {
        Object v = parse(" { \"a\" : [1, 2, {\"b\": null}], \"t\": true, \"f\": false, \"e\": {}, \"l\": [] } ");
        Map<?, ?> m = assertInstanceOf(Map.class, v);
        assertEquals(List.of("a", "t", "f", "e", "l"), List.copyOf(m.keySet()), "document order kept");
        List<?> a = (List<?>) m.get("a");
        assertEquals(1L, a.get(0));
        assertEquals(2L, a.get(1));
        assertTrue(((Map<?, ?>) a.get(2)).containsKey("b"));
        assertNull(((Map<?, ?>) a.get(2)).get("b"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals(Boolean.FALSE, m.get("f"));
        assertEquals(Map.of(), m.get("e"));
        assertEquals(List.of(), m.get("l"));
    }

    @Test
    void numbers() {
        assertEquals(0L, parse("0"));
        assertEquals(0L, parse("-0"));
        assertEquals(-12L, parse("-12"));
        assertEquals(3.25, parse("3.25"));
        assertEquals(-0.5, parse("-0.5"));
        assertEquals(1000.0, parse("1e3"));
        assertEquals(0.01, parse("1E-2"));
        assertEquals(2.5e10, parse("2.5e+10"));
        assertEquals(9.8765432101234E-5, parse("9.8765432101234E-5"));
        assertEquals(Long.MAX_VALUE, parse("9223372036854775807"));
        assertEquals(9.223372036854775808E18, parse("9223372036854775808"), "beyond long: a double");
    }

    @Test
    void stringEscapes() {
        assertEquals("q\" b\\ s/ \b\f\n\r\t é 😀", parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00\""));
        assertEquals("plain ü", parse("\"plain ü\""));
        assertEquals("", parse("\"\""));
    }

    @Test
    void jmhNonFiniteStrings() {
        Map<?, ?> m = (Map<?, ?>) parse("{\"scoreError\": \"NaN\", \"hi\": \"Infinity\", \"lo\": \"-Infinity\", \"s\": 1.5}");
        assertTrue(Double.isNaN(Json.toDouble(m.get("scoreError"), "scoreError")));
        assertEquals(Double.POSITIVE_INFINITY, Json.toDouble(m.get("hi"), "hi"));
        assertEquals(Double.NEGATIVE_INFINITY, Json.toDouble(m.get("lo"), "lo"));
        assertEquals(1.5, Json.toDouble(m.get("s"), "s"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.toDouble("fast", "score"));
        assertTrue(e.getMessage().contains("score"), e.getMessage());
    }

    private static Json.JsonException malformed(String text) {
        return assertThrows(Json.JsonException.class, () -> parse(text), text);
    }

    @Test
    void rejectsWhatIsNotStrictJson() {
        for (String bad : List.of("", "   ", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "'x'", "01", "-", "1.",
                ".5", "1e", "+1", "NaN", "Infinity", "tru", "nul", "[", "{", "\"abc", "\"a\\x\"", "\"\\u12g4\"", "\"\\u12\"",
                "\"tab\there\"", "[1] x", "{} {}", "// c\n1", "{\"a\":1,\"a\":2}", "[1,,2]", "\u00a01")) {
            malformed(bad);
        }
    }

    @Test
    void errorNamesSourceLineAndColumn() {
        Json.JsonException e = malformed("[\n  {\"a\": 1},\n  {\"b\": 2,}\n]");
        assertEquals(3, e.line());
        assertEquals(11, e.column(), e.getMessage());
        assertEquals("test.json", e.source());
        assertTrue(e.getMessage().startsWith("test.json: line 3, column 11 (offset 24): "), e.getMessage());
        assertTrue(e.getMessage().contains("expected a string key"), e.getMessage());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000);
        Json.JsonException e = malformed(deep);
        assertTrue(e.getMessage().contains("nesting deeper"), e.getMessage());
        assertEquals(List.of(List.of(List.of())), parse("[[[]]]"));
    }

    @Test
    void malformedFileNamesTheFileAndPosition(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("broken-results.json");
        Files.writeString(f, "[\n  {\"benchmark\": \"x\",\n   \"threads\": 01}\n]\n");
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": line 3, column 16"), e.getMessage());
        assertTrue(e.getMessage().contains("leading zero"), e.getMessage());
    }

    @Test
    void invalidUtf8IsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("latin1.json");
        Files.write(f, new byte[] {'"', (byte) 0xe9, '"'});
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        Files.write(f, "\uFEFF[1]".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(1L), Json.parse(f), "a byte order mark is skipped");
    }

    @Test
    void writeThenParseRoundTrips() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "quote \" backslash \\ newline \n tab \t ctl \u0001 é");
        m.put("l", 42L);
        m.put("d", 0.125);
        m.put("whole", 3.0);
        m.put("nan", Double.NaN);
        m.put("b", true);
        m.put("n", null);
        m.put("list", List.of(1L, "two", List.of()));
        String text = Json.write(m);
        assertTrue(!text.contains("\n"), "one line");
        Map<?, ?> back = (Map<?, ?>) parse(text);
        assertEquals(m.get("s"), back.get("s"));
        assertEquals(42L, back.get("l"));
        assertEquals(0.125, back.get("d"));
        assertEquals(3.0, back.get("whole"), "a whole double stays a double");
        assertEquals("NaN", back.get("nan"), "non-finite as JMH writes it");
        assertEquals(true, back.get("b"));
        assertTrue(back.containsKey("n"));
        assertEquals(List.of(1L, "two", List.of()), back.get("list"));
    }
}
