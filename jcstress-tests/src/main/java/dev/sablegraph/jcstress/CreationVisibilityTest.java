package dev.sablegraph.jcstress;

import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * Entities a commit creates have no version chain, only their commit's run of ids: a reader racing
 * the commit's installation sees, at an existing node, the new edge and the node at its other end
 * together or neither, whichever way it looks (degree, adjacency, the endpoint itself).
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = Expect.ACCEPTABLE, desc = "snapshot before the commit")
@Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "snapshot after the commit")
@Outcome(expect = Expect.FORBIDDEN, desc = "part of a creation seen")
@State
public class CreationVisibilityTest {
    private final long hub = Fixtures.freshNodes(1)[0];

    @Actor
    public void writer() {
        try (Transaction tx = Fixtures.db().begin()) {
            long created = tx.addNode(Set.of("Created"), Map.of());
            tx.addEdge(hub, created, "NEW", Map.of());
            tx.commit();
        }
    }

    @Actor
    public void reader(JJJ_Result r) {
        try (Transaction tx = Fixtures.db().begin()) {
            r.r1 = tx.degree(hub, Direction.OUTGOING);
            List<Edge> edges = tx.edges(hub, Direction.OUTGOING, null);
            r.r2 = edges.size();
            r.r3 = edges.stream().filter(e -> tx.getNode(e.to()).isPresent()).count();
        }
    }
}
