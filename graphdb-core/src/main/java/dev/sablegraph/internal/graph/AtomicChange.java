package dev.sablegraph.internal.graph;

import dev.sablegraph.internal.storage.RollbackPoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a change to the store as one unit: rollback points are taken from every part the change
 * may touch before it runs, and restored, all of them, if it throws. See
 * {@link GraphStore#changeAtomically}.
 */
final class AtomicChange {
    private AtomicChange() {}

    /**
     * @param directory the database, named by a {@link RollbackFailedException}
     * @param parts the rollback points to take, in this order; restored in the same order
     */
    static void run(Path directory, List<Supplier<RollbackPoint>> parts, Runnable changes) {
        List<RollbackPoint> points = new ArrayList<>(parts.size());
        try {
            for (Supplier<RollbackPoint> part : parts) {
                points.add(part.get());
            }
        } catch (RuntimeException | Error e) {
            points.forEach(RollbackPoint::discard);
            throw e;
        }
        try {
            changes.run();
        } catch (RuntimeException | Error failure) {
            restore(directory, points, failure);
            throw failure;
        }
        points.forEach(RollbackPoint::discard);
    }

    private static void restore(Path directory, List<RollbackPoint> points, Throwable failure) {
        Throwable restoreFailure = null;
        for (RollbackPoint p : points) {
            try {
                p.restore();
            } catch (RuntimeException | Error e) {
                if (restoreFailure == null) {
                    restoreFailure = e;
                } else {
                    restoreFailure.addSuppressed(e);
                }
            }
        }
        if (restoreFailure != null) {
            failure.addSuppressed(restoreFailure);
            throw new RollbackFailedException("a change to " + directory + " failed (" + failure
                    + ") and could not be taken back (" + restoreFailure + ")", failure);
        }
    }
}
