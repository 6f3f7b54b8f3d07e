package dev.sablegraph.internal.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The flusher's hand-off on its own, against a fake log: a request made while the thread is going
 * idle must never be lost (the requester would wait for ever), and the thread must do no flush
 * nobody asked for.
 */
class LogFlusherTest {
    /** A log whose "flush" makes everything appended durable at once. */
    private static final class FakeLog {
        final AtomicLong appended = new AtomicLong();
        final AtomicLong durable = new AtomicLong();
        final AtomicLong flushes = new AtomicLong();

        void flush() {
            flushes.incrementAndGet();
            durable.accumulateAndGet(appended.get(), Math::max);
        }
    }

    @Test
    void everyRequestIsServedThoughRequestersRaceTheThreadGoingIdle() {
        FakeLog log = new FakeLog();
        AtomicReference<Throwable> died = new AtomicReference<>();
        LogFlusher flusher = new LogFlusher("test-flusher", log.durable::get, log.appended::get, log::flush, died::set);
        flusher.start();
        int threads = 4;
        int perThread = 20_000;
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            List<Thread> requesters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread r = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        long position = log.appended.incrementAndGet();
                        flusher.request(position);
                        // Spin, not park: a lost wake-up of the flusher then shows as this loop never ending.
                        while (log.durable.get() < position) {
                            Thread.onSpinWait();
                        }
                    }
                });
                r.start();
                requesters.add(r);
            }
            for (Thread r : requesters) {
                r.join();
            }
        }, () -> "a request was lost: durable " + log.durable.get() + " of " + log.appended.get()
                + " appended, flusher idle " + flusher.isIdle());
        flusher.stop();
        assertEquals(null, died.get());
        assertEquals(threads * perThread, log.durable.get());
        assertTrue(log.flushes.get() <= threads * perThread, "at most one flush per request: " + log.flushes.get());
    }

    @Test
    void periodicModeFlushesWithoutRequestsAndOnlyOnce() {
        FakeLog log = new FakeLog();
        LogFlusher flusher = new LogFlusher("test-flusher", log.durable::get, log.appended::get, log::flush, t -> { });
        flusher.start();
        assertThrows(IllegalArgumentException.class, () -> flusher.startPeriodic(0));
        flusher.startPeriodic(2);
        assertThrows(IllegalStateException.class, () -> flusher.startPeriodic(2));
        log.appended.set(42);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            while (log.durable.get() < 42) {
                Thread.onSpinWait();
            }
        });
        flusher.stop();
    }

    @Test
    void anUnexpectedErrorInTheThreadIsReportedAndAFailureEndsItQuietly() {
        AtomicReference<Throwable> died = new AtomicReference<>();
        LogFlusher broken = new LogFlusher("test-flusher", () -> 0, () -> 1, () -> {
            throw new IllegalStateException("boom");
        }, died::set);
        broken.start();
        broken.request(1);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            while (died.get() == null) {
                Thread.onSpinWait();
            }
        });
        broken.stop();
        assertEquals("boom", died.get().getMessage());

        died.set(null);
        AtomicLong attempts = new AtomicLong();
        LogFlusher failed = new LogFlusher("test-flusher", () -> 0, () -> 1, () -> {
            attempts.incrementAndGet();
            throw new GraphException("write-ahead log failed");
        }, died::set);
        failed.start();
        failed.request(1);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            while (attempts.get() == 0) {
                Thread.onSpinWait();
            }
        });
        failed.stop();
        assertEquals(1, attempts.get(), "the thread ends at the failure instead of retrying");
        assertEquals(null, died.get(), "a log failure is reported by whoever failed the log, not as a death");
    }
}
