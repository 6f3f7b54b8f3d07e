package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.PAGE_SIZE;
import static dev.sablegraph.internal.storage.StorageTestSupport.readRawPage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.StampedLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a spill file the evictor never writes a dirty page to the data file, even one that a writer
 * dirtied after the evictor had looked at the frame and before it locked it: the data file must
 * stay the last checkpoint's image (docs/durability.md), so the page goes to the spill file and
 * reads back from there with the change.
 *
 * <p>The interleaving is forced, not hoped for: every frame's lock is replaced by one whose
 * {@code tryWriteLock} (the evictor's, and only the evictor's, way in) first runs a writer on another
 * thread that changes the page the frame holds, and waits for it. That is exactly the gap between
 * the evictor's first look and its lock.
 */
class EvictionToSpillTest {
    private static final int FRAMES = 8;
    private static final int VALUE_OFFSET = PageLayout.HEADER_SIZE;

    @TempDir
    Path dir;

    @Test
    void aPageDirtiedAfterTheEvictorLookedAtItsFrameStaysOutOfTheDataFile() throws Exception {
        Path path = dir.resolve("pages");
        try (PageFile file = PageFile.open(path, PAGE_SIZE)) {
            file.ensureCapacity(FRAMES + 2);
            PageCache cache = new PageCache(file, (long) FRAMES * PAGE_SIZE);
            try {
                for (long page = 1; page <= FRAMES; page++) {
                    cache.create(page); // every frame holds a page...
                }
                cache.flush(); // ...that is clean: the file holds each one as "checkpointed", value 0
                cache.useSpillFile(dir.resolve("spill.pages"), java.nio.channels.FileChannel::open);

                AtomicLong dirtiedPage = new AtomicLong(Frame.NO_PAGE);
                AtomicBoolean armed = new AtomicBoolean(true);
                for (int i = 0; i < FRAMES; i++) {
                    Frame frame = cache.frame(i);
                    replaceLock(frame, () -> {
                        if (armed.compareAndSet(true, false)) {
                            long page = frame.pageId;
                            dirtiedPage.set(page);
                            onAnotherThread(() -> {
                                try (PageCursor c = cache.write(page)) {
                                    c.putLong(VALUE_OFFSET, 1);
                                }
                            });
                        }
                    });
                }

                cache.create(FRAMES + 1); // needs a victim: the evictor runs, and the writer in its gap

                long page = dirtiedPage.get();
                assertNotEquals(Frame.NO_PAGE, page, "the evictor tried to lock a frame");
                assertEquals(0, readRawPage(path, page).getLong(VALUE_OFFSET),
                        "page " + page + " was dirtied after the evictor looked at its frame; its change must"
                                + " stay out of the data file until a checkpoint, but it is there");
                try (PageCursor c = cache.read(page)) {
                    long value;
                    do {
                        value = c.getLong(VALUE_OFFSET);
                    } while (c.shouldRetry());
                    assertEquals(1, value, "the writer's change reads back");
                }
                assertEquals(1, cache.spillWrites(), "the page dirtied in the gap went to the spill file");
            } finally {
                cache.close();
            }
        }
    }

    /** Runs {@code action} on a new thread and waits for it, rethrowing what it threw. */
    private static void onAnotherThread(Runnable action) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                action.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "writer-in-the-evictors-gap");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (failure.get() != null) {
            throw new AssertionError("the writer failed", failure.get());
        }
    }

    /**
     * Gives the frame a lock whose {@code tryWriteLock} runs {@code before} first. Reflection keeps
     * this seam out of the production code; the frame must be unlocked and unreached (no cursor).
     */
    private static void replaceLock(Frame frame, Runnable before) throws ReflectiveOperationException {
        Field lock = Frame.class.getDeclaredField("lock");
        lock.setAccessible(true);
        lock.set(frame, new StampedLock() {
            private static final long serialVersionUID = 1L;

            @Override
            public long tryWriteLock() {
                before.run();
                return super.tryWriteLock();
            }
        });
    }
}
