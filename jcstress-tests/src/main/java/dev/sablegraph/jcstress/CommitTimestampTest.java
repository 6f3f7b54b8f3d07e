package dev.sablegraph.jcstress;

import dev.sablegraph.concurrent.Transaction;
import java.util.Map;
import java.util.Set;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * Commit timestamps are unique, and a transaction begun after a commit returned sees a snapshot at
 * or after it: two concurrent committers, then a check by the arbiter.
 */
@JCStressTest
@Outcome(id = "true, true", expect = Expect.ACCEPTABLE, desc = "distinct timestamps; later snapshot covers both")
@Outcome(expect = Expect.FORBIDDEN, desc = "duplicate timestamp, or a snapshot older than a returned commit")
@State
public class CommitTimestampTest {
    private long a;
    private long b;

    private static long commitOne() {
        try (Transaction tx = Fixtures.db().begin()) {
            tx.addNode(Set.of("T"), Map.of());
            tx.commit();
            return tx.commitTimestamp();
        }
    }

    @Actor
    public void first() {
        a = commitOne();
    }

    @Actor
    public void second() {
        b = commitOne();
    }

    @Arbiter
    public void check(ZZ_Result r) {
        r.r1 = a != b && a > 0 && b > 0;
        try (Transaction tx = Fixtures.db().begin()) {
            r.r2 = tx.snapshotTimestamp() >= Math.max(a, b);
        }
    }
}
