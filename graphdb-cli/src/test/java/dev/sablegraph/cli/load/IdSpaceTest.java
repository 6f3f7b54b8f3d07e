package dev.sablegraph.cli.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** {@link IdSpace} against a {@code HashMap} model, and its memory bound. */
class IdSpaceTest {
    @Property(tries = 1000)
    void behavesLikeAMap(@ForAll @Size(max = 300) java.util.List<@StringLength(max = 6) String> ids) {
        IdSpace space = new IdSpace("test ids", new MemoryBudget(1L << 30));
        Map<String, Long> model = new HashMap<>();
        long node = 0;
        for (String id : ids) {
            boolean added = space.put(id, node);
            assertEquals(model.putIfAbsent(id, node) == null, added, id);
            node++;
        }
        for (String id : ids) {
            assertEquals(model.get(id), space.get(id));
            // The list may hold both "x" and "x\u0001" (jqwik generates "" and "\u0001"), so the model says.
            String other = id + "\u0001";
            assertEquals(model.getOrDefault(other, -1L), space.get(other), "an id differing by a last char");
        }
        assertEquals(model.size(), space.size());
    }

    @Test
    void decimalIdsAreDenseAndOtherSpellingsAreOtherIds() {
        IdSpace space = new IdSpace("test ids", new MemoryBudget(1L << 30));
        assertTrue(space.put("7", 0));
        assertTrue(space.put("007", 1));
        assertTrue(space.put("+7", 2));
        assertTrue(space.put("4294967295", 3)); // 2^32 - 1: dense
        assertTrue(space.put("4294967296", 4)); // 2^32: a string
        assertFalse(space.put("7", 5));
        assertEquals(0, space.get("7"));
        assertEquals(1, space.get("007"));
        assertEquals(2, space.get("+7"));
        assertEquals(3, space.get("4294967295"));
        assertEquals(4, space.get("4294967296"));
        assertEquals(-1, space.get("8"));
        assertEquals(7, IdSpace.decimal("7"));
        assertEquals(-1, IdSpace.decimal("07"));
        assertEquals(-1, IdSpace.decimal("-1"));
        assertEquals(-1, IdSpace.decimal(""));
    }

    @Test
    void growingPastTheBudgetIsAnErrorNamingTheSpace() {
        IdSpace space = new IdSpace("the id map of id group 'P'", new MemoryBudget(4L << 20));
        MemoryBudget.OutOfImportMemoryException e = assertThrows(MemoryBudget.OutOfImportMemoryException.class, () -> {
            for (long i = 0; i < 10_000_000; i++) {
                space.put("id-" + i, i);
            }
        });
        assertTrue(e.getMessage().startsWith("the id map of id group 'P' needs more memory than --max-memory"),
                e.getMessage());
    }
}
