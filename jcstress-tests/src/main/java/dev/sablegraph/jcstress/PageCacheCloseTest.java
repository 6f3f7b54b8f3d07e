package dev.sablegraph.jcstress;

import dev.sablegraph.internal.storage.PageCache;
import dev.sablegraph.internal.storage.PageCursor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * Closing a page cache frees its memory at once, yet a reader racing the close never reads freed
 * memory: it either reads the page intact (its cursor got in first; the memory is freed when it
 * closes it) or gets {@link IllegalStateException}. Reading freed memory would crash the test JVM
 * (an error, not an outcome) or return garbage: the reader also reads the page's first 16 bytes,
 * zero here, where a freed heap block gets the allocator's list pointers.
 */
@JCStressTest
@Outcome(id = "42, 0", expect = Expect.ACCEPTABLE, desc = "the reader got in first and read the page")
@Outcome(id = "-1, -1", expect = Expect.ACCEPTABLE, desc = "the cache was closed first: IllegalStateException")
@Outcome(expect = Expect.FORBIDDEN, desc = "the reader saw memory that was not the page")
@State
public class PageCacheCloseTest {
    private static final Fixtures.SharedPages PAGES = new Fixtures.SharedPages("sable-jcstress-close");
    private static final int VALUE_OFFSET = 64;
    private final PageCache cache = PAGES.newCache();
    private final long page = PAGES.nextPage();

    public PageCacheCloseTest() {
        cache.create(page);
        try (PageCursor c = cache.write(page)) {
            c.putLong(VALUE_OFFSET, 42);
        }
        cache.flush(); // so that close has nothing to write
    }

    @Actor
    public void reader(JJ_Result r) {
        try (PageCursor c = cache.read(page)) {
            long value;
            long head;
            do {
                value = c.getLong(VALUE_OFFSET);
                head = c.getLong(0) | c.getLong(8);
            } while (c.shouldRetry());
            r.r1 = value;
            r.r2 = head;
        } catch (IllegalStateException closed) {
            r.r1 = -1;
            r.r2 = -1;
        }
    }

    @Actor
    public void closer() {
        cache.close();
    }
}
