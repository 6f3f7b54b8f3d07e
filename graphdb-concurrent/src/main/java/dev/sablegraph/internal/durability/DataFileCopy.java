package dev.sablegraph.internal.durability;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.storage.InterruptSafeChannel;
import dev.sablegraph.internal.storage.PageLayout;
import dev.sablegraph.internal.util.LockOrder;
import dev.sablegraph.internal.util.RankedLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * A copy of the data file exactly as one checkpoint left it, made while the database runs and
 * later checkpoints write pages in place: <em>copy before overwrite</em>.
 *
 * <p>Why the file holds still enough to copy: only checkpoints write pages into the data file
 * (eviction writes a dirty page to the spill file, never here, and a database with a log never
 * flushes its cache otherwise; docs/durability.md). The one other write is file growth, which
 * appends zeros past the file's end, beyond every page the checkpoint counts. So after the
 * checkpoint this copy starts from, the pages below its page count change only when a later
 * checkpoint overwrites them, and that checkpoint tells this copy first ({@link
 * #beforeOverwrite}, through {@link Checkpointer#checkpointAndWatch}).
 *
 * <p>The protocol, under {@link #lock}: a page is copied exactly once, by whichever comes first.
 * The copier reads a chunk of pages and marks those not copied yet as copied, holding the lock,
 * then writes them to the copy without it. A checkpoint about to overwrite a page not copied yet
 * reads that page (still the old one: only checkpoints write it, and this one has not yet) and
 * writes it to the copy, holding the lock, and marks it copied. So every page reaches the copy
 * as the base checkpoint wrote it, and checkpoints never wait for the copy: at most for one
 * chunk's read and one page's read and write.
 *
 * <p>Memory: one chunk, one page, and one bit per page of the file. Pages are verified (their
 * checksum) as they are read, so a damaged source page fails the backup instead of being copied.
 * The copy is forced as it goes ({@link #FORCE_EVERY_BYTES}).
 */
final class DataFileCopy implements Checkpointer.PageWatcher, AutoCloseable {
    /**
     * The copy is forced every so many bytes, not only at the end: forcing a gigabyte at once
     * flushes it in one burst, and the log's forces (every commit's) queue behind it on the
     * device. Measured on a 1 GiB backup (docs/benchmarks.md, "Online backup"): the longest commit
     * took 0.46 to 0.77 s with one force at the end, 0.08 to 0.13 s with a force every 16 MiB.
     */
    static final long FORCE_EVERY_BYTES = 16L << 20;

    private final Path targetPath;
    private final FileChannel target;
    private final int chunkBytes;
    private final RankedLock lock = new RankedLock(LockOrder.BACKUP_COPY);

    // Set by start(), called under the checkpoint lock before any later checkpoint can tell us
    // anything; read by both sides under the lock afterwards.
    private Path sourcePath;
    private FileChannel source; // guarded by lock (closing)
    private int pageSize;
    private long pageCount;
    private BitSet copied; // guarded by lock
    private ByteBuffer page; // guarded by lock: the pre-image buffer of beforeOverwrite
    private boolean finished; // guarded by lock: set when the copy ends, successfully or not
    /** The first failure of a pre-image copy; the backup reports it. */
    private volatile RuntimeException failure;

    private DataFileCopy(Path targetPath, FileChannel target, int chunkBytes) {
        this.targetPath = targetPath;
        this.target = target;
        this.chunkBytes = chunkBytes;
    }

    /** Creates the copy's file at {@code targetPath} (which must not exist). */
    static DataFileCopy create(Path targetPath, int chunkBytes) {
        try {
            return new DataFileCopy(targetPath, InterruptSafeChannel.open(targetPath, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), chunkBytes);
        } catch (IOException e) {
            throw new GraphException("cannot create " + targetPath + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fixes what to copy: the pages of {@code base}'s data file below its page count. Called with
     * checkpoints held off, right after {@code base} completed; returns this copy as the watcher.
     */
    Checkpointer.PageWatcher start(Checkpointer.Checkpointed base) {
        if (base.pageCount() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("data file of " + base.pageCount() + " pages is too large to copy");
        }
        try {
            source = InterruptSafeChannel.open(base.dataFile(), StandardOpenOption.READ);
        } catch (IOException e) {
            throw new GraphException("cannot read " + base.dataFile() + ": " + e.getMessage(), e);
        }
        sourcePath = base.dataFile();
        pageSize = base.pageSize();
        pageCount = base.pageCount();
        copied = new BitSet((int) pageCount);
        page = ByteBuffer.allocate(pageSize);
        return this;
    }

    /** Saves page {@code pageId} to the copy before a checkpoint overwrites it, unless it is there already. */
    @Override
    public void beforeOverwrite(long pageId) {
        lock.lock();
        try {
            if (finished || failure != null || pageId >= pageCount || copied.get((int) pageId)) {
                return;
            }
            read(pageId, page.clear());
            verify(pageId, page);
            write(pageId, page.clear());
            copied.set((int) pageId);
        } catch (RuntimeException | IOException e) {
            // Never fail the checkpoint: this copy is what failed, and copyAll reports it.
            if (failure == null) {
                failure = new GraphException("cannot save page " + pageId + " of " + sourcePath + " to "
                        + targetPath + " before a checkpoint overwrote it: " + e.getMessage(), e);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Copies every page a checkpoint has not saved already, a chunk at a time, running {@code
     * afterChunk} after each and forcing the copy every {@link #FORCE_EVERY_BYTES}; then forces it
     * (with its size). Throws if any page could not be copied.
     */
    void copyAll(Runnable afterChunk) {
        int chunkPages = Math.max(1, chunkBytes / pageSize);
        ByteBuffer chunk = ByteBuffer.allocate(chunkPages * pageSize);
        boolean[] mine = new boolean[chunkPages];
        long unforced = 0;
        try {
            for (long first = 0; first < pageCount; first += chunkPages) {
                int n = (int) Math.min(chunkPages, pageCount - first);
                lock.lock();
                try {
                    checkNotFailed();
                    read(first, chunk.clear().limit(n * pageSize));
                    for (int i = 0; i < n; i++) {
                        mine[i] = !copied.get((int) first + i);
                        copied.set((int) first + i);
                    }
                } finally {
                    lock.unlock();
                }
                for (int i = 0; i < n; i++) {
                    if (mine[i]) {
                        ByteBuffer p = chunk.slice(i * pageSize, pageSize);
                        verify(first + i, p);
                        write(first + i, p);
                    }
                }
                unforced += (long) n * pageSize;
                if (unforced >= FORCE_EVERY_BYTES) {
                    target.force(false);
                    unforced = 0;
                }
                afterChunk.run();
            }
            finish();
            checkNotFailed();
            target.force(true);
        } catch (IOException e) {
            throw new GraphException("cannot copy " + sourcePath + " to " + targetPath + ": " + e.getMessage(), e);
        }
    }

    private void checkNotFailed() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    /** From now on checkpoints find nothing to save. */
    private void finish() {
        lock.lock();
        try {
            finished = true;
        } finally {
            lock.unlock();
        }
    }

    private void read(long firstPage, ByteBuffer into) throws IOException {
        long position = firstPage * pageSize;
        while (into.hasRemaining()) {
            if (source.read(into, position + into.position()) < 0) {
                throw new CorruptionException(sourcePath, firstPage + into.position() / pageSize,
                        "file ends inside the page, below the page count " + pageCount + " of its checkpoint");
            }
        }
        into.flip();
    }

    private void verify(long pageId, ByteBuffer p) {
        if (!PageLayout.checksumMatches(p, pageId)) {
            throw new CorruptionException(sourcePath, pageId, "checksum mismatch while copying the data file");
        }
    }

    private void write(long pageId, ByteBuffer p) throws IOException {
        long position = pageId * pageSize;
        ByteBuffer b = p.duplicate().clear().limit(pageSize);
        while (b.hasRemaining()) {
            target.write(b, position + b.position());
        }
    }

    /** Ends the copy (checkpoints find nothing more to save) and closes both files. */
    @Override
    public void close() {
        finish();
        lock.lock();
        try {
            closeQuietly(source);
            closeQuietly(target);
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // a failed backup is reported by its own exception; a successful one forced the file first
        }
    }
}
