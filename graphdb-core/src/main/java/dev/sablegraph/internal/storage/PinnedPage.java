package dev.sablegraph.internal.storage;

/**
 * A page held in its frame until closed: it will not be evicted or replaced by another page.
 * Pinning does not stop writers; read it through {@link PageCache#read(long)}, which then always
 * hits. Close exactly once.
 */
public final class PinnedPage implements AutoCloseable {
    private final PageCache cache;
    private final Frame frame;
    private final long pageId;
    private boolean closed;

    PinnedPage(PageCache cache, Frame frame, long pageId) {
        this.cache = cache;
        this.frame = frame;
        this.pageId = pageId;
    }

    public long pageId() {
        return pageId;
    }

    /** The frame the page is pinned in (for tests that check it never moves). */
    int frameIndex() {
        return frame.index;
    }

    /** True while the frame still holds this page; always true until close for a correct cache. */
    public boolean isResident() {
        return frame.pageId == pageId;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cache.unpin(frame);
        }
    }
}
