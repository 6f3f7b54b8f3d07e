package dev.sablegraph.internal.storage;

import static dev.sablegraph.internal.storage.StorageTestSupport.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Meta pages: their kind codes (file format), creation, linking, the kind check and the flush hook. */
class MetaPageTest {
    private static final int SLOT = 3;

    @TempDir
    Path dir;

    @Test
    void kindCodesAreTheFileFormatsAndNeverMove() {
        assertEquals(1, MetaPageKind.RECORD_STORE.code());
        assertEquals(2, MetaPageKind.ID_MAP_ROOT.code());
        assertEquals(3, MetaPageKind.ID_MAP_DIRECTORY.code());
        assertEquals(4, MetaPageKind.ID_MAP_LEAF.code());
        assertEquals(5, MetaPageKind.BTREE.code());
        for (MetaPageKind kind : MetaPageKind.values()) {
            assertEquals(kind, MetaPageKind.of(kind.code()));
        }
        assertNull(MetaPageKind.of((byte) 0));
        assertNull(MetaPageKind.of((byte) 6));
        assertNull(MetaPageKind.of((byte) -1));
        assertEquals("meta kind 200", MetaPageKind.describe((byte) 200));
        assertEquals("id map leaf (meta kind 4)", MetaPageKind.describe((byte) 4));
    }

    @Test
    void aNewPageCarriesItsKindAndIsLinkedOnlyWhenAttached() {
        try (Pager pager = open(dir.resolve("data.sable"), 16)) {
            MetaPage meta = MetaPage.open(pager, SLOT, MetaPageKind.BTREE);
            assertTrue(meta.isNew());
            assertEquals(0, pager.root(SLOT), "not linked before its owner formatted it");
            try (PageCursor c = pager.read(meta.page())) {
                PageType type;
                byte kind;
                do {
                    type = c.pageType();
                    kind = c.getByte(MetaPage.KIND_OFFSET);
                } while (c.shouldRetry());
                assertEquals(PageType.META, type);
                assertEquals(MetaPageKind.BTREE.code(), kind);
            }
            AtomicInteger flushes = new AtomicInteger();
            meta.attach(flushes::incrementAndGet);
            assertEquals(meta.page(), pager.root(SLOT));
            pager.flush();
            assertEquals(1, flushes.get(), "the owner's hook runs at every flush");

            MetaPage again = MetaPage.open(pager, SLOT, MetaPageKind.BTREE);
            assertFalse(again.isNew());
            assertEquals(meta.page(), again.page());
            again.checkKind(PageType.META, MetaPageKind.BTREE.code());
        }
    }

    @Test
    void aSlotLeadingToAnotherKindOrTypeIsCorruption() {
        try (Pager pager = open(dir.resolve("data.sable"), 16)) {
            MetaPage meta = MetaPage.open(pager, SLOT, MetaPageKind.RECORD_STORE);
            meta.attach(() -> {});
            MetaPage asTree = MetaPage.open(pager, SLOT, MetaPageKind.BTREE);
            CorruptionException kind = assertThrows(CorruptionException.class,
                    () -> asTree.checkKind(PageType.META, MetaPageKind.RECORD_STORE.code()));
            assertEquals(meta.page(), kind.page());
            assertTrue(kind.getMessage().contains("expected B+tree meta page (root slot " + SLOT + "), found record store"),
                    kind.getMessage());
            CorruptionException type = assertThrows(CorruptionException.class,
                    () -> asTree.checkKind(PageType.SLOTTED, MetaPageKind.BTREE.code()));
            assertTrue(type.getMessage().contains("found a page of type SLOTTED"), type.getMessage());
        }
    }
}
