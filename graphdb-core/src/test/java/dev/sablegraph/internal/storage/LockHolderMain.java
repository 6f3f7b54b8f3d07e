package dev.sablegraph.internal.storage;

import dev.sablegraph.core.DatabaseLockedException;
import java.nio.file.Path;

/**
 * Child-process helper for {@link DirectoryLockTest}.
 *
 * <ul>
 *   <li>{@code hold <dir>}: acquires the lock, prints {@code LOCKED}, then holds it until its stdin
 *       reaches end of file (the parent closed it or died) or 120 s pass, whichever is first.</li>
 *   <li>{@code try <dir>}: tries once; prints {@code ACQUIRED} and exits 0, or prints
 *       {@code LOCKED_OUT} and exits 3.</li>
 * </ul>
 */
public final class LockHolderMain {
    static final int EXIT_LOCKED_OUT = 3;

    private LockHolderMain() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        if (mode.equals("try")) {
            try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
                System.out.println(lock != null ? "ACQUIRED" : "NULL");
                System.out.flush();
            } catch (DatabaseLockedException e) {
                System.out.println("LOCKED_OUT " + e.getMessage());
                System.out.flush();
                System.exit(EXIT_LOCKED_OUT);
            }
            return;
        }
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException ignored) {
                // exit below either way
            }
            System.exit(2);
        });
        deadline.setDaemon(true);
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            System.out.println(lock != null ? "LOCKED" : "NULL");
            System.out.flush();
            deadline.start();
            while (System.in.read() >= 0) {
                // hold until stdin closes
            }
        }
        System.exit(0);
    }
}
