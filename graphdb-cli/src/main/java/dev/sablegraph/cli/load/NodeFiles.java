package dev.sablegraph.cli.load;

import dev.sablegraph.cli.csv.BadInputException;
import dev.sablegraph.cli.csv.CsvFormat;
import dev.sablegraph.cli.csv.CsvReader;
import dev.sablegraph.cli.csv.Header;
import dev.sablegraph.cli.csv.RecordPlace;
import dev.sablegraph.concurrent.BulkLoader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files of one {@code --nodes} option: each record a node with the option's labels, those of
 * its {@code :LABEL} fields (split by the array delimiter) and its properties; its {@code :ID}
 * field, when the header has one, is mapped to the node's id in the column's group (and stored as
 * a property too when the column is named, {@code name:ID}).
 */
final class NodeFiles extends InputFiles<NodeFiles.Row> {
    /** A parsed node record: the node's id to be, its labels and properties, and where it was read. */
    record Row(long id, Set<String> labels, Map<String, Object> properties, RecordPlace place) {}

    private final InputSpec spec;
    private final CsvFormat format;
    private final IdGroups ids;
    private final BulkLoader loader;
    private final boolean skipDuplicates;
    private final ImportSummary summary;

    private RowValues values;
    private int idColumn;
    private String idKey;
    private IdSpace idSpace;
    private String idGroup;
    private int[] labelColumns;
    private Set<String> fixedLabels;
    /** The id the next node read will have (read ahead of the loader, which hands out the same ids). */
    private long nextId;

    NodeFiles(InputSpec spec, CsvFormat format, IdGroups ids, BulkLoader loader, boolean skipDuplicates,
            ImportSummary summary, ImportProgress progress) {
        super(spec, format, Header.FileKind.NODES, progress);
        this.spec = spec;
        this.format = format;
        this.ids = ids;
        this.loader = loader;
        this.skipDuplicates = skipDuplicates;
        this.summary = summary;
    }

    @Override
    void prepare(Header header, CsvReader r) {
        values = new RowValues(header, format);
        idColumn = header.indexOf(Header.Kind.ID);
        if (idColumn >= 0) {
            Header.Column id = header.column(idColumn);
            idKey = id.name();
            idGroup = id.group();
            idSpace = ids.define(idGroup);
        }
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (header.column(i).kind() == Header.Kind.LABEL) {
                labels.add(i);
            }
        }
        labelColumns = labels.stream().mapToInt(Integer::intValue).toArray();
        fixedLabels = Set.copyOf(spec.names());
        nextId = loader.nodeCount(); // every earlier option's nodes are stored
    }

    @Override
    Row parse(CsvReader r) {
        values.requireFieldCount(r);
        Map<String, Object> properties = values.read(r);
        Set<String> labels = labels(r);
        if (idColumn >= 0) {
            String id = r.field(idColumn);
            if (id.isEmpty()) {
                throw r.error(idColumn, "missing node id: the :ID column is empty");
            }
            if (idKey != null) {
                RowValues.put(r, idColumn, properties, idKey, id);
            }
            if (!idSpace.put(id, nextId)) {
                BadInputException duplicate = r.error(idColumn, "duplicate node id '" + id + "' in "
                        + IdGroups.describe(idGroup) + " (an earlier record has it)");
                if (!skipDuplicates) {
                    throw duplicate;
                }
                summary.skippedDuplicateNodes++;
                summary.skipped(duplicate.getMessage());
                return null;
            }
        }
        return new Row(nextId++, labels, properties, r.place());
    }

    @Override
    void store(Row row) {
        long id;
        try {
            id = loader.addNode(row.labels(), row.properties());
        } catch (IllegalArgumentException e) {
            throw row.place().error(values.columnRefused(row.properties()), "cannot store this node: " + e.getMessage());
        }
        if (id != row.id()) {
            throw new IllegalStateException("node stored as " + id + ", its id was mapped to " + row.id());
        }
        summary.nodes++;
        summary.properties += row.properties().size();
    }

    private Set<String> labels(CsvReader r) {
        if (labelColumns.length == 0) {
            return fixedLabels;
        }
        Set<String> labels = new HashSet<>(fixedLabels);
        for (int i : labelColumns) {
            for (String l : values.split(r.field(i))) {
                if (!l.isEmpty()) {
                    labels.add(l);
                }
            }
        }
        return labels;
    }
}
