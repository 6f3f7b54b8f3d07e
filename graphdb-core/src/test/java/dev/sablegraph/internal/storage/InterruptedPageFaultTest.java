package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.assertPattern;
import static dev.sablegraph.internal.storage.StorageTestSupport.open;
import static dev.sablegraph.internal.storage.StorageTestSupport.writePattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Page faults on interrupted threads. The data file's channel is shared by every thread, and a
 * plain {@code FileChannel} closes itself for everyone when a thread doing I/O on it is
 * interrupted; the page file must keep serving every thread, the interrupted one included.
 */
class InterruptedPageFaultTest {
    private static final int FRAMES = 16;
    private static final int PAGES = 100;

    @TempDir
    Path dir;

    /** A closed pager whose {@link #PAGES} pages each hold the pattern of their own id. */
    private Path fileOfPatterns() {
        Path file = dir.resolve("data.sable");
        try (Pager p = open(file, FRAMES)) {
            for (int i = 0; i < PAGES; i++) {
                long id = p.allocate(PageType.SLOTTED);
                writePattern(p, id, id);
            }
            p.flush();
        }
        return file;
    }

    /** Runs {@code body} on a new thread and returns what it threw (null if nothing). */
    private static Throwable onThread(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        t.join();
        return thrown.get();
    }

    @Test
    void anInterruptedReaderMissesTheCacheAndEveryThreadGoesOnReading() throws InterruptedException {
        Path file = fileOfPatterns();
        try (Pager p = open(file, FRAMES)) {
            long missesBefore = p.metrics().misses();
            Throwable interruptedReader = onThread(() -> {
                Thread.currentThread().interrupt();
                assertPattern(p, 7, 7);
                assertTrue(Thread.currentThread().isInterrupted(), "the reader's interrupt status is kept");
            });
            assertEquals(null, interruptedReader, "the interrupted reader's own read");
            assertTrue(p.metrics().misses() > missesBefore, "the read was a miss, so it did I/O");

            Throwable otherReader = onThread(() -> {
                for (long id = 1; id <= PAGES; id++) {
                    assertPattern(p, id, id);
                }
            });
            assertEquals(null, otherReader, "another thread's reads after the interrupted one");
        }
    }

    @Test
    void readersGoOnWhileAnotherReaderIsInterruptedAgainAndAgain() throws InterruptedException {
        Path file = fileOfPatterns();
        try (Pager p = open(file, FRAMES)) {
            AtomicBoolean done = new AtomicBoolean();
            List<Throwable> failures = new ArrayList<>();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                Thread t = new Thread(() -> {
                    try {
                        for (int round = 0; round < 10; round++) {
                            for (long id = 1; id <= PAGES; id++) {
                                assertPattern(p, id, id); // 100 pages through 16 frames: mostly misses
                            }
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                });
                readers.add(t);
                t.start();
            }
            Thread victim = readers.get(0);
            Thread interrupter = new Thread(() -> {
                while (!done.get()) {
                    victim.interrupt();
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000, 200_000));
                }
            });
            interrupter.start();
            for (Thread t : readers) {
                t.join();
            }
            done.set(true);
            interrupter.join();
            assertEquals(List.of(), failures, "every read of both readers, the interrupted one included");
        }
    }
}
