package dev.sablegraph.cli.load;

import dev.sablegraph.cli.csv.CsvFormat;
import dev.sablegraph.cli.csv.CsvReader;
import dev.sablegraph.cli.csv.Header;
import dev.sablegraph.cli.csv.ValueType;
import dev.sablegraph.core.PropertyValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The property values of one record, read from its property columns. An empty unquoted field is no
 * value; an empty quoted field ({@code ""}) is the empty string in a string column and the empty
 * array in an array column, and no value in any other. Array columns ({@code type[]}) become
 * {@code java.util.List}s of their element type, {@code byte[]} the database's byte array.
 */
final class RowValues {
    private final Header header;
    private final char arrayDelimiter;
    private final int[] propertyColumns;

    RowValues(Header header, CsvFormat format) {
        this.header = header;
        this.arrayDelimiter = format.arrayDelimiter();
        List<Integer> columns = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (header.column(i).kind() == Header.Kind.PROPERTY) {
                columns.add(i);
            }
        }
        this.propertyColumns = columns.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Checks that the record has as many fields as the header. */
    void requireFieldCount(CsvReader r) {
        int n = r.fieldCount();
        if (n > header.size()) {
            throw r.error(header.size(), "this record has " + n + " fields, the header " + header.size());
        }
        if (n < header.size()) {
            throw r.error(n, "this record has " + n + " fields, the header " + header.size()
                    + " (the field for '" + header.column(n).text() + "' is missing)");
        }
    }

    /** The record's property values, in a new mutable map. */
    Map<String, Object> read(CsvReader r) {
        Map<String, Object> values = new HashMap<>(propertyColumns.length * 2);
        for (int i : propertyColumns) {
            Header.Column c = header.column(i);
            Object v = value(r, i, c);
            if (v != null) {
                put(r, i, values, c.name(), v);
            }
        }
        return values;
    }

    /**
     * The column a property refused by the database came from: the first whose key has a value the
     * database does not take (the record's first column when none can be told).
     */
    int columnRefused(Map<String, Object> values) {
        for (int i : propertyColumns) {
            String key = header.column(i).name();
            Object v = values.get(key);
            if (v != null) {
                try {
                    PropertyValues.normalize(key, v);
                } catch (IllegalArgumentException refused) {
                    return i;
                }
            }
        }
        return 0;
    }

    /** Adds a value, refusing a key that another column of the record gave a value already. */
    static void put(CsvReader r, int column, Map<String, Object> values, String key, Object value) {
        if (values.putIfAbsent(key, value) != null) {
            throw r.error(column, "property '" + key + "' has a value in two columns of this record");
        }
    }

    private Object value(CsvReader r, int i, Header.Column c) {
        String raw = r.field(i);
        if (raw.isEmpty()) {
            if (!r.quoted(i)) {
                return null;
            }
            if (c.byteArray()) {
                return new byte[0];
            }
            if (c.array()) {
                return List.of();
            }
            return c.type() == ValueType.STRING ? "" : null;
        }
        if (!c.array()) {
            return parse(r, i, c, raw, -1);
        }
        List<String> parts = split(raw);
        if (c.byteArray()) {
            byte[] bytes = new byte[parts.size()];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = ((Long) parse(r, i, c, parts.get(k), k)).byteValue();
            }
            return bytes;
        }
        List<Object> list = new ArrayList<>(parts.size());
        for (int k = 0; k < parts.size(); k++) {
            list.add(parse(r, i, c, parts.get(k), k));
        }
        return Collections.unmodifiableList(list);
    }

    private static Object parse(CsvReader r, int i, Header.Column c, String text, int element) {
        try {
            return c.type().parse(text);
        } catch (IllegalArgumentException e) {
            String where = element < 0 ? "" : "element " + (element + 1) + " of ";
            throw r.error(i, where + "column '" + c.text() + "': " + e.getMessage());
        }
    }

    /** Splits an array field at the array delimiter; empty elements are kept (an empty string, or an error). */
    List<String> split(String raw) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int k = 0; k <= raw.length(); k++) {
            if (k == raw.length() || raw.charAt(k) == arrayDelimiter) {
                parts.add(raw.substring(start, k));
                start = k + 1;
            }
        }
        return parts;
    }
}
