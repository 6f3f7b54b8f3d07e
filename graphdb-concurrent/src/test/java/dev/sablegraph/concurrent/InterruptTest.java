package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.Node;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupted application threads ({@code Future.cancel(true)}, {@code shutdownNow}, request
 * timeouts) reading and committing. An interrupt is the interrupted thread's business: every
 * other thread carries on, and a commit's outcome is exact (returned: present after reopen;
 * threw: absent). The page cache is tiny and the node cache off, so reads and commits do file
 * I/O on the interrupted thread.
 */
class InterruptTest {
    private static final String LABEL = "Item";
    private static final String PADDING = "x".repeat(300);

    @TempDir
    Path dir;

    private static GraphConfig tinyCache() {
        return GraphConfig.builder().pageCacheBytes(16L * GraphConfig.DEFAULT_PAGE_SIZE).nodeCacheEntries(0)
                .edgeCacheEntries(0).build();
    }

    private ConcurrentGraphDB open() {
        return ConcurrentGraphDB.open(dir, tinyCache());
    }

    /** Commits {@code count} nodes labelled {@link #LABEL} with {@code seq} = 0.., several per transaction. */
    private static void fill(ConcurrentGraphDB db, int count) {
        for (int start = 0; start < count; start += 25) {
            try (Transaction tx = db.begin()) {
                for (int seq = start; seq < Math.min(count, start + 25); seq++) {
                    tx.addNode(Set.of(LABEL), Map.of("seq", (long) seq, "pad", PADDING));
                }
                tx.commit();
            }
        }
    }

    private static long commitNode(ConcurrentGraphDB db, String label, long seq) {
        try (Transaction tx = db.begin()) {
            long id = tx.addNode(Set.of(label), Map.of("seq", seq, "pad", PADDING));
            tx.commit();
            return id;
        }
    }

    /** Reads every node labelled {@link #LABEL} one by one (each a page fault, mostly) and checks it. */
    private static void readAll(ConcurrentGraphDB db, int count) {
        try (Transaction tx = db.begin()) {
            List<Node> nodes = tx.nodesByLabel(LABEL);
            assertEquals(count, nodes.size());
            for (Node n : nodes) {
                Node again = tx.getNode(n.id()).orElseThrow(() -> new AssertionError("node " + n.id()));
                assertEquals(PADDING, again.properties().get("pad"));
            }
        }
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

    /** The {@code seq} values of the nodes labelled {@code label}. */
    private static Set<Long> seqs(ConcurrentGraphDB db, String label) {
        Set<Long> out = new TreeSet<>();
        try (Transaction tx = db.begin()) {
            for (Node n : tx.nodesByLabel(label)) {
                out.add((Long) n.properties().get("seq"));
            }
        }
        return out;
    }

    @Test
    void aThreadThatInterruptsItselfReadsAndCommitsAndOthersCarryOn() throws InterruptedException {
        try (ConcurrentGraphDB db = open()) {
            fill(db, 400);
        }
        AtomicReference<Long> committedWhileInterrupted = new AtomicReference<>();
        try (ConcurrentGraphDB db = open()) { // a cold cache: reads are page faults
            Throwable interrupted = onThread(() -> {
                Thread.currentThread().interrupt();
                readAll(db, 400);
                committedWhileInterrupted.set(commitNode(db, "Interrupted", 1));
                assertTrue(Thread.currentThread().isInterrupted(), "the thread's interrupt status is kept");
            });
            Throwable other = onThread(() -> {
                readAll(db, 400);
                commitNode(db, "Other", 2);
            });
            assertNull(other, "another thread reads and commits after the interrupted one");
            assertNull(interrupted, "the interrupted thread's own reads and commit");
        }
        try (ConcurrentGraphDB db = open()) {
            assertEquals(Set.of(1L), seqs(db, "Interrupted"), "the commit that returned is there after reopen");
            assertEquals(Set.of(2L), seqs(db, "Other"));
            readAll(db, 400);
        }
    }

    @Test
    void anInterruptedThreadOpensRecoversAndClosesTheDatabase() throws InterruptedException {
        try (ConcurrentGraphDB db = open()) {
            fill(db, 100);
        }
        Throwable interrupted = onThread(() -> {
            Thread.currentThread().interrupt();
            try (ConcurrentGraphDB db = open()) { // reads the data file, the log and the control file
                readAll(db, 100);
                commitNode(db, "Interrupted", 1);
            } // a checkpoint, the last force of the log
            assertTrue(Thread.currentThread().isInterrupted(), "the thread's interrupt status is kept");
        });
        assertNull(interrupted, "open, read, commit and close on an interrupted thread");
        try (ConcurrentGraphDB db = open()) {
            assertEquals(Set.of(1L), seqs(db, "Interrupted"));
            readAll(db, 100);
        }
    }

    @Test
    void commitsInterruptedAtRandomMomentsHaveExactOutcomes() throws InterruptedException {
        int commits = 200;
        Set<Long> returned = new TreeSet<>();
        Set<Long> threw = new TreeSet<>();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        try (ConcurrentGraphDB db = open()) {
            fill(db, 200);
            AtomicBoolean done = new AtomicBoolean();
            Thread committer = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (long seq = 0; seq < commits; seq++) {
                    try (Transaction tx = db.begin()) {
                        tx.getNode(random.nextLong(1, 200)); // a read, perhaps a page fault
                        tx.addNode(Set.of("Seq"), Map.of("seq", seq, "pad", PADDING));
                        tx.commit();
                        returned.add(seq);
                    } catch (RuntimeException e) {
                        threw.add(seq);
                        firstFailure.compareAndSet(null, e);
                    }
                    Thread.interrupted(); // each commit meets only the interrupts sent while it runs
                }
            });
            Thread interrupter = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!done.get()) {
                    committer.interrupt();
                    LockSupport.parkNanos(random.nextLong(10_000, 2_000_000));
                }
            });
            committer.start();
            interrupter.start();
            committer.join();
            done.set(true);
            interrupter.join();

            Throwable other = onThread(() -> {
                readAll(db, 200);
                commitNode(db, "Other", 3);
            });
            assertNull(other, "another thread reads and commits after the interrupted committer");
        }
        try (ConcurrentGraphDB db = open()) {
            assertEquals(returned, seqs(db, "Seq"), "after reopen: exactly the commits that returned (threw: "
                    + threw + ", first failure: " + firstFailure.get() + ")");
            assertEquals(Set.of(3L), seqs(db, "Other"));
        }
        assertEquals(Set.of(), threw, "no commit fails because its thread was interrupted; first failure: "
                + firstFailure.get());
    }
}
