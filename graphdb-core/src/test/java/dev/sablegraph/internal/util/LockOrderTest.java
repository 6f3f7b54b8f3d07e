package dev.sablegraph.internal.util;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LockOrderTest {
    @Test
    void assertionsAreOnInTests() {
        boolean on = false;
        assert on = true;
        assertTrue(on, "tests must run with -ea so the lock-order checker is active");
    }

    @Test
    void inOrderPassesOutOfOrderFails() {
        assertTrue(LockOrder.acquire(LockOrder.GRAPH));
        assertTrue(LockOrder.acquire(LockOrder.STRUCTURE));
        assertTrue(LockOrder.acquire(LockOrder.ALLOCATOR));
        AssertionError e = assertThrows(AssertionError.class, () -> LockOrder.acquire(LockOrder.STRUCTURE));
        assertTrue(e.getMessage().contains("lock order violated"), e.getMessage());
        LockOrder.release(LockOrder.ALLOCATOR);
        LockOrder.release(LockOrder.STRUCTURE);
        assertThrows(AssertionError.class, () -> LockOrder.acquire(LockOrder.COMMIT));
        LockOrder.release(LockOrder.GRAPH);
        assertTrue(LockOrder.held().isEmpty());
    }

    @Test
    void twoStructureLocksAtOnceFail() {
        LockOrder.acquire(LockOrder.STRUCTURE);
        try {
            assertThrows(AssertionError.class, () -> LockOrder.acquire(LockOrder.STRUCTURE));
        } finally {
            LockOrder.release(LockOrder.STRUCTURE);
        }
        assertThrows(AssertionError.class, () -> LockOrder.release(LockOrder.STRUCTURE));
    }
}
