package dev.sablegraph.jcstress;

import dev.sablegraph.internal.storage.PageCache;
import dev.sablegraph.internal.storage.PageCursor;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A checkpoint's capture sees every dirty page exactly once while readers move pages between the
 * frames and the spill file: a capture runs with writers held off but not readers, whose faults
 * load spilled pages (which leave the spill file) and evict dirty ones (which enter it). A page in
 * flight must be captured on one side or the other, never on neither (its change would miss the
 * checkpoint, and the log before it would be dropped) and never on both.
 *
 * <p>Nine dirty pages in an 8-frame cache, so one is spilled; the reader reads all nine, which
 * faults the spilled one back and evicts others; the checkpointer captures meanwhile, at most half
 * the frames, as a checkpoint does (the excess dirty frames are spilled first, under the capture's
 * lock; the captured frames stay pinned, the other half serves the reader). Each captured image
 * must hold its page's value.
 */
@JCStressTest
@Outcome(id = "9, 9", expect = Expect.ACCEPTABLE, desc = "all nine pages captured once, each with its change")
@Outcome(expect = Expect.FORBIDDEN, desc = "a page missed, captured twice, or captured without its change")
@State
public class CaptureWhileSpillingTest {
    private static final Fixtures.SharedPages PAGES = new Fixtures.SharedPages("sable-jcstress-capture-spill");
    private static final int PAGE_COUNT = 9;
    private static final int VALUE_OFFSET = 64;
    private final PageCache cache = PAGES.newCache();
    private final long[] pages = new long[PAGE_COUNT];
    private List<PageCache.CapturedPage> captured;

    public CaptureWhileSpillingTest() {
        PAGES.spillTo(cache);
        for (int i = 0; i < PAGE_COUNT; i++) {
            pages[i] = PAGES.nextPage();
            cache.create(pages[i]); // the ninth evicts a dirty page to the spill file
            try (PageCursor c = cache.write(pages[i])) {
                c.putLong(VALUE_OFFSET, pages[i]);
            }
        }
    }

    @Actor
    public void reader() {
        for (long page : pages) {
            try (PageCursor c = cache.read(page)) {
                do {
                    c.getLong(VALUE_OFFSET);
                } while (c.shouldRetry());
            }
        }
    }

    @Actor
    public void checkpointer() {
        captured = cache.captureDirtyPages(4); // as a checkpoint does: half the frames at most, the rest spilled first
    }

    @Arbiter
    public void check(II_Result r) {
        Set<Long> right = new HashSet<>();
        ByteBuffer image = ByteBuffer.allocate(Fixtures.PAGE_SIZE);
        for (PageCache.CapturedPage p : captured) {
            cache.takeImage(p, image);
            if (image.getLong(VALUE_OFFSET) == p.pageId()) {
                right.add(p.pageId());
            }
        }
        r.r1 = right.size();
        r.r2 = captured.size();
        cache.release(captured);
        cache.closeWithoutFlush(); // frees the frames and deletes the spill file now
    }
}
