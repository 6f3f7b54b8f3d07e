package dev.sablegraph.internal.util;

/** Waiting for Sable's own background threads. */
public final class Threads {
    private Threads() {}

    /**
     * Waits until {@code thread} has ended, however often the caller is interrupted meanwhile, and
     * keeps the caller's interrupt status. For closing: a close that returned while a background
     * thread still worked would race it for the store or the log.
     */
    public static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
