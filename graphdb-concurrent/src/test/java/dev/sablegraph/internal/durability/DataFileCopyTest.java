package dev.sablegraph.internal.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.storage.PageCursor;
import dev.sablegraph.internal.storage.PageLayout;
import dev.sablegraph.internal.storage.PageType;
import dev.sablegraph.internal.storage.Pager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy-before-overwrite protocol of {@link DataFileCopy}, without a database: pages
 * overwritten after the copy started reach the copy as they were when it started, whichever of
 * the copier and the "checkpoint" gets to a page first; a damaged page fails the copy, and a
 * page that could not be saved before an overwrite fails the copy, never the overwriting side.
 */
class DataFileCopyTest {
    private static final int PAGES = 30;

    @TempDir
    Path dir;

    private Path source() {
        return dir.resolve("data.sable");
    }

    /** A data file of {@link #PAGES} pages (header included) at version 1; returns its page size. */
    private int writeSource() {
        try (Pager pager = Pager.open(source(), GraphConfig.defaults())) {
            for (int i = 1; i < PAGES; i++) {
                long id = pager.allocate(PageType.SLOTTED);
                try (PageCursor c = pager.write(id)) {
                    c.putLong(PageLayout.HEADER_SIZE, id * 1000 + 1);
                }
            }
            return pager.pageSize();
        }
    }

    /** Overwrites page {@code id} in place with a sealed page of version 2 (what a checkpoint does). */
    private void overwrite(long id, int pageSize) throws IOException {
        ByteBuffer page = ByteBuffer.allocate(pageSize);
        page.put(PageLayout.TYPE_OFFSET, PageType.SLOTTED.code());
        page.putLong(PageLayout.HEADER_SIZE, id * 1000 + 2);
        PageLayout.seal(page, id);
        try (FileChannel ch = FileChannel.open(source(), StandardOpenOption.WRITE)) {
            ch.write(page, id * pageSize);
        }
    }

    private DataFileCopy start(Path target, int pageSize, int chunkPages) {
        DataFileCopy copy = DataFileCopy.create(target, chunkPages * pageSize);
        copy.start(new Checkpointer.Checkpointed(CheckpointInfo.at(1), source(), PAGES, pageSize));
        return copy;
    }

    @Test
    void pagesOverwrittenDuringTheCopyArriveAsTheyWereAtItsStart() throws IOException {
        int pageSize = writeSource();
        byte[] original = Arrays.copyOf(Files.readAllBytes(source()), PAGES * pageSize);
        Path target = dir.resolve("copy");
        AtomicInteger chunks = new AtomicInteger();
        try (DataFileCopy copy = start(target, pageSize, 4)) {
            copy.copyAll(() -> {
                if (chunks.incrementAndGet() == 2) { // pages 0..7 copied; overwrite some behind and ahead of the copier
                    try {
                        for (long id : new long[] {3, 9, 10, 17, 29}) {
                            copy.beforeOverwrite(id);
                            overwrite(id, pageSize);
                        }
                        copy.beforeOverwrite(9); // a second overwrite of a saved page saves nothing
                        overwrite(9, pageSize);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            });
        }
        assertEquals(8, chunks.get(), "30 pages, 4 at a time");
        assertArrayEquals(original, Files.readAllBytes(target), "the copy is the file as it was at the start");
    }

    @Test
    void aDamagedPageFailsTheCopyNamingIt() throws IOException {
        int pageSize = writeSource();
        try (FileChannel ch = FileChannel.open(source(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 12L * pageSize + 100);
        }
        try (DataFileCopy copy = start(dir.resolve("copy"), pageSize, 8)) {
            CorruptionException e = assertThrows(CorruptionException.class, () -> copy.copyAll(() -> {}));
            assertTrue(e.getMessage().contains("page 12"), e.getMessage());
        }
    }

    @Test
    void aPageThatCouldNotBeSavedFailsTheCopyButNotTheOverwrite() throws IOException {
        int pageSize = writeSource();
        try (FileChannel ch = FileChannel.open(source(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 20L * pageSize + 100); // its save will fail
        }
        try (DataFileCopy copy = start(dir.resolve("copy"), pageSize, 4)) {
            GraphException e = assertThrows(GraphException.class, () -> copy.copyAll(() -> {
                copy.beforeOverwrite(20); // returns normally: the checkpoint goes on
            }));
            assertTrue(e.getMessage().contains("cannot save page 20"), e.getMessage());
        }
    }
}
