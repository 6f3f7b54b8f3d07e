package dev.sablegraph.stress;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Opens a database nobody else is using (after a clean close, or after a crash: then the open is the
 * recovery), checks every invariant exhaustively in one snapshot, runs the engine's full integrity
 * check, and closes it. The invariants: bank total both ways, each counter within its expected range,
 * the edges around every item, every indexed value against the scan, no rolled-back write,
 * traversals from a sample.
 */
final class Verifier {
    /** Counter values a verification accepts: {@code lo[c] <= value <= hi[c]}. */
    record CounterRanges(long[] lo, long[] hi) {
        static CounterRanges exactly(long[] values) {
            return new CounterRanges(values.clone(), values.clone());
        }
    }

    /**
     * @param counters the values found (null when the fixture could not be read)
     * @param integrity null when the database did not get that far
     */
    record Result(List<Violation> violations, IntegrityReport integrity, long[] counters, Duration openTime,
            long items, long edges) {
        boolean clean() {
            return violations.isEmpty() && integrity != null && integrity.isClean();
        }
    }

    private Verifier() {}

    static Result reopenAndVerify(Path dir, GraphConfig config, CounterRanges expected, long seed) {
        long t0 = System.nanoTime();
        List<Violation> violations = new ArrayList<>();
        try (ConcurrentGraphDB db = ConcurrentGraphDB.open(dir, config)) {
            Duration openTime = Duration.ofNanos(System.nanoTime() - t0);
            long[] counters = null;
            long items = 0;
            long edges = 0;
            try (Transaction tx = db.begin()) {
                long s = tx.snapshotTimestamp();
                Fixture f = Fixture.find(tx);
                BankInvariant bank = new BankInvariant(f.accounts());
                violations.addAll(bank.check(tx, true));
                violations.addAll(bank.check(tx, false));
                counters = new long[f.counters().length];
                for (int c = 0; c < counters.length; c++) {
                    counters[c] = Fixture.count(tx, f.counters()[c]);
                    violations.addAll(CounterInvariant.verdict(c, f.counters()[c], counters[c], expected.lo()[c],
                            expected.hi()[c], s));
                }
                violations.addAll(EdgeInvariant.checkAll(tx, Fixture.ITEM));
                violations.addAll(IndexInvariant.checkAll(tx));
                violations.addAll(RollbackInvariant.check(tx));
                List<Long> ids = new ArrayList<>();
                try (Stream<Node> all = tx.streamNodesByLabel(Fixture.ITEM)) {
                    for (Iterator<Node> it = all.iterator(); it.hasNext(); items++) {
                        long id = it.next().id();
                        ids.add(id);
                        edges += tx.edges(id, Direction.OUTGOING, null).size();
                    }
                }
                SplittableRandom rnd = new SplittableRandom(seed);
                for (int k = 0; k < 20 && !ids.isEmpty(); k++) {
                    violations.addAll(TraversalInvariant.check(tx, ids.get(rnd.nextInt(ids.size())),
                            Direction.values()[rnd.nextInt(3)], 3, rnd));
                }
            } catch (IllegalStateException e) { // the fixture is damaged: a finding, not a crash of the tool
                violations.add(new Violation("fixture", -1, e.getMessage()));
            }
            IntegrityReport integrity = db.checkIntegrity();
            return new Result(violations, integrity, counters, openTime, items, edges);
        }
    }
}
