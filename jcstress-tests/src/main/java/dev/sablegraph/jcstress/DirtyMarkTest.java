package dev.sablegraph.jcstress;

import dev.sablegraph.internal.storage.PageCache;
import dev.sablegraph.internal.storage.PageCursor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZJ_Result;

/**
 * No dirty mark is lost when a writer dirties a page while a flusher clears marks: afterwards the
 * page is either still dirty in the cache or its new value is in the file.
 */
@JCStressTest
@Outcome(id = "true, 0", expect = Expect.ACCEPTABLE, desc = "flushed before the write; the page stays dirty")
@Outcome(id = "true, 1", expect = Expect.ACCEPTABLE, desc = "written and still marked dirty: harmless")
@Outcome(id = "false, 1", expect = Expect.ACCEPTABLE, desc = "the flush wrote the new value and cleared the mark")
@Outcome(id = "false, 0", expect = Expect.FORBIDDEN, desc = "mark cleared but the write never reached the file: lost")
@State
public class DirtyMarkTest {
    private static final Fixtures.SharedPages PAGES = new Fixtures.SharedPages("sable-jcstress-dirty");
    private final long page = PAGES.nextPage();
    private final PageCache cache = PAGES.newCache();

    public DirtyMarkTest() {
        cache.create(page); // a zeroed page, dirty; flush it so the write below is the only change
        cache.flush();
    }

    @Actor
    public void writer() {
        try (PageCursor c = cache.write(page)) {
            c.putLong(64, 1);
        }
    }

    @Actor
    public void flusher() {
        cache.flush();
    }

    @Arbiter
    public void check(ZJ_Result r) {
        r.r1 = cache.dirtyPageCount() > 0;
        r.r2 = PAGES.onDisk(page).getLong(64);
        cache.close();
    }
}
