package dev.sablegraph.stress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The worker threads. Each loops until stopped, picking an operation at random by weight: bank
 * transfers, counter increments, graph churn, read checks, maintenance calls and the injected
 * faults all run on every thread, so every kind meets every other. Daemon threads: a deadlocked
 * worker cannot keep the JVM alive after the watchdog gave up on it.
 */
final class Workload {
    private record Weighted(Operation op, int weight) {}

    private final List<Weighted> mix = new ArrayList<>();
    private final int totalWeight;
    private final Context ctx;
    private final InterruptInjector interrupts;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * @param oversized the sizing of oversized transactions, or null when that fault is off
     * @param seed for the fault operations' own schedule
     */
    Workload(Context ctx, InterruptInjector interrupts, OversizedTransaction.Sizing oversized, long seed) {
        this.ctx = ctx;
        this.interrupts = interrupts;
        mix.add(new Weighted(new BankTransfer(ctx), 25));
        mix.add(new Weighted(new CounterIncrement(ctx), 15));
        mix.add(new Weighted(new GraphChurn(ctx), 35));
        mix.add(new Weighted(new ReadCheck(ctx), 25));
        mix.add(new Weighted(new Maintenance(ctx), 1));
        // Each fault operation is rate-limited on its own; a pick that finds it not due returns at once.
        if (oversized != null) {
            mix.add(new Weighted(new OversizedTransaction(ctx, oversized, new SplittableRandom(seed)), 1));
        }
        if (ctx.faults().enabled(Fault.OVER_LIMIT)) {
            mix.add(new Weighted(new OverLimitWrite(ctx), 1));
        }
        if (ctx.faults().enabled(Fault.ABANDONED)) {
            mix.add(new Weighted(new AbandonedTransaction(ctx), 1));
        }
        this.totalWeight = mix.stream().mapToInt(Weighted::weight).sum();
    }

    /** Starts {@code count} workers; worker i's random stream is the i-th split of {@code seed}. */
    void start(int count, long seed) {
        SplittableRandom master = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            SplittableRandom rnd = master.split();
            int index = i;
            Thread t = new Thread(() -> loop(index, rnd), "stress-worker-" + i);
            t.setDaemon(true);
            interrupts.register(i, t);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    private void loop(int index, SplittableRandom rnd) {
        while (!stopping) {
            Operation op = pick(rnd);
            long token = interrupts.beforeOperation(index);
            Throwable failed = null;
            try {
                op.run(rnd);
            } catch (Throwable t) { // an engine AssertionError is a finding too
                failed = t;
            }
            boolean interrupted = interrupts.interruptedSince(index, token);
            if (interrupted) {
                ctx.faults().record(FaultStats.Count.INTERRUPTED_OPERATIONS);
            }
            if (failed != null) {
                if (interrupted && InterruptInjector.causedByInterrupt(failed)) {
                    // the interrupted thread's own call may fail; what it committed is checked as ever
                    ctx.faults().record(FaultStats.Count.INTERRUPTED_CALLS_THREW);
                } else {
                    ctx.violations().unexpected(Thread.currentThread().getName() + " in " + op.name(), failed);
                }
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
