package dev.sablegraph.jcstress;

import dev.sablegraph.internal.storage.PageCache;
import dev.sablegraph.internal.storage.PageCursor;
import dev.sablegraph.internal.storage.PageFile;
import dev.sablegraph.internal.storage.PinnedPage;
import java.nio.ByteBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZJ_Result;

/**
 * A page pinned by a reader is never evicted or given to another page under it: one actor pins
 * page 1 of a full 8-frame cache and checks it while pinned, the other faults 16 other pages.
 */
@JCStressTest
@Outcome(id = "true, 1", expect = Expect.ACCEPTABLE, desc = "the pinned page stayed in its frame")
@Outcome(expect = Expect.FORBIDDEN, desc = "a pinned page was evicted or its frame given to another page")
@State
public class PinnedPageTest {
    private static final int PAGES = 32;
    private static final PageFile FILE = file();
    private final PageCache cache = new PageCache(FILE, 8L * Fixtures.PAGE_SIZE);

    private static PageFile file() {
        PageFile f = PageFile.open(Fixtures.tempDir("sable-jcstress-pin").resolve("pages"),
                Fixtures.PAGE_SIZE);
        f.ensureCapacity(PAGES);
        ByteBuffer page = ByteBuffer.allocate(Fixtures.PAGE_SIZE);
        for (int p = 1; p < PAGES; p++) {
            page.putLong(64, p);
            f.write(p, page);
        }
        return f;
    }

    @Actor
    public void pinner(ZJ_Result r) {
        try (PinnedPage pinned = cache.pin(1)) {
            Thread.yield();
            long seen;
            try (PageCursor c = cache.read(1)) {
                do {
                    seen = c.getLong(64);
                } while (c.shouldRetry());
            }
            r.r1 = pinned.isResident();
            r.r2 = seen;
        }
    }

    @Actor
    public void evictor() {
        for (int p = 2; p < 18; p++) {
            try (PageCursor c = cache.read(p)) {
                c.getLong(64);
            }
        }
    }

    @Arbiter
    public void close() {
        cache.close(); // nothing is dirty: this only frees the frames
    }
}
