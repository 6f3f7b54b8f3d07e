package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.PAYLOAD_LONGS;
import static dev.sablegraph.internal.storage.StorageTestSupport.fillUniform;
import static dev.sablegraph.internal.storage.StorageTestSupport.open;
import static dev.sablegraph.internal.storage.StorageTestSupport.readPayload;
import static dev.sablegraph.internal.storage.StorageTestSupport.readType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;

/**
 * Random sequences of allocate / free / write / read / flush / reopen against a model: reads match
 * the model, allocation follows the free list LIFO then the high-water mark, and an id in use is
 * never handed out again.
 */
class PagerModelPropertyTest {
    private static final int FRAMES = 16;

    sealed interface Op permits Allocate, AllocateBatch, Free, Write, Read, Flush, Reopen {}

    record Allocate() implements Op {}

    record AllocateBatch(int n) implements Op {}

    record Free(int pick) implements Op {}

    record Write(int pick, long value) implements Op {}

    record Read(int pick) implements Op {}

    record Flush() implements Op {}

    record Reopen() implements Op {}

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 10_000);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(new Allocate())),
                Tuple.of(2, Arbitraries.integers().between(1, 24).map(AllocateBatch::new)),
                Tuple.of(4, pick.map(Free::new)),
                Tuple.of(6, Combinators.combine(pick, Arbitraries.longs()).as(Write::new)),
                Tuple.of(4, pick.map(Read::new)),
                Tuple.of(1, Arbitraries.just(new Flush())),
                Tuple.of(1, Arbitraries.just(new Reopen())));
        return op.list().ofMinSize(1).ofMaxSize(50);
    }

    @Property(tries = 80, shrinking = ShrinkingMode.BOUNDED)
    void pagerAgreesWithModel(@ForAll("operations") List<Op> ops) throws IOException {
        Path dir = Files.createTempDirectory("sable-pager-prop");
        try {
            new Run(dir.resolve("data.sable")).execute(ops);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** One try: the pager under test and its model. */
    private static final class Run {
        private final Path file;
        private Pager pager;
        /** Pages in use and the value every payload long of each holds. */
        private final TreeMap<Long, Long> live = new TreeMap<>();
        /** The free list, head first. */
        private final Deque<Long> free = new ArrayDeque<>();
        private long highWater = 1;

        Run(Path file) {
            this.file = file;
        }

        void execute(List<Op> ops) {
            pager = open(file, FRAMES);
            try {
                for (int step = 0; step < ops.size(); step++) {
                    Op op = ops.get(step);
                    apply(op);
                    String at = "after step " + step + " " + op;
                    assertEquals(highWater, pager.pageCount(), "page count " + at);
                    assertEquals(free.size(), pager.freePageCount(), "free count " + at);
                }
                checkAll("end of sequence");
                pager.close();
                pager = open(file, FRAMES);
                checkAll("after final reopen");
                for (long id : free) {
                    assertEquals(PageType.FREE, readType(pager, id), "free page " + id + " is marked free");
                }
                // Draining the free list yields it head first, then the file grows.
                for (long expected : new ArrayList<>(free)) {
                    assertEquals(expected, pager.allocate(PageType.META));
                }
                assertEquals(highWater, pager.allocate(PageType.META));
            } finally {
                pager.close();
            }
        }

        private void apply(Op op) {
            if (op instanceof Allocate) {
                allocate();
            } else if (op instanceof AllocateBatch b) {
                for (int i = 0; i < b.n(); i++) {
                    allocate();
                }
            } else if (op instanceof Free f) {
                if (live.isEmpty()) {
                    return;
                }
                long id = pickLive(f.pick());
                pager.free(id);
                live.remove(id);
                free.push(id);
            } else if (op instanceof Write w) {
                if (live.isEmpty()) {
                    return;
                }
                long id = pickLive(w.pick());
                try (PageCursor c = pager.write(id)) {
                    fillUniform(c, w.value());
                }
                live.put(id, w.value());
            } else if (op instanceof Read r) {
                if (live.isEmpty()) {
                    return;
                }
                long id = pickLive(r.pick());
                checkPage(id, "read");
            } else if (op instanceof Flush) {
                pager.flush();
                assertEquals(0, pager.metrics().dirtyPages(), "flush leaves nothing dirty");
            } else if (op instanceof Reopen) {
                pager.close();
                pager = open(file, FRAMES);
            }
        }

        private void allocate() {
            long expected = free.isEmpty() ? highWater : free.peek();
            long id = pager.allocate(PageType.SLOTTED);
            assertFalse(live.containsKey(id), "page " + id + " handed out while in use");
            assertEquals(expected, id, "allocation order (free list LIFO, then high-water mark)");
            if (free.isEmpty()) {
                highWater++;
            } else {
                free.pop();
            }
            live.put(id, 0L);
        }

        private long pickLive(int pick) {
            int index = pick % live.size();
            return live.keySet().stream().skip(index).findFirst().orElseThrow();
        }

        private void checkPage(long id, String when) {
            long expected = live.get(id);
            long[] vals = readPayload(pager, id);
            assertEquals(PAYLOAD_LONGS, vals.length);
            for (int k = 0; k < vals.length; k++) {
                if (vals[k] != expected) {
                    assertEquals(expected, vals[k], "page " + id + " long " + k + " (" + when + ")");
                }
            }
            assertEquals(PageType.SLOTTED, readType(pager, id), "type of page " + id + " (" + when + ")");
        }

        private void checkAll(String when) {
            assertEquals(highWater, pager.pageCount(), "page count " + when);
            assertEquals(free.size(), pager.freePageCount(), "free count " + when);
            for (long id : live.keySet()) {
                checkPage(id, when);
            }
        }
    }
}
