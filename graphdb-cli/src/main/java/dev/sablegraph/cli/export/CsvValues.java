package dev.sablegraph.cli.export;

import java.util.List;
import java.util.StringJoiner;

/**
 * How a stored value is written in the import format: the column type it needs ({@code long},
 * {@code double}, {@code boolean}, {@code string}, {@code byte[]}, {@code long[]} ...) and its
 * text, such that the importer reads back an equal value. Values the format cannot carry are
 * refused: an element of a string array holding the array delimiter, and the array holding one
 * empty string (it would read back as the empty array).
 */
final class CsvValues {
    private CsvValues() {}

    /** The column type of a stored value. */
    static String typeOf(Object value) {
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Long) {
            return "long";
        }
        if (value instanceof Double) {
            return "double";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof byte[]) {
            return "byte[]";
        }
        if (value instanceof List<?> list) {
            // an empty list reads back from any array column: give it the string one
            return list.isEmpty() ? "string[]" : typeOf(list.get(0)) + "[]";
        }
        throw new IllegalArgumentException("a value of type " + value.getClass().getName()
                + " has no column type in the import format");
    }

    /**
     * The text of a value: null when the field is to be written as {@code ""} (an empty string or
     * an empty array), else the text to write (quoted by the writer when it must be).
     *
     * @throws IllegalArgumentException when the format cannot carry the value
     */
    static String text(Object value, char arrayDelimiter) {
        if (value instanceof String s) {
            return s.isEmpty() ? null : s;
        }
        if (value instanceof Double d) {
            return Double.toString(d);
        }
        if (value instanceof byte[] bytes) {
            if (bytes.length == 0) {
                return null;
            }
            StringJoiner j = new StringJoiner(String.valueOf(arrayDelimiter));
            for (byte b : bytes) {
                j.add(Byte.toString(b));
            }
            return j.toString();
        }
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                return null;
            }
            if (list.size() == 1 && "".equals(list.get(0))) {
                throw new IllegalArgumentException("a list holding one empty string cannot be written in CSV (it"
                        + " would read back as an empty list)");
            }
            StringJoiner j = new StringJoiner(String.valueOf(arrayDelimiter));
            for (Object element : list) {
                String t = element instanceof Double d ? Double.toString(d) : String.valueOf(element);
                if (element instanceof String && t.indexOf(arrayDelimiter) >= 0) {
                    throw new IllegalArgumentException("a list element holds the array delimiter '" + arrayDelimiter
                            + "': export with another --array-delimiter");
                }
                j.add(t);
            }
            return j.toString();
        }
        return String.valueOf(value); // Long, Boolean
    }
}
