package dev.sablegraph.jcstress;

import dev.sablegraph.internal.storage.PageCursor;
import dev.sablegraph.internal.storage.PageType;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * A validated optimistic page read never mixes two versions of a page: a writer changes two longs
 * from (0, 0) to (1, 1) under one write cursor while a reader reads both and validates.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "read before the write")
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "read after the write")
@Outcome(id = "0, 1", expect = Expect.FORBIDDEN, desc = "torn read let through")
@Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "torn read let through")
@State
public class OptimisticPageReadTest {
    private static final int A = 64;
    private static final int B = 4096;
    private final long page = Fixtures.pager().allocate(PageType.META);

    @Actor
    public void writer() {
        try (PageCursor c = Fixtures.pager().write(page)) {
            c.putLong(A, 1);
            c.putLong(B, 1);
        }
    }

    @Actor
    public void reader(JJ_Result r) {
        long a;
        long b;
        try (PageCursor c = Fixtures.pager().read(page)) {
            do {
                a = c.getLong(A);
                b = c.getLong(B);
            } while (c.shouldRetry());
        }
        r.r1 = a;
        r.r2 = b;
    }

    @Arbiter
    public void release() {
        Fixtures.pager().free(page);
    }
}
