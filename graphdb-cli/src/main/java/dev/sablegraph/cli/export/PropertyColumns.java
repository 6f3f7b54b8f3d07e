package dev.sablegraph.cli.export;

import dev.sablegraph.cli.csv.CsvWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The property columns of an exported file: one per (key, column type) that some entity has, in
 * key order. A key whose values have different types in different entities gets a column per type;
 * each record fills the one its value needs and leaves the others empty (no value), and the
 * importer takes the one value.
 */
final class PropertyColumns {
    private record Column(String key, String type) implements Comparable<Column> {
        @Override
        public int compareTo(Column o) {
            int c = key.compareTo(o.key);
            return c != 0 ? c : type.compareTo(o.type);
        }
    }

    private final char arrayDelimiter;
    private final TreeSet<Column> found = new TreeSet<>();
    private List<Column> columns;

    PropertyColumns(char arrayDelimiter) {
        this.arrayDelimiter = arrayDelimiter;
    }

    /**
     * Notes the columns an entity's properties need, checking that each value can be written.
     *
     * @param entity names the entity in an error ("node 5")
     */
    void add(String entity, Map<String, Object> properties) {
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            try {
                CsvValues.text(e.getValue(), arrayDelimiter);
                found.add(new Column(e.getKey(), CsvValues.typeOf(e.getValue())));
            } catch (IllegalArgumentException refused) {
                throw new IllegalArgumentException(entity + ", property '" + e.getKey() + "': " + refused.getMessage());
            }
        }
    }

    /** The header fields of the columns, {@code key:type}; fixes the column order. */
    List<String> header() {
        columns = new ArrayList<>(found);
        return columns.stream().map(c -> c.key() + ":" + c.type()).toList();
    }

    /** Writes an entity's fields, one per column. */
    void write(CsvWriter out, Map<String, Object> properties) {
        for (Column c : columns) {
            Object v = properties.get(c.key());
            if (v == null || !CsvValues.typeOf(v).equals(c.type())) {
                out.absent();
                continue;
            }
            String text = CsvValues.text(v, arrayDelimiter);
            out.value(text == null ? "" : text);
        }
    }
}
