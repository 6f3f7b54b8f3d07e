package dev.sablegraph.core.storage;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pages an atomic change wrote, each as it was before the change first touched it: its bytes
 * and its dirty mark, or nothing for a page the change created. {@link PageCache#rollBack} writes
 * them back.
 *
 * <p>Why whole pages: a change that fails part-way (a full cache, a failed read, a bug) may have
 * written any mix of record, adjacency, index and allocation pages; restoring their images is
 * the one way back that needs no knowledge of what the change meant. Under no-steal a page the
 * change wrote stays in its frame until the change ends (dirty pages are never evicted), so each
 * image goes back into the frame it came from.
 *
 * <p>Memory: one page per page written, on the heap, for the length of one change.
 */
final class PageUndo {
    /** A page as it was before the change; {@code image} is null for a page the change created. */
    record Before(Frame frame, long pageId, ByteBuffer image, boolean dirty) {}

    private final Map<Long, Before> pages = new LinkedHashMap<>();

    /** Whether the page was already recorded (its first state is the one to keep). */
    boolean contains(long pageId) {
        return pages.containsKey(pageId);
    }

    void add(Before before) {
        pages.put(before.pageId(), before);
    }

    Iterable<Before> pages() {
        return pages.values();
    }

    int size() {
        return pages.size();
    }
}
