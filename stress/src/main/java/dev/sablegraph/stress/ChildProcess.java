package dev.sablegraph.stress;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM of a crash cycle: the same java binary and class path as this JVM, running
 * {@code StressMain --child} on the same directory. Its stdout feeds a {@link ChildTranscript};
 * its stderr (progress, thread dumps) goes straight to ours. Its stdin stays open and unused: the
 * child exits when it ends, so a child cannot outlive a parent that died.
 */
final class ChildProcess {
    /** SIGKILL as the JDK reports it for a process that died of it (128 + 9). */
    static final int KILLED_EXIT_CODE = 137;

    private final Process process;
    private final ChildTranscript transcript;

    private ChildProcess(Process process, ChildTranscript transcript) {
        this.process = process;
        this.transcript = transcript;
    }

    static ChildProcess start(StressOptions options, long childSeed, PrintStream echo) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(forwardedJvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StressMain.class.getName());
        command.addAll(options.childArgs(childSeed));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        return new ChildProcess(p, new ChildTranscript(p.getInputStream(), Fixture.COUNTERS, echo));
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Memory settings only: agents or debug ports of this JVM must not be started twice. */
    private static List<String> forwardedJvmOptions() {
        List<String> out = new ArrayList<>();
        if (Runtime.version().feature() >= 22) {
            out.add("--enable-native-access=ALL-UNNAMED"); // what the jar's manifest grants; -cp does not read it
        }
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-Xmx") || arg.startsWith("-Xms") || arg.startsWith("-XX:MaxDirectMemorySize=")) {
                out.add(arg);
            }
        }
        return out;
    }

    ChildTranscript transcript() {
        return transcript;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /**
     * SIGKILL: no shutdown hook, no close, no flush. Sent through the process handle: unlike
     * {@code Process.destroyForcibly()} it does not close our end of the child's stdout, so every
     * line printed before the kill is still read.
     */
    void kill() {
        process.toHandle().destroyForcibly();
    }

    /** Waits for the child to end; returns its exit code, or -1 if it is still running. */
    int awaitExit(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Releases our end of its stdin (the child watches for that) once it is dead. */
    void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child is gone already
        }
    }
}
