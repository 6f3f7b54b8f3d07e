package dev.sablegraph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What {@link PropertyValues} accepts as a list value and what it stores: one element kind per
 * list, narrower numbers widened as single values are, an unmodifiable copy; every refusal names
 * the key.
 */
class ListValueTest {

    @Test
    void elementsAreStoredInTheirStoredTypes() {
        assertEquals(List.of(1L, 2L, 3L, 4L), PropertyValues.normalize("k", List.of(1, 2L, (short) 3, (byte) 4)));
        assertEquals(List.of(1.5, 2.0), PropertyValues.normalize("k", List.of(1.5f, 2.0)));
        assertEquals(List.of("a", "b"), PropertyValues.normalize("k", List.of("a", "b")));
        assertEquals(List.of(true, false), PropertyValues.normalize("k", List.of(true, false)));
        assertEquals(List.of(), PropertyValues.normalize("k", List.of()));
        assertEquals(List.of(), PropertyValues.normalize("k", new ArrayList<>()));
        List<?> stored = (List<?>) PropertyValues.normalize("k", List.of(7));
        assertEquals(Long.class, stored.get(0).getClass());
    }

    @Test
    void theStoredListIsAnUnmodifiableCopy() {
        List<Object> mine = new ArrayList<>(List.of("a"));
        List<?> stored = (List<?>) PropertyValues.normalize("k", mine);
        mine.add("b");
        assertEquals(List.of("a"), stored, "the caller's later change does not reach it");
        assertThrows(UnsupportedOperationException.class, stored::clear);
    }

    @Test
    void aNullElementIsRefusedNamingTheKey() {
        assertRefused("tags", Arrays.asList("a", null), "element 1 is null");
    }

    @Test
    void aMixedListIsRefusedNamingTheKey() {
        assertRefused("mixed", List.of("a", 1L), "mixes String and integral");
        assertRefused("mixed", List.of(1, 2.0), "mixes integral (Long, Integer, Short, Byte) and floating");
        assertRefused("mixed", List.of(true, "x"), "element 1");
    }

    @Test
    void aNestedListIsRefusedNamingTheKey() {
        assertRefused("nested", List.of(List.of(1L)), "lists do not nest");
        assertRefused("nested", List.of(1L, List.of()), "element 1 is a list");
    }

    @Test
    void anElementNoListHoldsIsRefusedNamingTheKey() {
        assertRefused("blobs", List.of(new byte[] {1}), "unsupported type [B");
        assertRefused("chars", List.of('c'), "java.lang.Character");
        assertRefused("big", List.of(java.math.BigInteger.ONE), "java.math.BigInteger");
    }

    @Test
    void otherCollectionsAreNotLists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PropertyValues.normalize("set", Set.of(1L)));
        assertTrue(e.getMessage().contains("'set'") && e.getMessage().contains("List"), e.getMessage());
    }

    @Test
    void aNodeKeepsUnmodifiableListsAndSharesThoseAlreadyUnmodifiable() {
        List<Object> mutable = new ArrayList<>(List.of(1L));
        Map<String, Object> props = new HashMap<>(Map.of("xs", mutable, "ys", List.of(2L)));
        Node n = new Node(1, Set.of(), props);
        mutable.add(2L);
        assertEquals(List.of(1L), n.properties().get("xs"), "a modifiable list is copied in");
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) n.properties().get("xs")).clear());
        assertSame(props.get("ys"), n.properties().get("ys"), "an unmodifiable list is kept as it is");

        Map<String, Object> stored = Map.of("ys", List.of(2L));
        assertSame(stored, new Edge(1, 1, 1, "T", stored).properties(), "nothing to copy: the map is shared");
        Node withArray = new Node(2, Set.of(), Map.of("xs", mutable, "blob", new byte[] {1}));
        mutable.add(3L);
        assertEquals(List.of(1L, 2L), withArray.properties().get("xs"), "also next to an array");
    }

    private static void assertRefused(String key, Object value, String what) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PropertyValues.normalize(key, value));
        assertTrue(e.getMessage().contains("'" + key + "'"), "names the key: " + e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class,
                () -> PropertyValues.normalizeAll("properties", Map.of(key, value)));
        assertTrue(all.getMessage().contains("'" + key + "'"), "names the key in a map: " + all.getMessage());
    }
}
