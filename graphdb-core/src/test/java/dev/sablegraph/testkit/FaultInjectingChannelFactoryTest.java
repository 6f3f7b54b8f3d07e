package dev.sablegraph.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.testkit.FaultInjectingChannelFactory.Event;
import dev.sablegraph.testkit.FaultInjectingChannelFactory.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault injector fails exactly what it is told to, and counts what succeeded. */
class FaultInjectingChannelFactoryTest {
    @TempDir
    Path dir;

    private FileChannel open(FaultInjectingChannelFactory f, String name) throws IOException {
        return f.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Test
    void failsTheNthWriteTornAndOnlyIt() throws IOException {
        FaultInjectingChannelFactory f = new FaultInjectingChannelFactory().failWrite(2);
        try (FileChannel ch = open(f, "a.log")) {
            assertEquals(10, ch.write(ByteBuffer.allocate(10), 0));
            ByteBuffer second = ByteBuffer.allocate(10);
            IOException e = assertThrows(IOException.class, () -> ch.write(second, 10));
            assertTrue(e.getMessage().contains("injected write failure"));
            assertEquals(5, second.position(), "half of the failing write landed");
            assertEquals(15, ch.size());
            assertEquals(10, ch.write(ByteBuffer.allocate(10), 20), "one-shot");
        }
    }

    @Test
    void diskFullAfterBudgetWithAShortWriteFirst() throws IOException {
        FaultInjectingChannelFactory f = new FaultInjectingChannelFactory().diskFullAfter(25);
        try (FileChannel ch = open(f, "a.log")) {
            assertEquals(20, ch.write(ByteBuffer.allocate(20), 0));
            assertEquals(5, ch.write(ByteBuffer.allocate(20), 20), "short write");
            IOException e = assertThrows(IOException.class, () -> ch.write(ByteBuffer.allocate(1), 25));
            assertEquals("No space left on device", e.getMessage());
            assertThrows(IOException.class, () -> ch.write(ByteBuffer.allocate(1), 25), "stays full");
        }
    }

    @Test
    void failsTheNthForceAndCountsForcesPerFile() throws IOException {
        FaultInjectingChannelFactory f = new FaultInjectingChannelFactory().faultsOnly(p -> p.toString().endsWith("b.log"));
        f.failForce(1);
        try (FileChannel a = open(f, "a.log"); FileChannel b = open(f, "b.log")) {
            a.write(ByteBuffer.allocate(3), 0);
            a.force(false); // not targeted
            assertThrows(IOException.class, () -> b.force(false));
            b.force(false);
            b.force(true);
        }
        assertEquals(1, f.forces(dir.resolve("a.log")));
        assertEquals(2, f.forces(dir.resolve("b.log")));
        assertEquals(0, f.forces(dir.resolve("c.log")));
        List<Event> events = f.events();
        assertEquals(new Event(Kind.WRITE, dir.resolve("a.log").toAbsolutePath(), 0, 3), events.get(0));
        assertEquals(Kind.FORCE, events.get(1).kind());
        assertEquals(4, events.size());
        assertTrue(Files.exists(dir.resolve("b.log")));
    }
}
