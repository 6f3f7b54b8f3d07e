package dev.sablegraph.internal.graph;

import dev.sablegraph.core.Edge;
import dev.sablegraph.core.Node;
import dev.sablegraph.internal.graph.codec.EdgeRecord;
import dev.sablegraph.internal.graph.codec.NodeRecord;
import dev.sablegraph.internal.graph.codec.PropertyList;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Between what callers see and what records store: names become token ids on the way in (new
 * names become new tokens), and records become {@link Node}s and {@link Edge}s with names on the
 * way out.
 */
final class RecordNames {
    private final Tokens tokens;

    RecordNames(Tokens tokens) {
        this.tokens = tokens;
    }

    /** The label tokens of a node, ascending, as its record keeps them. */
    int[] labelTokens(Collection<String> names) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (String n : names) {
            ids.add(tokens.getOrCreate(TokenKind.LABEL, n));
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    PropertyList propertyList(Map<String, Object> properties) {
        PropertyList list = PropertyList.EMPTY;
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            list = list.with(tokens.getOrCreate(TokenKind.PROPERTY_KEY, e.getKey()), e.getValue());
        }
        return list;
    }

    int edgeTypeToken(String type) {
        return tokens.getOrCreate(TokenKind.EDGE_TYPE, type);
    }

    Node node(long id, NodeRecord r) {
        Set<String> labels;
        if (r.labels().length == 0) {
            labels = Set.of();
        } else {
            String[] names = new String[r.labels().length];
            for (int i = 0; i < names.length; i++) {
                names[i] = tokens.name(TokenKind.LABEL, r.labels()[i]);
            }
            labels = Set.of(names);
        }
        return new Node(id, labels, tokens.propertyMap(r.properties()));
    }

    Edge edge(long id, EdgeRecord r) {
        return new Edge(id, r.from(), r.to(), tokens.name(TokenKind.EDGE_TYPE, r.type()),
                tokens.propertyMap(r.properties()));
    }
}
