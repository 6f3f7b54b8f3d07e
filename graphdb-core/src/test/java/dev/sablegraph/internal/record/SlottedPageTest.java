package dev.sablegraph.internal.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.storage.PageCursor;
import dev.sablegraph.internal.storage.PageType;
import dev.sablegraph.internal.storage.Pager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random insert/update/delete sequences on one page against a map of slot to bytes. */
class SlottedPageTest {

    record Op(int kind, int slotPick, int length, byte fill) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 900),
                Arbitraries.bytes()).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(200);
    }

    @Property(tries = 200)
    void pageMatchesModel(@ForAll("ops") List<Op> ops) throws Exception {
        Path dir = Files.createTempDirectory("slotted");
        try (Pager pager = Pager.open(dir.resolve("d"), GraphConfig.builder().pageCacheBytes(1 << 20).build())) {
            long page = pager.allocate(PageType.SLOTTED);
            Map<Integer, byte[]> model = new HashMap<>();
            try (PageCursor c = pager.write(page)) {
                SlottedPage.format(c, 3, 0);
                for (Op op : ops) {
                    byte[] data = new byte[op.length()];
                    java.util.Arrays.fill(data, op.fill());
                    Integer[] live = model.keySet().toArray(new Integer[0]);
                    if (op.kind() == 0 || live.length == 0) {
                        int free = SlottedPage.freeBytes(c);
                        int count = SlottedPage.slotCount(c);
                        int slot = SlottedPage.insert(c, data);
                        if (slot >= 0) {
                            assertNull(model.put(slot, data), "insert reused a live slot");
                            if (model.size() - 1 < count) {
                                assertTrue(slot < count, "insert appended slot " + slot + " while the directory of "
                                        + count + " slots had a hole");
                            }
                        } else {
                            assertTrue(data.length > free, "refused " + data.length + " with " + free + " free");
                        }
                    } else {
                        int slot = live[op.slotPick() % live.length];
                        if (op.kind() == 1) {
                            if (SlottedPage.update(c, slot, data)) {
                                model.put(slot, data);
                            }
                        } else {
                            SlottedPage.delete(c, slot);
                            model.remove(slot);
                        }
                    }
                    for (Map.Entry<Integer, byte[]> e : model.entrySet()) {
                        assertArrayEquals(e.getValue(), SlottedPage.readSlot(c, e.getKey()));
                    }
                }
                SlottedPage.compact(c);
                model.forEach((s, d) -> assertArrayEquals(d, SlottedPage.readSlot(c, s)));
                assertEquals(model.isEmpty() ? 0 : model.keySet().stream().max(Integer::compare).get() + 1,
                        SlottedPage.slotCount(c));
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
