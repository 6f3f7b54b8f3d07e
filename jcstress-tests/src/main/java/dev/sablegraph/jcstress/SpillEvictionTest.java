package dev.sablegraph.jcstress;

import dev.sablegraph.internal.storage.PageCache;
import dev.sablegraph.internal.storage.PageCursor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * The write-ahead rule at eviction: the cache of a database with a log evicts a dirty page to its
 * spill file, never to the data file, whose pages only a checkpoint writes once the log is forced
 * (docs/durability.md, "Steal to the spill file"); and the evicted page reads back with every
 * change. The page is cached clean (as after a checkpoint) in a full 8-frame cache whose other
 * pages are dirty: one actor writes the page, the other creates a page, which evicts some page,
 * dirty or not, the written one included when it comes first.
 */
@JCStressTest
@Outcome(id = "0, 1", expect = Expect.ACCEPTABLE,
        desc = "the data file kept the checkpointed page; the change reads back (from the cache or the spill file)")
@Outcome(id = "1, 1", expect = Expect.FORBIDDEN,
        desc = "an eviction wrote the dirty page into the data file between checkpoints")
@Outcome(expect = Expect.FORBIDDEN, desc = "the change was lost")
@State
public class SpillEvictionTest {
    private static final Fixtures.SharedPages PAGES = new Fixtures.SharedPages("sable-jcstress-spill");
    private static final int FRAMES = 8;
    private static final int VALUE_OFFSET = 64;
    private final PageCache cache = PAGES.newCache();
    // Nine pages a state: live states may share one. Harmless: only a violation writes anything
    // to the file but the zero page of the constructor's flush.
    private final long page = PAGES.nextPage();
    private final long fresh = PAGES.nextPage();

    public SpillEvictionTest() {
        cache.create(page);
        cache.flush(); // the file holds the page, value 0: the "checkpoint"
        PAGES.spillTo(cache);
        for (int i = 1; i < FRAMES; i++) {
            cache.create(PAGES.nextPage()); // dirty: the other seven frames
        }
    }

    @Actor
    public void writer() {
        try (PageCursor c = cache.write(page)) {
            c.putLong(VALUE_OFFSET, 1);
        }
    }

    @Actor
    public void evictor() {
        cache.create(fresh);
    }

    @Arbiter
    public void check(JJ_Result r) {
        r.r1 = PAGES.onDisk(page).getLong(VALUE_OFFSET);
        try (PageCursor c = cache.read(page)) {
            long value;
            do {
                value = c.getLong(VALUE_OFFSET);
            } while (c.shouldRetry());
            r.r2 = value;
        }
        cache.closeWithoutFlush(); // as a database does: only checkpoints write the data file
    }
}
