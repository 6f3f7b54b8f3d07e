package dev.sablegraph.stress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Index answers equal a scan, in the same snapshot: {@code findNodes(Item, key, value)} (property
 * index) lists exactly the items the label scan finds with that value, and the {@code Hot} label
 * index lists exactly the scanned items carrying that label. Both are compared as sets of ids, so a
 * missing entry, a stale entry resolved to the wrong version, or a duplicate shows. The scan also
 * checks each item's content (payload against its CRC).
 */
final class IndexInvariant {
    static final String NAME = "index-vs-scan";

    private IndexInvariant() {}

    /** One lookup against the scan; {@code value} is a group (Long), a tag (String) or a run (List). */
    static List<Violation> check(Transaction tx, String key, Object value) {
        Scan scan = scan(tx);
        List<Violation> out = new ArrayList<>(scan.problems);
        out.addAll(compare(tx, key, value, scan.byValue.getOrDefault(key + "=" + value, Set.of())));
        return out;
    }

    /** Every group, tag and run value and the Hot label against one scan (for verification after a run). */
    static List<Violation> checkAll(Transaction tx) {
        Scan scan = scan(tx);
        List<Violation> out = new ArrayList<>(scan.problems);
        for (long g = 0; g < Fixture.GROUPS; g++) {
            out.addAll(compare(tx, Items.GROUP, g, scan.byValue.getOrDefault(Items.GROUP + "=" + g, Set.of())));
        }
        for (int t = 0; t < Fixture.TAGS; t++) {
            String tag = "t" + t;
            out.addAll(compare(tx, Items.TAG, tag, scan.byValue.getOrDefault(Items.TAG + "=" + tag, Set.of())));
        }
        for (List<Long> run : Items.allRuns()) {
            out.addAll(compare(tx, Items.RUN, run, scan.byValue.getOrDefault(Items.RUN + "=" + run, Set.of())));
        }
        out.addAll(compareHot(tx, scan));
        return out;
    }

    /** The Hot label index against the scan. */
    static List<Violation> checkHot(Transaction tx) {
        Scan scan = scan(tx);
        List<Violation> out = new ArrayList<>(scan.problems);
        out.addAll(compareHot(tx, scan));
        return out;
    }

    private static List<Violation> compare(Transaction tx, String key, Object value, Set<Long> byScan) {
        long s = tx.snapshotTimestamp();
        List<Node> found = tx.findNodes(Fixture.ITEM, key, value);
        Set<Long> byIndex = ids(found);
        List<Violation> out = new ArrayList<>();
        if (byIndex.size() != found.size()) {
            out.add(new Violation(NAME, s, "findNodes(" + key + "=" + value + ") lists a node twice"));
        }
        for (Node n : found) {
            if (!value.equals(n.properties().get(key)) || !n.labels().contains(Fixture.ITEM)) {
                out.add(new Violation(NAME, s, "findNodes(" + key + "=" + value + ") returned node " + n.id()
                        + " with labels " + n.labels() + " and " + Items.describe(n.properties())));
            }
        }
        if (!byIndex.equals(byScan)) {
            out.add(new Violation(NAME, s, "findNodes(" + key + "=" + value + ") " + difference(byIndex, byScan)));
        }
        return out;
    }

    private static List<Violation> compareHot(Transaction tx, Scan scan) {
        long s = tx.snapshotTimestamp();
        List<Node> hot = tx.nodesByLabel(Fixture.HOT);
        Set<Long> byIndex = ids(hot);
        List<Violation> out = new ArrayList<>();
        if (byIndex.size() != hot.size()) {
            out.add(new Violation(NAME, s, "nodesByLabel(" + Fixture.HOT + ") lists a node twice"));
        }
        if (!byIndex.equals(scan.hot)) {
            out.add(new Violation(NAME, s, "nodesByLabel(" + Fixture.HOT + ") " + difference(byIndex, scan.hot)));
        }
        return out;
    }

    /** What the index has that the scan lacks and the reverse, in ids. */
    private static String difference(Set<Long> byIndex, Set<Long> byScan) {
        TreeSet<Long> onlyIndex = new TreeSet<>(byIndex);
        onlyIndex.removeAll(byScan);
        TreeSet<Long> onlyScan = new TreeSet<>(byScan);
        onlyScan.removeAll(byIndex);
        return "gives " + byIndex.size() + " ids, the scan " + byScan.size() + "; only in the index: "
                + limit(onlyIndex) + ", only in the scan: " + limit(onlyScan);
    }

    private static String limit(TreeSet<Long> ids) {
        return ids.size() <= 20 ? ids.toString() : ids.stream().limit(20).toList() + " and " + (ids.size() - 20)
                + " more";
    }

    /** One pass over the Item label: ids by "key=value", the Hot ones, and content problems. */
    private record Scan(Map<String, Set<Long>> byValue, Set<Long> hot, List<Violation> problems) {}

    private static Scan scan(Transaction tx) {
        long s = tx.snapshotTimestamp();
        Map<String, Set<Long>> byValue = new HashMap<>();
        Set<Long> hot = new TreeSet<>();
        List<Violation> problems = new ArrayList<>();
        Set<Long> seen = new TreeSet<>();
        try (Stream<Node> items = tx.streamNodesByLabel(Fixture.ITEM)) {
            for (Iterator<Node> it = items.iterator(); it.hasNext(); ) {
                Node n = it.next();
                if (!seen.add(n.id())) {
                    problems.add(new Violation(NAME, s, "the " + Fixture.ITEM + " label scan lists node " + n.id()
                            + " twice"));
                    continue;
                }
                String bad = Items.contentProblem(n);
                if (bad != null) {
                    problems.add(new Violation("item-content", s, bad));
                }
                if (n.labels().contains(Fixture.ABORTED)
                        || Long.valueOf(Fixture.POISON_GROUP).equals(n.properties().get(Items.GROUP))) {
                    problems.add(new Violation(RollbackInvariant.NAME, s, "the scan shows item " + n.id()
                            + " as only a rolled-back transaction wrote it: " + n.labels() + " "
                            + Items.describe(n.properties())));
                }
                for (String key : new String[] {Items.GROUP, Items.TAG, Items.RUN}) {
                    Object v = n.properties().get(key);
                    if (v != null) {
                        byValue.computeIfAbsent(key + "=" + v, k -> new TreeSet<>()).add(n.id());
                    }
                }
                if (n.labels().contains(Fixture.HOT)) {
                    hot.add(n.id());
                }
            }
        }
        return new Scan(byValue, hot, problems);
    }

    private static Set<Long> ids(List<Node> nodes) {
        Set<Long> ids = new TreeSet<>();
        nodes.forEach(n -> ids.add(n.id()));
        return ids;
    }
}
