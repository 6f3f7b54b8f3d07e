package dev.sablegraph.jcstress;

import dev.sablegraph.concurrent.Transaction;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

/** An uncommitted (here: rolled back) write is never visible to another transaction. */
@JCStressTest
@Outcome(id = "0", expect = Expect.ACCEPTABLE, desc = "only committed data seen")
@Outcome(expect = Expect.FORBIDDEN, desc = "dirty read")
@State
public class NoDirtyReadTest {
    private final long id = Fixtures.freshNodes(1)[0];

    @Actor
    public void writer() {
        try (Transaction tx = Fixtures.db().begin()) {
            tx.setNodeProperty(id, "value", 1L);
            Thread.onSpinWait();
            tx.rollback();
        }
    }

    @Actor
    public void reader(J_Result r) {
        try (Transaction tx = Fixtures.db().begin()) {
            r.r1 = Fixtures.value(tx, id);
        }
    }
}
