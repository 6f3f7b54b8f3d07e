package dev.sablegraph.jcstress;

import dev.sablegraph.concurrent.Transaction;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/** A reader never sees half of a transaction that wrote two nodes. */
@JCStressTest
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "snapshot before the commit")
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "snapshot after the commit")
@Outcome(expect = Expect.FORBIDDEN, desc = "half a transaction seen")
@State
public class CommitVisibilityTest {
    private final long[] ids = Fixtures.freshNodes(2);

    @Actor
    public void writer() {
        try (Transaction tx = Fixtures.db().begin()) {
            tx.setNodeProperty(ids[0], "value", 1L);
            tx.setNodeProperty(ids[1], "value", 1L);
            tx.commit();
        }
    }

    @Actor
    public void reader(JJ_Result r) {
        try (Transaction tx = Fixtures.db().begin()) {
            r.r1 = Fixtures.value(tx, ids[0]);
            Thread.onSpinWait();
            r.r2 = Fixtures.value(tx, ids[1]);
        }
    }
}
