package dev.sablegraph.stress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The parent's record of what a child printed (see {@link ChildProtocol}), read on its own thread
 * until the child's stdout ends (it does when the child is dead). Read the tallies only after
 * {@link #awaitEnd}.
 */
final class ChildTranscript {
    private final long[] tries;
    private final long[] acks;
    private final long[] fails;
    private final List<String> violations = new ArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;
    private final PrintStream echo;
    private volatile boolean sawReady;
    private volatile Exception error;
    /** The counts of the last FAULTS line; zeros until one came. */
    private volatile long[] faults = new long[FaultStats.Count.values().length];

    ChildTranscript(InputStream childStdout, int counters, PrintStream echo) {
        this.tries = new long[counters];
        this.acks = new long[counters];
        this.fails = new long[counters];
        this.echo = echo;
        this.reader = new Thread(() -> read(childStdout), "stress-child-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    private void read(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                accept(line);
            }
        } catch (IOException | RuntimeException e) { // a garbled line fails the cycle, it is not skipped
            error = e;
        } finally {
            ready.countDown(); // a child that died before READY must not leave the parent waiting
        }
    }

    private void accept(String line) {
        String[] f = line.split(" ", 2);
        switch (f[0]) {
            case ChildProtocol.READY -> {
                sawReady = true;
                ready.countDown();
            }
            case ChildProtocol.TRY -> tries[counter(f)]++;
            case ChildProtocol.ACK -> acks[counter(f)]++;
            case ChildProtocol.FAIL -> fails[counter(f)]++;
            case ChildProtocol.FAULTS -> faults = ChildProtocol.parseFaults(f.length > 1 ? f[1] : "");
            case ChildProtocol.VIOLATION -> {
                violations.add(line);
                echo.println("child: " + line);
            }
            default -> echo.println("child: " + line);
        }
    }

    private int counter(String[] f) {
        int c = Integer.parseInt(f[1].trim());
        if (c < 0 || c >= tries.length) {
            throw new IllegalStateException("child named counter " + c);
        }
        return c;
    }

    /** True once the child printed READY; false on timeout or when its output ended first. */
    boolean awaitReady(long millis) throws InterruptedException {
        ready.await(millis, TimeUnit.MILLISECONDS);
        return sawReady;
    }

    /** Waits until the child's output ended; false if it did not within {@code millis}. */
    boolean awaitEnd(long millis) throws InterruptedException {
        reader.join(millis);
        return !reader.isAlive();
    }

    long tries(int c) {
        return tries[c];
    }

    long acks(int c) {
        return acks[c];
    }

    long fails(int c) {
        return fails[c];
    }

    /** The fault counts the child last reported (it reports every 250 ms, so the last moments are missing). */
    long[] faults() {
        return faults;
    }

    List<String> violations() {
        return violations;
    }

    Exception error() {
        return error;
    }
}
