package dev.sablegraph.stress;

import dev.sablegraph.core.IntegrityReport;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The database-level calls, from a worker among the others: metrics every time, and, rate-limited
 * across all workers, an explicit checkpoint, collection or log force every two seconds and the
 * engine's full integrity check under load every thirty. The background collector and
 * checkpointer run anyway; these calls race them on purpose.
 */
final class Maintenance implements Operation {
    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long INTEGRITY_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Context ctx;
    private final AtomicLong nextCall = new AtomicLong(System.nanoTime() + EVERY_NANOS);
    private final AtomicLong nextIntegrityCheck = new AtomicLong(System.nanoTime() + INTEGRITY_EVERY_NANOS);

    Maintenance(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return "maintenance";
    }

    @Override
    public void run(SplittableRandom rnd) {
        ctx.db().metrics();
        long now = System.nanoTime();
        long due = nextIntegrityCheck.get();
        if (now - due >= 0 && nextIntegrityCheck.compareAndSet(due, now + INTEGRITY_EVERY_NANOS)) {
            IntegrityReport report = ctx.watchdog().slowSection(ctx.db()::checkIntegrity);
            ctx.stats().checks.increment();
            if (!report.isClean()) {
                ctx.violations().add(new Violation("integrity-under-load", -1, report.toString()));
            }
            return;
        }
        due = nextCall.get();
        if (now - due >= 0 && nextCall.compareAndSet(due, now + EVERY_NANOS)) {
            switch (rnd.nextInt(3)) {
                case 0 -> ctx.db().checkpoint();
                case 1 -> ctx.db().collectGarbage();
                default -> ctx.db().flushLog();
            }
        }
    }
}
