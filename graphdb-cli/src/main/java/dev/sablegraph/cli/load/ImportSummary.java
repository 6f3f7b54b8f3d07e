package dev.sablegraph.cli.load;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What an import did: counts, what it skipped, and the time of each phase. Filled in as it runs. */
public final class ImportSummary {
    /** Skipped records listed in the report; beyond this only the counts grow. */
    static final int LISTED_SKIPS = 10;

    long nodes;
    long relationships;
    long properties;
    long skippedDuplicateNodes;
    long skippedRelationships;
    long bytesRead;
    long nodeNanos;
    long relationshipNanos;
    long finishNanos;
    long idMapBytes;
    long idMapLimit;
    final List<String> skips = new ArrayList<>();

    void skipped(String message) {
        if (skips.size() < LISTED_SKIPS) {
            skips.add(message);
        }
    }

    public long nodes() {
        return nodes;
    }

    public long relationships() {
        return relationships;
    }

    public long properties() {
        return properties;
    }

    public long skippedDuplicateNodes() {
        return skippedDuplicateNodes;
    }

    public long skippedRelationships() {
        return skippedRelationships;
    }

    /** The first skipped records' messages. */
    public List<String> skips() {
        return List.copyOf(skips);
    }

    /** Prints the report. */
    public void print(Path into, PrintWriter out) {
        long total = nodeNanos + relationshipNanos + finishNanos;
        out.printf("Imported into %s in %s (%s rows/s)%n", into, seconds(total), rate(nodes + relationships, total));
        out.printf("  nodes          %,14d  stored in %s  (%s/s)%n", nodes, seconds(nodeNanos), rate(nodes, nodeNanos));
        out.printf("  relationships  %,14d  read in %s  (%s/s), sorted and stored in finish%n", relationships,
                seconds(relationshipNanos), rate(relationships, relationshipNanos));
        out.printf("  properties     %,14d%n", properties);
        out.printf("  input          %,14d bytes  (%s MB/s)%n", bytesRead,
                rate(bytesRead >> 20, nodeNanos + relationshipNanos));
        out.printf("  finish         %s  (relationships sorted by endpoint and stored, file forced, checkpoint)%n",
                seconds(finishNanos));
        out.printf("  id map memory  %,14d of %,d MiB%n", idMapBytes >> 20, idMapLimit >> 20);
        if (skippedDuplicateNodes > 0 || skippedRelationships > 0) {
            out.printf("  skipped: %,d duplicate node(s), %,d bad relationship(s)%n", skippedDuplicateNodes,
                    skippedRelationships);
            for (String s : skips) {
                out.println("    " + s);
            }
            long more = skippedDuplicateNodes + skippedRelationships - skips.size();
            if (more > 0) {
                out.printf("    ... and %,d more%n", more);
            }
        }
        out.flush();
    }

    static String seconds(long nanos) {
        return String.format("%.1f s", nanos / 1e9);
    }

    static String rate(long count, long nanos) {
        if (nanos <= 0) {
            return "-";
        }
        return String.format("%,.0f", count / (nanos / 1e9));
    }
}
