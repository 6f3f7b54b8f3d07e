package dev.sablegraph.jmh;

import com.sun.management.OperatingSystemMXBean;
import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.GraphConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What an empty database costs, in one fresh JVM: the time to create and open it, the resident
 * memory it adds, the CPU it burns while open and idle (beside the CPU of the JVM alone, measured
 * first over as long), and its size on disk once it holds the README's two nodes and an edge and
 * is closed. Then the open time once more, of another new database in the now warm JVM.
 *
 * <pre>java -cp jmh/target/benchmarks.jar dev.sablegraph.jmh.Footprint [idleSeconds] [pageCacheMiB]</pre>
 *
 * Resident memory is {@code VmRSS} of {@code /proc/self/status} (Linux); CPU is the process's
 * ({@code getProcessCpuTime}) and that of each of the database's own threads (named
 * {@code sable-*}). The directory is kept and printed, for {@code du -sb}.
 */
public final class Footprint {
    private Footprint() {}

    public static void main(String[] args) throws Exception {
        int idleSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        GraphConfig.Builder config = GraphConfig.builder();
        if (args.length > 1) {
            config.pageCacheBytes(Long.parseLong(args[1]) << 20);
        }
        GraphConfig cfg = config.build();
        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("sable-footprint");
        Path db1 = dir.resolve("graph");

        // The JVM alone first: what its own threads (compiler, collector) cost while it waits.
        long jvm0 = os.getProcessCpuTime();
        Thread.sleep(idleSeconds * 1_000L);
        long cpuJvmAlone = os.getProcessCpuTime() - jvm0;

        long rssBefore = rssKiB();
        long t0 = System.nanoTime();
        ConcurrentGraphDB db = ConcurrentGraphDB.open(db1, cfg);
        double openMs = (System.nanoTime() - t0) / 1e6;
        long rssOpen = rssKiB();

        Thread.sleep(1_000); // let open's after-effects (JIT, the first collection rounds) settle
        long cpu0 = os.getProcessCpuTime();
        Map<String, Long> sable0 = sableThreadsCpu(threads);
        Thread.sleep(idleSeconds * 1_000L);
        long cpuIdle = os.getProcessCpuTime() - cpu0;
        Map<String, Long> sable1 = sableThreadsCpu(threads);

        try (Transaction tx = db.begin()) {
            long alice = tx.addNode(Set.of("Person"), Map.of("name", "Alice", "age", 34));
            long bob = tx.addNode(Set.of("Person"), Map.of("name", "Bob"));
            tx.addEdge(alice, bob, "KNOWS", Map.of("since", 2019));
            tx.commit();
        }
        db.close();
        long disk = bytesIn(db1);

        Path db2 = dir.resolve("graph2");
        long t1 = System.nanoTime();
        ConcurrentGraphDB.open(db2, cfg).close();
        double warmOpenMs = (System.nanoTime() - t1) / 1e6;

        System.out.printf("page cache %d MiB, JDK %s%n", cfg.pageCacheBytes() >> 20, System.getProperty("java.version"));
        System.out.printf("open (new database, first in the JVM)   %8.1f ms%n", openMs);
        System.out.printf("open (new database, warm JVM)            %8.1f ms%n", warmOpenMs);
        System.out.printf("RSS before open                          %8.1f MiB%n", rssBefore / 1024.0);
        System.out.printf("RSS after open                           %8.1f MiB (+%.1f MiB)%n", rssOpen / 1024.0,
                (rssOpen - rssBefore) / 1024.0);
        System.out.printf("CPU over %d s, the JVM alone before open  %8.1f ms (%.2f %% of a core)%n", idleSeconds,
                cpuJvmAlone / 1e6, cpuJvmAlone / 1e7 / idleSeconds);
        System.out.printf("idle CPU over %d s, whole process         %8.1f ms (%.2f %% of a core)%n", idleSeconds,
                cpuIdle / 1e6, cpuIdle / 1e7 / idleSeconds);
        for (Map.Entry<String, Long> t : sable1.entrySet()) {
            long used = t.getValue() - sable0.getOrDefault(t.getKey(), 0L);
            System.out.printf("idle CPU over %d s, thread %-14s %8.1f ms (%.2f %% of a core)%n", idleSeconds,
                    t.getKey(), used / 1e6, used / 1e7 / idleSeconds);
        }
        System.out.printf("on disk after 2 nodes, 1 edge and close  %,8d bytes in %s%n", disk, db1);
        for (Path p : listFiles(db1)) {
            System.out.printf("  %-40s %,12d%n", db1.relativize(p), Files.size(p));
        }
    }

    /** Resident set size from /proc/self/status, in KiB; -1 where there is none. */
    private static long rssKiB() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /**
     * CPU time in nanoseconds of each live thread whose name starts with {@code sable}, by the
     * name's first word (the database's directory follows it).
     */
    private static Map<String, Long> sableThreadsCpu(ThreadMXBean threads) {
        Map<String, Long> out = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("sable")) {
                out.merge(t.getName().split(" ")[0], Math.max(0, threads.getThreadCpuTime(t.getId())), Long::sum);
            }
        }
        return out;
    }

    private static List<Path> listFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static long bytesIn(Path dir) throws IOException {
        long sum = 0;
        for (Path p : listFiles(dir)) {
            sum += Files.size(p);
        }
        return sum;
    }
}
