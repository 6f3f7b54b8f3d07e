package dev.sablegraph.jcstress;

import dev.sablegraph.concurrent.Transaction;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZJ_Result;

/**
 * A node read right after another thread's {@code commit()} returned, by a transaction begun after
 * that return, is the new version, even though the node cache held the old one.
 */
@JCStressTest
@Outcome(id = "false, 0", expect = Expect.ACCEPTABLE, desc = "began before the commit returned: old version")
@Outcome(id = "false, 1", expect = Expect.ACCEPTABLE, desc = "began before the return, after the publish")
@Outcome(id = "true, 1", expect = Expect.ACCEPTABLE, desc = "began after the return: new version")
@Outcome(id = "true, 0", expect = Expect.FORBIDDEN, desc = "stale cached version served after the commit returned")
@State
public class CachedReadAfterCommitTest {
    private final long id = Fixtures.freshNodes(1)[0];
    private volatile boolean returned;

    public CachedReadAfterCommitTest() {
        try (Transaction tx = Fixtures.db().begin()) {
            Fixtures.value(tx, id); // warm the node cache with the old version
        }
    }

    @Actor
    public void writer() {
        try (Transaction tx = Fixtures.db().begin()) {
            tx.setNodeProperty(id, "value", 1L);
            tx.commit();
        }
        returned = true;
    }

    @Actor
    public void reader(ZJ_Result r) {
        boolean after = returned;
        try (Transaction tx = Fixtures.db().begin()) {
            r.r1 = after;
            r.r2 = Fixtures.value(tx, id);
        }
    }
}
