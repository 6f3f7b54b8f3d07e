package dev.sablegraph.jcstress;

import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.internal.util.AccessGuard;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * The OPTIMISTIC strategy's validated reads never let a torn read through: a guarded write changes
 * two plain fields from (0, 0) to (1, 1); a guarded read returns both.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "read before the write")
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "read after the write")
@Outcome(expect = Expect.FORBIDDEN, desc = "torn read let through validation")
@State
public class OptimisticGuardTest {
    private final AccessGuard guard = AccessGuard.of(LockStrategy.OPTIMISTIC);
    private long x;
    private long y;

    @Actor
    public void writer() {
        guard.write(() -> {
            x = 1;
            y = 1;
        });
    }

    @Actor
    public void reader(JJ_Result r) {
        long[] seen = guard.read(() -> new long[] {x, y});
        r.r1 = seen[0];
        r.r2 = seen[1];
    }
}
