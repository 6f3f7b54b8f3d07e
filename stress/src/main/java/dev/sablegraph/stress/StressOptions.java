package dev.sablegraph.stress;

import dev.sablegraph.core.Durability;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.LockStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed command line. {@link #parse} accepts {@code --name value} and {@code --name=value}
 * and reports the first bad argument by name; {@link #childArgs} writes the options back out for
 * the child JVM of a crash cycle, so both processes run the same configuration.
 */
record StressOptions(
        Path dir,
        int threads,
        Duration duration,
        int crashCycles,
        Duration killAfterMin,
        Duration killAfterMax,
        long seed,
        long cacheMb,
        long checkpointKb,
        Durability durability,
        LockStrategy lockStrategy,
        int items,
        Duration stallTimeout,
        Duration progressInterval,
        Set<Fault> faults,
        boolean child,
        boolean help) {

    static final String USAGE = """
            Usage: java -jar stress.jar --dir DIR [options]

            Runs every Sable operation from many threads while checking invariants, then closes,
            reopens and runs a full integrity check. Exit code 0 only if everything held.

              --dir DIR              database directory (required); created if missing. An existing
                                     one must be empty or hold a database made by this tool
              --threads N            worker threads (default 50)
              --duration T           how long the workload runs: 60s, 10m, 1h, 24h (default 60s)
              --crash-cycles N       instead of one in-process run: N times run the workload in a
                                     child JVM, kill it with SIGKILL, recover and verify (default 0)
              --kill-after MIN-MAX   crash cycles: kill the child at a random moment this long
                                     after it is running (default 1s-4s)
              --seed S               random seed (default: random, printed for a rerun)
              --cache-mb N           page cache size in MiB (default 64: long runs outgrow it)
              --checkpoint-kb N      checkpointLogBytes in KiB, at least 64 (default: the engine's,
                                     256 MiB); small values make spill-file back-pressure constant
              --items N              live Item nodes the graph churn keeps around (default 2000)
              --durability D         SYNC or ASYNC (default SYNC); under ASYNC a crash may lose the
                                     last acknowledged commits, so crash cycles check less
              --lock-strategy S      OPTIMISTIC, READ_WRITE or GLOBAL_MUTEX (default OPTIMISTIC)
              --stall-timeout T      fail when no operation completes for this long (default 30s)
              --progress T           progress line interval (default 5s)
              --faults F             faults injected on purpose: all (default), none, or a list of
                                     interrupts,oversized,over-limit,abandoned
              --help                 this text

            Exit codes: 0 all invariants and the integrity check held; 1 a violation or damage;
            2 a bad command line; 3 deadlock or stall (a thread dump is printed).
            """;

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    GraphConfig graphConfig() {
        return GraphConfig.builder()
                .pageCacheBytes(cacheMb << 20)
                .checkpointLogBytes(checkpointKb > 0 ? checkpointKb << 10 : GraphConfig.defaults().checkpointLogBytes())
                .durability(durability)
                .lockStrategy(lockStrategy)
                .build();
    }

    boolean crashMode() {
        return crashCycles > 0 && !child;
    }

    static StressOptions parse(String... args) throws UsageException {
        Path dir = null;
        int threads = 50;
        Duration duration = Duration.ofSeconds(60);
        boolean durationGiven = false;
        int crashCycles = 0;
        Duration killMin = Duration.ofSeconds(1);
        Duration killMax = Duration.ofSeconds(4);
        Long seed = null;
        long cacheMb = 64;
        long checkpointKb = 0;
        Durability durability = Durability.SYNC;
        LockStrategy lockStrategy = LockStrategy.OPTIMISTIC;
        int items = 2000;
        Duration stall = Duration.ofSeconds(30);
        Duration progress = Duration.ofSeconds(5);
        Set<Fault> faults = EnumSet.allOf(Fault.class);
        boolean child = false;
        boolean help = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (name) {
                case "--help", "-h" -> help = true;
                case "--child" -> child = true; // hidden: the crash-cycle child process
                default -> {
                    if (!isKnown(name)) {
                        throw new UsageException("unknown argument '" + arg + "' (see --help)");
                    }
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw new UsageException(name + " needs a value (see --help)");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--dir" -> dir = path(name, value);
                        case "--threads" -> threads = positiveInt(name, value, 10_000);
                        case "--duration" -> {
                            duration = duration(name, value);
                            durationGiven = true;
                        }
                        case "--crash-cycles" -> crashCycles = nonNegativeInt(name, value);
                        case "--kill-after" -> {
                            Duration[] range = durationRange(name, value);
                            killMin = range[0];
                            killMax = range[1];
                        }
                        case "--seed" -> seed = parseLong(name, value);
                        case "--cache-mb" -> cacheMb = positiveInt(name, value, 1 << 20);
                        case "--checkpoint-kb" -> {
                            checkpointKb = positiveInt(name, value, 1 << 30);
                            if (checkpointKb < 64) {
                                throw new UsageException(name + ": " + value + " is below 64");
                            }
                        }
                        case "--items" -> items = positiveInt(name, value, 100_000_000);
                        case "--durability" -> durability = enumValue(name, value, Durability.class);
                        case "--lock-strategy" -> lockStrategy = enumValue(name, value, LockStrategy.class);
                        case "--stall-timeout" -> stall = duration(name, value);
                        case "--progress" -> progress = duration(name, value);
                        case "--faults" -> faults = Fault.parse(name, value);
                        default -> throw new AssertionError(name);
                    }
                }
            }
        }
        if (help) {
            return new StressOptions(dir, threads, duration, crashCycles, killMin, killMax, 0, cacheMb, checkpointKb,
                    durability, lockStrategy, items, stall, progress, faults, child, true);
        }
        if (dir == null) {
            throw new UsageException("--dir is required (see --help)");
        }
        if (crashCycles > 0 && durationGiven && !child) {
            // A crash cycle's length is --kill-after; refusing beats silently ignoring --duration.
            throw new UsageException("--duration and --crash-cycles exclude each other: a crash cycle lasts"
                    + " --kill-after (give the number of cycles instead)");
        }
        return new StressOptions(dir, threads, duration, crashCycles, killMin, killMax,
                seed != null ? seed : ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), cacheMb, checkpointKb,
                durability, lockStrategy, items, stall, progress, faults, child, false);
    }

    /** The arguments that make a child JVM run this configuration's workload with {@code childSeed}. */
    List<String> childArgs(long childSeed) {
        return List.of("--child",
                "--dir", dir.toString(),
                "--threads", Integer.toString(threads),
                "--seed", Long.toString(childSeed),
                "--cache-mb", Long.toString(cacheMb),
                "--checkpoint-kb", Long.toString(checkpointKb > 0 ? checkpointKb : GraphConfig.defaults().checkpointLogBytes() >> 10),
                "--items", Integer.toString(items),
                "--durability", durability.name(),
                "--lock-strategy", lockStrategy.name(),
                "--stall-timeout", stallTimeout.toMillis() + "ms",
                "--progress", progressInterval.toMillis() + "ms",
                "--faults", Fault.format(faults));
    }

    /** A one-line summary for the run header. */
    String describe() {
        String what = crashMode()
                ? crashCycles + " crash cycles (kill after " + format(killAfterMin) + "-" + format(killAfterMax) + ")"
                : format(duration);
        return String.format("dir %s, %d threads, %s, seed %d, cache %d MiB, checkpoint every %s, %d items, %s, %s, faults %s",
                dir, threads, what, seed, cacheMb, checkpointKb > 0 ? checkpointKb + " KiB" : (GraphConfig.defaults().checkpointLogBytes() >> 20) + " MiB (default)", items, durability, lockStrategy, Fault.format(faults));
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static boolean isKnown(String name) {
        return switch (name) {
            case "--dir", "--threads", "--duration", "--crash-cycles", "--kill-after", "--seed", "--cache-mb", "--checkpoint-kb",
                    "--items", "--durability", "--lock-strategy", "--stall-timeout", "--progress", "--faults" -> true;
            default -> false;
        };
    }

    private static Path path(String name, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(name + ": an empty path");
        }
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException(name + ": '" + value + "' is not a valid path (" + e.getReason() + ")");
        }
    }

    private static long parseLong(String name, String value) throws UsageException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException(name + ": '" + value + "' is not a whole number");
        }
    }

    private static int positiveInt(String name, String value, int max) throws UsageException {
        long n = parseLong(name, value);
        if (n < 1 || n > max) {
            throw new UsageException(name + ": " + value + " is out of range 1.." + max);
        }
        return (int) n;
    }

    private static int nonNegativeInt(String name, String value) throws UsageException {
        long n = parseLong(name, value);
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new UsageException(name + ": " + value + " must be 0 or more");
        }
        return (int) n;
    }

    private static <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) throws UsageException {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                names.add(c.name());
            }
            throw new UsageException(name + ": '" + value + "' is not one of " + String.join(", ", names));
        }
    }

    /** "60s", "10m", "1h", "24h", "1h30m", "500ms"; a unit is required so "60" is never misread. */
    static Duration duration(String name, String value) throws UsageException {
        Matcher m = DURATION_PART.matcher(value.trim().toLowerCase(Locale.ROOT));
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new UsageException(name + ": '" + value + "' is too large");
            }
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        if (end == 0 || end != value.trim().length()) {
            throw new UsageException(name + ": '" + value + "' is not a duration; use a number with a unit:"
                    + " 500ms, 60s, 10m, 1h, 24h");
        }
        if (total.isZero()) {
            throw new UsageException(name + ": must be longer than 0");
        }
        return total;
    }

    private static Duration[] durationRange(String name, String value) throws UsageException {
        int dash = value.indexOf('-');
        Duration min = duration(name, dash < 0 ? value : value.substring(0, dash));
        Duration max = dash < 0 ? min : duration(name, value.substring(dash + 1));
        if (max.compareTo(min) < 0) {
            throw new UsageException(name + ": '" + value + "' ends before it starts");
        }
        return new Duration[] {min, max};
    }
}
