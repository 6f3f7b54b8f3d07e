package dev.sablegraph.internal.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CreationsTest {
    @Test
    void aCommitsIdsBecomeRunsOfConsecutiveIds() {
        Creations c = new Creations();
        c.created(5, new long[] {12, 10, 11, 20, 14, 13}, 6);
        assertEquals(2, c.runs(), "10..14 and 20");
        List<String> runs = new ArrayList<>();
        c.forEachRun((first, end, ts) -> runs.add(first + "-" + end + "@" + ts));
        assertEquals(List.of("10-15@5", "20-21@5"), runs);
        for (long id = 10; id <= 14; id++) {
            assertEquals(5, c.createdAt(id));
        }
        assertEquals(5, c.createdAt(20));
        for (long id : new long[] {-1, 0, 9, 15, 19, 21, Long.MAX_VALUE}) {
            assertEquals(0, c.createdAt(id), "id " + id);
        }
    }

    @Test
    void onlyTheGivenCountOfIdsIsTaken() {
        Creations c = new Creations();
        c.created(3, new long[] {7, 8, 99, 100}, 2);
        assertEquals(3, c.createdAt(8));
        assertEquals(0, c.createdAt(99));
        c.created(4, new long[0], 0);
        assertEquals(1, c.runs());
    }

    @Test
    void runsAreForgottenOldestCommitFirst() {
        Creations c = new Creations();
        c.created(3, new long[] {1, 2}, 2);
        c.created(4, new long[] {5}, 1);
        c.created(6, new long[] {3, 4}, 2); // ids interleave between commits; runs do not overlap
        assertEquals(6, c.createdAt(3));
        c.forgetUpTo(4);
        assertEquals(0, c.createdAt(1));
        assertEquals(0, c.createdAt(5));
        assertEquals(6, c.createdAt(4));
        assertTrue(!c.isEmpty());
        c.forgetUpTo(6);
        assertTrue(c.isEmpty());
    }

    @Test
    void overlappingRunsAreABug() {
        Creations c = new Creations();
        c.created(3, new long[] {10, 11, 12}, 3);
        assertThrows(AssertionError.class, () -> c.created(4, new long[] {11}, 1));
        assertThrows(AssertionError.class, () -> c.created(5, new long[] {8, 9, 10}, 3));
    }
}
