package dev.sablegraph.stress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The watchdog reports a real deadlock and a stall, each with a full thread dump. */
@Timeout(60)
class WatchdogTest {
    @Test
    void reportsADeadlockWithTheStacksOfBothThreads() throws Exception {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread t1 = new Thread(() -> lockBoth(a, b, bothHoldOne), "deadlock-test-1");
        Thread t2 = new Thread(() -> lockBoth(b, a, bothHoldOne), "deadlock-test-2");
        t1.setDaemon(true);
        t2.setDaemon(true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompletableFuture<String> verdict = new CompletableFuture<>();
        Watchdog w = new Watchdog(new PrintStream(bytes, true, StandardCharsets.UTF_8), Duration.ofMinutes(10),
                verdict::complete);
        try {
            t1.start();
            t2.start();
            w.start("test", System::nanoTime, Duration.ofMinutes(5)); // always progressing: only the deadlock counts
            String reason = verdict.get(30, TimeUnit.SECONDS);
            assertTrue(reason.startsWith("DEADLOCK"), reason);
            String dump = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(dump.contains("\"deadlock-test-1\"") && dump.contains("\"deadlock-test-2\""), dump);
            assertTrue(dump.contains("lockBoth"), "full stack frames: " + dump);
            assertTrue(dump.contains("Locked synchronizers"), dump);
        } finally {
            w.stop();
            t1.interrupt();
            t2.interrupt();
        }
    }

    private static void lockBoth(ReentrantLock first, ReentrantLock second, CountDownLatch bothHoldOne) {
        try {
            first.lockInterruptibly();
            try {
                bothHoldOne.countDown();
                bothHoldOne.await();
                second.lockInterruptibly();
                second.unlock();
            } finally {
                first.unlock();
            }
        } catch (InterruptedException e) {
            // released by the test
        }
    }

    @Test
    void aSlowSectionPostponesTheStallVerdictUntilItEnds() throws Exception {
        CompletableFuture<String> verdict = new CompletableFuture<>();
        Watchdog w = new Watchdog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Duration.ofMinutes(10), verdict::complete);
        try {
            w.start("slow phase", () -> 17, Duration.ofSeconds(1));
            boolean reportedInside = w.slowSection(() -> {
                try {
                    Thread.sleep(3_000);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return verdict.isDone();
            });
            assertFalse(reportedInside, "stall reported inside a slow section: " + verdict.getNow(""));
            assertTrue(verdict.get(30, TimeUnit.SECONDS).startsWith("STALL"));
        } finally {
            w.stop();
        }
    }

    @Test
    void reportsAStall() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompletableFuture<String> verdict = new CompletableFuture<>();
        Watchdog w = new Watchdog(new PrintStream(bytes, true, StandardCharsets.UTF_8), Duration.ofMinutes(10),
                verdict::complete);
        try {
            w.start("stalled phase", () -> 17, Duration.ofSeconds(1));
            String reason = verdict.get(30, TimeUnit.SECONDS);
            assertTrue(reason.startsWith("STALL: no progress in stalled phase"), reason);
            assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("Full thread dump"));
        } finally {
            w.stop();
        }
    }
}
