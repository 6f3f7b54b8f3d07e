package dev.sablegraph.jcstress;

import dev.sablegraph.internal.storage.PageCache;
import dev.sablegraph.internal.storage.PageCursor;
import java.nio.ByteBuffer;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * A checkpoint's image of a captured page is the page as it was when captured, whatever a writer
 * does to it meanwhile (copy-on-write), and the writer's change is kept in the cache.
 */
@JCStressTest
@Outcome(id = "1, 2", expect = Expect.ACCEPTABLE, desc = "the image holds the captured state; the change is in the cache")
@Outcome(id = "2, 2", expect = Expect.FORBIDDEN, desc = "the image holds a change made after the capture")
@Outcome(id = "1, 1", expect = Expect.FORBIDDEN, desc = "the writer's change was lost")
@State
public class CheckpointCaptureTest {
    private static final Fixtures.SharedPages PAGES = new Fixtures.SharedPages("sable-jcstress-capture");
    private final long page = PAGES.nextPage();
    private final PageCache cache = PAGES.newCache();
    private final List<PageCache.CapturedPage> captured;
    private final ByteBuffer image = ByteBuffer.allocate(Fixtures.PAGE_SIZE);

    public CheckpointCaptureTest() {
        PAGES.spillTo(cache);
        cache.create(page);
        try (PageCursor c = cache.write(page)) {
            c.putLong(64, 1);
        }
        captured = cache.captureDirtyPages(Long.MAX_VALUE); // with no writer running, as a checkpoint's switch
    }

    @Actor
    public void writer() {
        try (PageCursor c = cache.write(page)) {
            c.putLong(64, 2);
        }
    }

    @Actor
    public void checkpointer() {
        cache.takeImage(captured.get(0), image);
    }

    @Arbiter
    public void check(JJ_Result r) {
        r.r1 = image.getLong(64);
        try (PageCursor c = cache.write(page)) {
            r.r2 = c.getLong(64);
        }
        cache.release(captured);
        cache.closeWithoutFlush(); // frees the frames now: jcstress keeps thousands of states alive
    }
}
