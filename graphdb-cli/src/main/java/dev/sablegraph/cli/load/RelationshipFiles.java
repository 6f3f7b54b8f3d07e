package dev.sablegraph.cli.load;

import dev.sablegraph.cli.csv.BadInputException;
import dev.sablegraph.cli.csv.CsvFormat;
import dev.sablegraph.cli.csv.CsvReader;
import dev.sablegraph.cli.csv.Header;
import dev.sablegraph.cli.csv.RecordPlace;
import dev.sablegraph.concurrent.BulkLoader;
import java.util.Map;

/**
 * The files of one {@code --relationships} option: each record an edge from the node its
 * {@code :START_ID} names to the one its {@code :END_ID} names (each in its column's id group),
 * of its {@code :TYPE} or else the option's type, with its properties. A record naming an id that
 * no node has is an error, or is skipped and counted under {@code --skip-bad-relationships}.
 */
final class RelationshipFiles extends InputFiles<RelationshipFiles.Row> {
    /** A parsed relationship record: its endpoints' node ids, type, properties, and where it was read. */
    record Row(long from, long to, String type, Map<String, Object> properties, RecordPlace place) {}

    private final InputSpec spec;
    private final CsvFormat format;
    private final IdGroups ids;
    private final BulkLoader loader;
    private final boolean skipBad;
    private final ImportSummary summary;

    private RowValues values;
    private int startColumn;
    private int endColumn;
    private int typeColumn;
    private IdSpace startIds;
    private IdSpace endIds;
    private String startGroup;
    private String endGroup;
    private String defaultType;

    RelationshipFiles(InputSpec spec, CsvFormat format, IdGroups ids, BulkLoader loader, boolean skipBad,
            ImportSummary summary, ImportProgress progress) {
        super(spec, format, Header.FileKind.RELATIONSHIPS, progress);
        this.spec = spec;
        this.format = format;
        this.ids = ids;
        this.loader = loader;
        this.skipBad = skipBad;
        this.summary = summary;
    }

    @Override
    void prepare(Header header, CsvReader r) {
        values = new RowValues(header, format);
        startColumn = header.indexOf(Header.Kind.START_ID);
        endColumn = header.indexOf(Header.Kind.END_ID);
        typeColumn = header.indexOf(Header.Kind.TYPE);
        startGroup = header.column(startColumn).group();
        endGroup = header.column(endColumn).group();
        startIds = group(header, startColumn, r);
        endIds = group(header, endColumn, r);
        defaultType = spec.names().isEmpty() ? null : spec.names().get(0);
        if (typeColumn < 0 && defaultType == null) {
            throw new BadInputException(r.name(), r.recordLine(), 1, "no :TYPE column, and no type given as"
                    + " --relationships=TYPE=FILE");
        }
    }

    private IdSpace group(Header header, int column, CsvReader r) {
        String group = header.column(column).group();
        IdSpace space = ids.find(group);
        if (space == null) {
            throw r.error(column, "column '" + header.column(column).text() + "' refers to " + IdGroups.describe(group)
                    + ", which no --nodes file defines (with an :ID" + (group.isEmpty() ? "" : "(" + group + ")")
                    + " column)");
        }
        return space;
    }

    @Override
    Row parse(CsvReader r) {
        values.requireFieldCount(r);
        long from = endpoint(r, startColumn, startIds, startGroup, "start");
        if (from < 0) {
            return null; // skipped
        }
        long to = endpoint(r, endColumn, endIds, endGroup, "end");
        if (to < 0) {
            return null;
        }
        String type = typeColumn < 0 ? "" : r.field(typeColumn);
        if (type.isEmpty()) {
            if (defaultType == null) {
                throw r.error(typeColumn, "missing relationship type: the :TYPE field is empty and no type was given"
                        + " as --relationships=TYPE=FILE");
            }
            type = defaultType;
        }
        return new Row(from, to, type, values.read(r), r.place());
    }

    @Override
    void store(Row row) {
        try {
            loader.addEdge(row.from(), row.to(), row.type(), row.properties());
        } catch (IllegalArgumentException e) {
            throw row.place().error(values.columnRefused(row.properties()), "cannot store this relationship: "
                    + e.getMessage());
        }
        summary.relationships++;
        summary.properties += row.properties().size();
    }

    /** The node an endpoint field names, or -1 when it names none and bad relationships are skipped. */
    private long endpoint(CsvReader r, int column, IdSpace space, String group, String which) {
        String id = r.field(column);
        if (id.isEmpty()) {
            throw r.error(column, "missing " + which + " id: the :" + which.toUpperCase(java.util.Locale.ROOT)
                    + "_ID field is empty");
        }
        long node = space.get(id);
        if (node >= 0) {
            return node;
        }
        BadInputException missing = r.error(column, "relationship to a missing node: " + which + " id '" + id
                + "' is not the id of any node in " + IdGroups.describe(group));
        if (!skipBad) {
            throw missing;
        }
        summary.skippedRelationships++;
        summary.skipped(missing.getMessage());
        return -1;
    }
}
