package dev.sablegraph.stress;

import dev.sablegraph.core.IntegrityReport;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The database-level calls, from a worker among the others: metrics every time, and, rate-limited
 * across all workers, an explicit checkpoint, collection or log force every two seconds and the
 * engine's full integrity check under load every thirty. The background collector and
 * checkpointer run anyway; these calls race them on purpose.
 */
final class Maintenance implements Operation {
    private final Context ctx;
    private final Every call = new Every(Duration.ofSeconds(2));
    private final Every integrityCheck = new Every(Duration.ofSeconds(30));

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
        if (integrityCheck.take(now)) {
            IntegrityReport report = ctx.watchdog().slowSection(ctx.db()::checkIntegrity);
            ctx.stats().checks.increment();
            if (!report.isClean()) {
                ctx.violations().add(new Violation("integrity-under-load", -1, report.toString()));
            }
            return;
        }
        if (call.take(now)) {
            switch (rnd.nextInt(3)) {
                case 0 -> ctx.db().checkpoint();
                case 1 -> ctx.db().collectGarbage();
                default -> ctx.db().flushLog();
            }
        }
    }
}
