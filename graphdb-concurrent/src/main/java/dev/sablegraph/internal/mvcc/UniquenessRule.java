package dev.sablegraph.internal.mvcc;

import dev.sablegraph.core.ConstraintViolationException;
import dev.sablegraph.core.PropertyValues;
import dev.sablegraph.internal.durability.CommitRecord;
import dev.sablegraph.internal.graph.GraphStore;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Unique constraints at commit: the one rule that decides whether a commit may give a node a value
 * that a unique constraint covers (docs/mvcc.md, "Unique constraints"). Asked once per commit under
 * the commit lock, before anything is installed, so its answer is final: every commit installed
 * before it is in the store and its index, and none can come in between. Two racing transactions
 * that give two nodes one value therefore cannot both commit: the second finds the first's node.
 *
 * <p>A commit breaks a constraint on (label, key) when one of its created or changed nodes has the
 * label and a value of the key that another node has: another node of the same commit (in its new
 * state), or a node whose newest committed state has it, unless that node is deleted or this
 * commit changes it (then its new state counts). Values are equal as
 * {@link PropertyValues#sameValue} says, as for {@code findNodes}. A node that keeps its value
 * is checked too; it cannot collide, so this costs one index lookup and no false alarm.
 *
 * <p>Constraints still being built are enforced as well: their index holds the nodes changed
 * since their creation and those the build has passed, and the build itself fails the constraint
 * when it meets a value that two nodes share.
 */
public final class UniquenessRule {
    private final VersionedGraph graph;

    public UniquenessRule(VersionedGraph graph) {
        this.graph = graph;
    }

    /** @throws ConstraintViolationException naming the label, key, value and the node that has it */
    public void check(CommitRecord commit) {
        GraphStore store = graph.store();
        if (!store.hasUniqueConstraints()) {
            return;
        }
        graph.guard().read(() -> {
            checkHoldingRead(store, commit);
            return null;
        });
    }

    private void checkHoldingRead(GraphStore store, CommitRecord commit) {
        Map<Long, CommitRecord.NodeChange> changed = new HashMap<>();
        for (CommitRecord.NodeChange n : commit.nodes()) {
            changed.put(n.id(), n);
        }
        Map<List<Object>, Long> claimed = new HashMap<>();
        for (CommitRecord.NodeChange n : commit.nodes()) {
            if (n.kind() == CommitRecord.Kind.DELETE) {
                continue;
            }
            for (String label : n.labels()) {
                for (String key : store.uniqueKeys(label)) {
                    Object value = n.properties().get(key);
                    if (value == null) {
                        continue;
                    }
                    Long first = claimed.putIfAbsent(List.of(label, key, new Value(value)), n.id());
                    if (first != null) {
                        throw new ConstraintViolationException(label, key, value, first, n.id());
                    }
                    for (long other : store.nodesWithValue(label, key, value)) {
                        if (other != n.id() && !changed.containsKey(other) && !graph.nodeDeleted(other)) {
                            throw new ConstraintViolationException(label, key, value, other, n.id());
                        }
                    }
                }
            }
        }
    }

    /** A property value as a map key: byte arrays by content. */
    private record Value(Object v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Value other && PropertyValues.sameValue(v, other.v);
        }

        @Override
        public int hashCode() {
            return v instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(v);
        }
    }
}
