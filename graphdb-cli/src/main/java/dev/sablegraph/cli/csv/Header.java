package dev.sablegraph.cli.csv;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A header line in the format of {@code neo4j-admin database import full}: each field names a
 * column as {@code name:TYPE}. Structural columns are {@code :ID} (optionally {@code name:ID},
 * and {@code :ID(group)}), {@code :LABEL}, {@code :START_ID(group)}, {@code :END_ID(group)},
 * {@code :TYPE} and {@code :IGNORE}; any other column is a property, {@code key} (a string),
 * {@code key:type} or {@code key:type[]} (an array, split by the array delimiter).
 */
public final class Header {
    /** What a file holds. */
    public enum FileKind {
        NODES("node"), RELATIONSHIPS("relationship");

        private final String noun;

        FileKind(String noun) {
            this.noun = noun;
        }
    }

    /** What a column holds. */
    public enum Kind { ID, LABEL, START_ID, END_ID, TYPE, IGNORE, PROPERTY }

    /**
     * One column.
     *
     * @param name the property key (of a property or of a named id column), else null
     * @param group the id group of an id column (the default group is {@code ""}), else null
     * @param type a property's value type (a named id column's is {@code STRING}), else null
     * @param array whether a property's values are arrays
     * @param text the header field as written
     */
    public record Column(Kind kind, String name, String group, ValueType type, boolean array, String text) {
        /** A byte array column ({@code byte[]}): stored as the database's {@code byte[]} value, not a list. */
        public boolean byteArray() {
            return array && type == ValueType.BYTE;
        }
    }

    private final List<Column> columns;

    private Header(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    public List<Column> columns() {
        return columns;
    }

    public Column column(int i) {
        return columns.get(i);
    }

    public int size() {
        return columns.size();
    }

    /** The index of the only column of this kind, or -1. */
    public int indexOf(Kind kind) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).kind() == kind) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Parses the header in the reader's current record, for a file of the given kind.
     *
     * @throws BadInputException naming the column that is wrong
     */
    public static Header parse(CsvReader reader, FileKind fileKind) {
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < reader.fieldCount(); i++) {
            Column c = column(reader, i);
            check(reader, i, c, fileKind, columns);
            columns.add(c);
        }
        if (fileKind == FileKind.RELATIONSHIPS) {
            for (Kind required : new Kind[] {Kind.START_ID, Kind.END_ID}) {
                if (columns.stream().noneMatch(c -> c.kind() == required)) {
                    throw new BadInputException(reader.name(), reader.recordLine(), 1, "the relationship header has no :"
                            + required + " column");
                }
            }
        }
        return new Header(columns);
    }

    private static Column column(CsvReader reader, int i) {
        String text = reader.field(i);
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            if (text.isEmpty()) {
                throw reader.error(i, "empty column name in the header (name a property, or write :IGNORE)");
            }
            return new Column(Kind.PROPERTY, text, null, ValueType.STRING, false, text);
        }
        String name = text.substring(0, colon);
        String spec = text.substring(colon + 1);
        String group = null;
        int open = spec.indexOf('(');
        if (open >= 0) {
            if (!spec.endsWith(")")) {
                throw reader.error(i, "column '" + text + "': an id group is written (group), as in :ID(Person)");
            }
            group = spec.substring(open + 1, spec.length() - 1);
            spec = spec.substring(0, open);
        }
        Kind structural = structural(spec);
        if (structural != null) {
            if (group != null && structural != Kind.ID && structural != Kind.START_ID && structural != Kind.END_ID) {
                throw reader.error(i, "column '" + text + "': only :ID, :START_ID and :END_ID take an id group");
            }
            boolean idKind = structural == Kind.ID || structural == Kind.START_ID || structural == Kind.END_ID;
            String group1 = idKind ? (group == null ? "" : group) : null;
            String key = structural == Kind.ID && !name.isEmpty() ? name : null;
            return new Column(structural, key, group1, key != null ? ValueType.STRING : null, false, text);
        }
        if (group != null) {
            throw reader.error(i, "column '" + text + "': only :ID, :START_ID and :END_ID take an id group");
        }
        boolean array = spec.endsWith("[]");
        String typeName = array ? spec.substring(0, spec.length() - 2) : spec;
        ValueType type = ValueType.named(typeName);
        if (type == null) {
            throw reader.error(i, "column '" + text + "': unknown type '" + spec + "' (types: string, int, long, float,"
                    + " double, boolean, byte, short, char, each also as an array type[]; or :ID, :LABEL, :START_ID,"
                    + " :END_ID, :TYPE, :IGNORE)");
        }
        if (name.isEmpty()) {
            throw reader.error(i, "column '" + text + "': a property column needs a name before the ':'");
        }
        return new Column(Kind.PROPERTY, name, null, type, array, text);
    }

    private static Kind structural(String spec) {
        return switch (spec.toUpperCase(Locale.ROOT)) {
            case "ID" -> Kind.ID;
            case "LABEL" -> Kind.LABEL;
            case "START_ID" -> Kind.START_ID;
            case "END_ID" -> Kind.END_ID;
            case "TYPE" -> Kind.TYPE;
            case "IGNORE" -> Kind.IGNORE;
            default -> null;
        };
    }

    private static void check(CsvReader reader, int i, Column c, FileKind fileKind, List<Column> before) {
        boolean allowed = switch (c.kind()) {
            case ID, LABEL -> fileKind == FileKind.NODES;
            case START_ID, END_ID, TYPE -> fileKind == FileKind.RELATIONSHIPS;
            case IGNORE, PROPERTY -> true;
        };
        if (!allowed) {
            throw reader.error(i, "column '" + c.text() + "': a " + fileKind.noun + " file has no :" + c.kind()
                    + " column");
        }
        boolean single = c.kind() == Kind.ID || c.kind() == Kind.START_ID || c.kind() == Kind.END_ID
                || c.kind() == Kind.TYPE;
        if (single && before.stream().anyMatch(b -> b.kind() == c.kind())) {
            throw reader.error(i, "column '" + c.text() + "': a second :" + c.kind() + " column");
        }
    }
}
