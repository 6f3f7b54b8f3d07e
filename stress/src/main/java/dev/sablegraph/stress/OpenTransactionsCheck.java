package dev.sablegraph.stress;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.core.MvccMetrics;
import java.time.Duration;
import java.util.List;

/**
 * Once the workers stopped, nothing holds a transaction: every one was closed, or dropped on purpose
 * and then rolled back by the database. So, after at most {@code limit} of {@code System.gc()}
 * calls, {@code activeTransactions} must be 0 and {@code abandonedTransactions} must have grown by
 * exactly the number dropped: fewer is a dropped transaction still holding its snapshot, more is
 * one the workload closed counted as abandoned.
 */
final class OpenTransactionsCheck {
    static final String NAME = "open-transactions";

    private OpenTransactionsCheck() {}

    static List<Violation> afterStop(ConcurrentGraphDB db, FaultStats faults, Duration limit)
            throws InterruptedException {
        long dropped = faults.get(FaultStats.Count.ABANDONED);
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            MvccMetrics m = db.metrics();
            long rolledBack = faults.rolledBack(m.abandonedTransactions());
            if (rolledBack == dropped && m.activeTransactions() == 0) {
                return List.of();
            }
            if (rolledBack > dropped || System.nanoTime() - deadline > 0) {
                return List.of(new Violation(NAME, -1, "after the workers stopped and " + limit.toSeconds()
                        + " s of System.gc(): " + m.activeTransactions() + " transaction(s) open, " + rolledBack
                        + " rolled back as abandoned of " + dropped + " dropped; open: " + db.openTransactions()));
            }
            System.gc();
            Thread.sleep(100);
        }
    }
}
