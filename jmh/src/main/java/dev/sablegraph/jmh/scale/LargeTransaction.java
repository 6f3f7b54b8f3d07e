package dev.sablegraph.jmh.scale;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One transaction of many random edges (endpoints uniformly random among the loaded nodes, from
 * its own seed): whether it commits, how long the writes and the commit took, or what it threw and
 * after how many edges; then whether the engine still commits a small transaction.
 */
final class LargeTransaction {
    private LargeTransaction() {}

    static Map<String, Object> run(WriteEngine engine, long[] ids, int edges, long seed, String what) {
        WriteWorkload.RandomEdges e = WriteWorkload.RandomEdges.draw(new SplittableRandom(seed), ids.length, edges);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("edges", (long) edges);
        long checkpointsBefore = engine.checkpoints();
        long start = System.nanoTime();
        long written = 0;
        long commitStart = -1;
        try (WriteEngine.Tx tx = engine.begin()) {
            for (int i = 0; i < edges; i++) {
                tx.addKnows(ids[e.from()[i]], ids[e.to()[i]]);
                written++;
            }
            commitStart = System.nanoTime();
            tx.commit();
            long end = System.nanoTime();
            m.put("outcome", String.format(java.util.Locale.ROOT, "committed in %.2f s (writes %.2f s, commit() %.2f s)",
                    (end - start) / 1e9, (commitStart - start) / 1e9, (end - commitStart) / 1e9));
            m.put("committed", true);
            m.put("writeSeconds", (commitStart - start) / 1e9);
            m.put("commitSeconds", (end - commitStart) / 1e9);
        } catch (RuntimeException | OutOfMemoryError ex) {
            double at = (System.nanoTime() - start) / 1e9;
            String where = commitStart < 0 ? "at edge " + (written + 1) : "in commit()";
            m.put("outcome", String.format(java.util.Locale.ROOT, "failed %s after %.2f s: %s: %s", where, at,
                    ex.getClass().getName(), firstLine(ex.getMessage())));
            m.put("committed", false);
            m.put("failedAfterEdges", written);
            m.put("failedAfterSeconds", at);
            m.put("exception", ex.getClass().getName() + ": " + ex.getMessage());
        }
        long checkpointsAfter = engine.checkpoints();
        m.put("checkpoints", checkpointsBefore < 0 ? -1 : checkpointsAfter - checkpointsBefore);
        m.put("usableAfter", smallCommitWorks(engine, ids));
        ScaleRun.log("%s %s of %,d edges: %s; then a small commit: %s", engine.name(), what, edges, m.get("outcome"),
                m.get("usableAfter"));
        return m;
    }

    private static String smallCommitWorks(WriteEngine engine, long[] ids) {
        try (WriteEngine.Tx tx = engine.begin()) {
            tx.setAge(ids[0], 42);
            tx.commit();
            return "commits";
        } catch (RuntimeException ex) {
            return "fails: " + ex.getClass().getName() + ": " + firstLine(ex.getMessage());
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
