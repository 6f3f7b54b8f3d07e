package dev.sablegraph.internal.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.EntityNotFoundException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.internal.record.IdMap;
import dev.sablegraph.internal.record.RecordStore;
import dev.sablegraph.internal.storage.Pager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records of one entity kind by id: found, required, rewritten (moving when they grow), deleted. */
class EntityRecordsTest {
    @TempDir
    Path dir;
    private Pager pager;
    private EntityRecords<String> things;

    @BeforeEach
    void open() {
        pager = Pager.open(dir.resolve("data"), GraphConfig.builder().pageCacheBytes(1 << 20).build());
        things = new EntityRecords<>("thing", pager.path(), IdMap.open(pager, 0), RecordStore.open(pager, 1, 1,
                Integer.MAX_VALUE), s -> s.getBytes(StandardCharsets.UTF_8), EntityRecordsTest::decode);
    }

    private static String decode(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (s.startsWith("damaged")) {
            throw new IllegalStateException("not a thing");
        }
        return s;
    }

    @AfterEach
    void close() {
        pager.close();
    }

    @Test
    void idsWithoutARecordAreNotFoundAndRequiringOneNamesItsKind() {
        long id = things.reserveId();
        assertNull(things.find(id));
        assertNull(things.find(-1));
        assertNull(things.find(id + 10));
        EntityNotFoundException e = assertThrows(EntityNotFoundException.class, () -> things.require(id));
        assertEquals("thing " + id + " does not exist", e.getMessage());
    }

    @Test
    void aRecordIsFoundRewrittenAndDeletedThroughItsId() {
        long a = things.reserveId();
        long b = things.reserveId();
        things.insert(a, "small");
        things.insert(b, "other");
        things.rewrite(things.requireLocated(a), "x".repeat(5_000)); // grows beyond its slot: the record moves, the id follows
        assertEquals("x".repeat(5_000), things.require(a));
        assertEquals("other", things.require(b));
        assertEquals(2, things.count());
        things.delete(a);
        assertNull(things.find(a));
        assertEquals(1, things.count());
        assertTrue(things.reserveId() > b, "ids are never reused");
    }

    @Test
    void aRecordThatDoesNotDecodeIsCorruptionNamingTheEntity() {
        long id = things.reserveId();
        things.insert(id, "damaged bytes");
        CorruptionException e = assertThrows(CorruptionException.class, () -> things.find(id));
        assertTrue(e.getMessage().contains("thing " + id + " record is damaged"), e.getMessage());
    }
}
