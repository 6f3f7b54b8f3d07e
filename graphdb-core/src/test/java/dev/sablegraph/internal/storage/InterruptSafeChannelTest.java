package dev.sablegraph.internal.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.testkit.FaultInjectingChannelFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interrupt-safe channel: a set interrupt status does not close it, an interrupt during a
 * write or force (injected) is survived by a reopen and a repeat of the whole call, and the
 * caller keeps its interrupt status. A channel closed on purpose stays closed.
 */
class InterruptSafeChannelTest {
    @TempDir
    Path dir;

    private final FaultInjectingChannelFactory faults = new FaultInjectingChannelFactory();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted(); // JUnit's thread must not carry an interrupt into the next test
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private InterruptSafeChannel open(Path file) throws IOException {
        return InterruptSafeChannel.open(faults::open, file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Test
    void aSetInterruptStatusNeitherClosesTheChannelNorIsLost() throws IOException {
        Path file = dir.resolve("f");
        try (InterruptSafeChannel ch = open(file)) {
            Thread.currentThread().interrupt();
            ch.write(ByteBuffer.wrap(bytes(1000, 1)), 0);
            ch.force(false);
            ByteBuffer back = ByteBuffer.allocate(1000);
            ch.read(back, 0);
            assertEquals(1000, ch.size());
            assertTrue(Thread.interrupted(), "the interrupt status is given back");
            assertArrayEquals(bytes(1000, 1), back.array());
            assertEquals(0, ch.reopens(), "the status was cleared for the I/O: nothing was closed");
        }
    }

    @Test
    void anInterruptDuringAWriteIsSurvivedAndTheWholeWriteRepeated() throws IOException {
        Path file = dir.resolve("f");
        try (InterruptSafeChannel ch = open(file)) {
            ch.write(ByteBuffer.wrap(bytes(500, 1)));
            faults.interruptWrite(1); // half lands, then the interrupt closes the real channel
            ByteBuffer src = ByteBuffer.wrap(bytes(1000, 2));
            assertEquals(1000, ch.write(src));
            assertTrue(Thread.interrupted(), "the writer keeps its interrupt");
            assertEquals(1, ch.reopens());
            assertEquals(1500, ch.position(), "the relative position survives the reopen");
            ch.write(ByteBuffer.wrap(bytes(100, 3)));
        }
        byte[] expected = new byte[1600];
        System.arraycopy(bytes(500, 1), 0, expected, 0, 500);
        System.arraycopy(bytes(1000, 2), 0, expected, 500, 1000);
        System.arraycopy(bytes(100, 3), 0, expected, 1500, 100);
        assertArrayEquals(expected, Files.readAllBytes(file), "no byte in the wrong place, nothing truncated");
    }

    @Test
    void anInterruptDuringAForceIsSurvivedAndTheForceRepeated() throws IOException {
        Path file = dir.resolve("f");
        try (InterruptSafeChannel ch = open(file)) {
            ch.write(ByteBuffer.wrap(bytes(100, 1)), 0);
            faults.interruptForce(1);
            ch.force(true);
            assertTrue(Thread.interrupted());
            assertEquals(1, ch.reopens());
            assertEquals(1, faults.forces(file), "the force was done once, on the new channel");
        }
    }

    @Test
    void anotherThreadFindsTheChannelReopened() throws Exception {
        Path file = dir.resolve("f");
        try (InterruptSafeChannel ch = open(file)) {
            faults.interruptWrite(1);
            ch.write(ByteBuffer.wrap(bytes(100, 1)), 0);
            assertTrue(Thread.interrupted());
            ByteBuffer[] read = {ByteBuffer.allocate(100)};
            Thread other = new Thread(() -> {
                try {
                    ch.read(read[0], 0);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            other.start();
            other.join();
            assertArrayEquals(bytes(100, 1), read[0].array());
        }
    }

    @Test
    void aChannelClosedOnPurposeIsNotReopened() throws IOException {
        InterruptSafeChannel ch = open(dir.resolve("f"));
        ch.close();
        assertThrows(ClosedChannelException.class, () -> ch.write(ByteBuffer.allocate(8), 0));
        assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(8), 0));
        assertThrows(ClosedChannelException.class, () -> ch.force(false));
        assertEquals(0, ch.reopens());
    }

    @Test
    void optionsThatAReopenCouldNotKeepAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> InterruptSafeChannel.open(dir.resolve("a"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        assertThrows(IllegalArgumentException.class, () -> InterruptSafeChannel.open(dir.resolve("d"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE));
    }

    @Test
    void itIsAFileChannelForStreams() throws IOException {
        Path file = dir.resolve("f");
        Files.write(file, bytes(300, 4));
        try (FileChannel ch = InterruptSafeChannel.open(file, StandardOpenOption.READ)) {
            byte[] back = java.nio.channels.Channels.newInputStream(ch).readAllBytes();
            assertArrayEquals(bytes(300, 4), back);
        }
    }
}
