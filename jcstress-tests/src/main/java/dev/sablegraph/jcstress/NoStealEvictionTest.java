package dev.sablegraph.jcstress;

import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.storage.PageCache;
import dev.sablegraph.internal.storage.PageCursor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZJ_Result;

/**
 * Under no-steal the evictor never writes a dirty page to the data file, even when a writer dirties
 * it while the evictor is choosing its frame. The page is cached clean (as after a checkpoint) in
 * a full 8-frame cache whose other pages are dirty, so the page is the only possible victim: one
 * actor writes it through a write cursor, the other creates a page, which must evict it.
 */
@JCStressTest
@Outcome(id = "true, false, 0", expect = Expect.ACCEPTABLE,
        desc = "the write came first: the only clean page is dirty, so the cache is exhausted")
@Outcome(id = "false, true, 0", expect = Expect.ACCEPTABLE,
        desc = "the eviction came first: the writer's fault finds no victim, the cache is exhausted")
@Outcome(id = "true, true, 1", expect = Expect.FORBIDDEN,
        desc = "the evictor wrote the dirty page into the data file between checkpoints")
@Outcome(expect = Expect.FORBIDDEN, desc = "impossible: a change lost, or a frame from nowhere")
@State
public class NoStealEvictionTest {
    private static final Fixtures.SharedPages PAGES = new Fixtures.SharedPages("sable-jcstress-nosteal");
    private static final int FRAMES = 8;
    private static final int VALUE_OFFSET = 64;
    private final PageCache cache = PAGES.newCache();
    // Nine pages a state: live states may share one. Harmless: only a no-steal violation writes
    // anything to the file but the zero page of the constructor's flush.
    private final long page = PAGES.nextPage();
    private final long fresh = PAGES.nextPage();

    public NoStealEvictionTest() {
        cache.create(page);
        cache.flush(); // the file holds the page, value 0: the "checkpoint"
        cache.setNoSteal(true);
        for (int i = 1; i < FRAMES; i++) {
            cache.create(PAGES.nextPage()); // dirty, so not evictable: the other seven frames
        }
    }

    @Actor
    public void writer(ZZJ_Result r) {
        try (PageCursor c = cache.write(page)) {
            c.putLong(VALUE_OFFSET, 1);
            r.r1 = true;
        } catch (GraphException exhausted) {
            r.r1 = false;
        }
    }

    @Actor
    public void evictor(ZZJ_Result r) {
        try {
            cache.create(fresh);
            r.r2 = true;
        } catch (GraphException exhausted) {
            r.r2 = false;
        }
    }

    @Arbiter
    public void check(ZZJ_Result r) {
        r.r3 = PAGES.onDisk(page).getLong(VALUE_OFFSET);
        cache.closeWithoutFlush(); // as a database does: under no-steal only checkpoints write the file
    }
}
