package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.LockStrategy;
import dev.sablegraph.core.Node;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** Shared helpers of the concurrency tests: opening, reading "rows", running threads under a watchdog. */
final class ConcurrencyTestSupport {
    /** The brief's configuration: one lock strategy, a 16 MiB page cache. */
    static GraphConfig config(LockStrategy strategy) {
        return GraphConfig.builder().lockStrategy(strategy).pageCacheBytes(16 << 20).build();
    }

    static ConcurrentGraphDB open(Path dir, LockStrategy strategy) {
        return ConcurrentGraphDB.open(dir, config(strategy));
    }

    /**
     * What a crash leaves of the open database in {@code from}, copied to {@code to}: every file but
     * the lock. With no-steal the data file changes only at checkpoints, so a copy taken between
     * checkpoints (after forcing the log) is exactly the state a crash at that instant leaves.
     */
    static void copyCrashImage(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("LOCK")) {
                    Files.copy(p, target);
                }
            }
        }
        assertTrue(Files.exists(to.resolve("data.sable")));
    }

    /** The long property {@code key} of a node that must be visible to {@code tx}. */
    static long longProperty(Transaction tx, long id, String key) {
        Node n = tx.getNode(id).orElseThrow(() -> new AssertionError("node " + id + " is not visible"));
        Object v = n.properties().get(key);
        assertInstanceOf(Long.class, v, "property " + key + " of node " + id + " in " + n);
        return (Long) v;
    }

    static Set<Long> ids(List<Node> nodes) {
        Set<Long> ids = new TreeSet<>();
        for (Node n : nodes) {
            assertTrue(ids.add(n.id()), () -> "node " + n.id() + " listed twice in " + nodes);
        }
        return ids;
    }

    /** A worker body; any throwable it lets escape is recorded as a test failure. */
    @FunctionalInterface
    interface Worker {
        void run(int index) throws Exception;
    }

    /**
     * Runs {@code threads} daemon workers and waits for them under a watchdog that fails the test
     * (after dumping every thread's stack to System.err) when the JVM reports a deadlock, or when
     * {@code progress} has not moved for {@code stallSeconds}. Returns only when every worker has
     * finished; then fails if any worker threw. When it fails because of the watchdog the workers
     * are abandoned (they are daemons), and the caller must not close the database: a thread stuck
     * in it may hold the lock that close() needs.
     */
    static void runWorkers(String name, int threads, Worker worker, AtomicLong progress, long stallSeconds)
            throws InterruptedException {
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    worker.run(index);
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            }, name + "-" + i);
            t.setDaemon(true);
            started.add(t);
        }
        Watchdog watchdog = new Watchdog(name, progress, stallSeconds);
        watchdog.start();
        try {
            started.forEach(Thread::start);
            while (!done.await(100, TimeUnit.MILLISECONDS)) {
                String problem = watchdog.problem;
                if (problem != null) {
                    fail(problem + " (thread dump on System.err)");
                }
            }
        } finally {
            watchdog.interrupt();
            watchdog.join(5_000);
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " worker(s) of " + name + " failed; first: "
                    + failures.peek(), failures.peek());
            failures.stream().skip(1).limit(5).forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Polls for JVM-detected deadlocks and for a stalled progress counter. */
    static final class Watchdog extends Thread {
        private final AtomicLong progress;
        private final long stallNanos;
        volatile String problem;

        Watchdog(String name, AtomicLong progress, long stallSeconds) {
            super("watchdog-" + name);
            setDaemon(true);
            this.progress = progress;
            this.stallNanos = TimeUnit.SECONDS.toNanos(stallSeconds);
        }

        @Override
        public void run() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            // threads left deadlocked by an earlier failed test in this JVM are not this run's problem
            Set<Long> earlier = deadlockedIds(mx);
            long last = progress.get();
            long lastChange = System.nanoTime();
            try {
                while (!isInterrupted()) {
                    Thread.sleep(250);
                    Set<Long> deadlocked = deadlockedIds(mx);
                    deadlocked.removeAll(earlier);
                    if (!deadlocked.isEmpty()) {
                        report("deadlock among threads " + deadlocked, mx);
                        return;
                    }
                    long now = progress.get();
                    if (now != last) {
                        last = now;
                        lastChange = System.nanoTime();
                    } else if (System.nanoTime() - lastChange > stallNanos) {
                        report("no progress for " + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s (stuck at "
                                + now + ")", mx);
                        return;
                    }
                }
            } catch (InterruptedException stop) {
                // the workers finished
            }
        }

        private static Set<Long> deadlockedIds(ThreadMXBean mx) {
            Set<Long> ids = new TreeSet<>();
            long[] found = mx.findDeadlockedThreads();
            if (found != null) {
                for (long id : found) {
                    ids.add(id);
                }
            }
            return ids;
        }

        private void report(String what, ThreadMXBean mx) {
            dumpThreads(what, mx, System.err);
            problem = what;
        }
    }

    /** Full stacks (ThreadInfo.toString cuts them at 8 frames) with lock owners. */
    static void dumpThreads(String title, ThreadMXBean mx, PrintStream out) {
        StringBuilder sb = new StringBuilder("==== ").append(title).append(": thread dump ====\n");
        for (ThreadInfo info : mx.dumpAllThreads(true, true)) {
            sb.append('"').append(info.getThreadName()).append("\" id=").append(info.getThreadId()).append(' ')
                    .append(info.getThreadState());
            if (info.getLockName() != null) {
                sb.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                sb.append(" owned by \"").append(info.getLockOwnerName()).append("\" id=").append(info.getLockOwnerId());
            }
            sb.append('\n');
            StackTraceElement[] stack = info.getStackTrace();
            for (int i = 0; i < stack.length; i++) {
                sb.append("\tat ").append(stack[i]).append('\n');
                for (MonitorInfo m : info.getLockedMonitors()) {
                    if (m.getLockedStackDepth() == i) {
                        sb.append("\t- locked ").append(m).append('\n');
                    }
                }
            }
            LockInfo[] syncs = info.getLockedSynchronizers();
            if (syncs.length > 0) {
                sb.append("\tlocked synchronizers:\n");
                for (LockInfo l : syncs) {
                    sb.append("\t- ").append(l).append('\n');
                }
            }
            sb.append('\n');
        }
        out.print(sb);
        out.flush();
    }

    private ConcurrencyTestSupport() {}
}
