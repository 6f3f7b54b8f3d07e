package dev.sablegraph.internal.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** {@link KeySort} gives back every key, duplicates included, in unsigned byte order, and leaves no files. */
class KeySortProperties {
    @Property(tries = 60)
    void drainsEveryKeyInOrder(@ForAll @Size(max = 500) List<@Size(value = 3) List<Byte>> keys,
            @ForAll @IntRange(min = 1, max = 40) int bufferKeys) throws IOException {
        Path dir = Files.createTempDirectory("keysort");
        try {
            KeySort sort = new KeySort(dir, "k", 3, bufferKeys * 3);
            List<byte[]> model = new ArrayList<>();
            for (List<Byte> k : keys) {
                byte[] key = {k.get(0), k.get(1), k.get(2)};
                sort.add(key);
                model.add(key);
            }
            model.sort(Arrays::compareUnsigned);
            List<byte[]> drained = new ArrayList<>();
            sort.drain(drained::add, done -> { });
            assertEquals(model.size(), drained.size());
            for (int i = 0; i < model.size(); i++) {
                assertEquals(Arrays.toString(model.get(i)), Arrays.toString(drained.get(i)));
            }
            try (var left = Files.list(dir)) {
                assertFalse(left.findAny().isPresent(), "runs are deleted");
            }
        } finally {
            try (var left = Files.list(dir)) {
                for (Path p : left.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
