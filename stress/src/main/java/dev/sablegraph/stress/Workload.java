package dev.sablegraph.stress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The worker threads. Each loops until stopped, picking an operation at random by weight: bank
 * transfers, counter increments, graph churn, read checks and maintenance calls all run on every
 * thread, so every kind meets every other. Daemon threads: a deadlocked worker cannot keep the JVM alive after the
 * watchdog gave up on it.
 */
final class Workload {
    private record Weighted(Operation op, int weight) {}

    private final List<Weighted> mix;
    private final int totalWeight;
    private final Context ctx;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    Workload(Context ctx) {
        this.ctx = ctx;
        this.mix = List.of(
                new Weighted(new BankTransfer(ctx), 25),
                new Weighted(new CounterIncrement(ctx), 15),
                new Weighted(new GraphChurn(ctx), 35),
                new Weighted(new ReadCheck(ctx), 25),
                new Weighted(new Maintenance(ctx), 1));
        this.totalWeight = mix.stream().mapToInt(Weighted::weight).sum();
    }

    /** Starts {@code count} workers; worker i's random stream is the i-th split of {@code seed}. */
    void start(int count, long seed) {
        SplittableRandom master = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            SplittableRandom rnd = master.split();
            Thread t = new Thread(() -> loop(rnd), "stress-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    private void loop(SplittableRandom rnd) {
        while (!stopping) {
            Operation op = pick(rnd);
            try {
                op.run(rnd);
            } catch (Throwable t) { // an engine AssertionError is a finding too
                ctx.violations().unexpected(Thread.currentThread().getName() + " in " + op.name(), t);
            }
            ctx.stats().operations.increment();
        }
    }

    private Operation pick(SplittableRandom rnd) {
        int r = rnd.nextInt(totalWeight);
        for (Weighted w : mix) {
            if ((r -= w.weight()) < 0) {
                return w.op();
            }
        }
        throw new AssertionError();
    }

    /** Asks every worker to finish its operation and waits; false if some did not within {@code limit}. */
    boolean stop(Duration limit) throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + limit.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }
}
