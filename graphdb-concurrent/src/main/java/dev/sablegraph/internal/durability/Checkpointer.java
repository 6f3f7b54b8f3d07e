package dev.sablegraph.internal.durability;

import dev.sablegraph.core.CheckpointMetrics;
import dev.sablegraph.core.GraphConfig;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.internal.graph.GraphStore;
import dev.sablegraph.internal.storage.PageCache;
import dev.sablegraph.internal.util.LockOrder;
import dev.sablegraph.internal.util.Loggers;
import dev.sablegraph.internal.util.RankedLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Checkpoints: the one place that knows their order (docs/durability.md, "Checkpoints").
 *
 * <ol>
 *   <li>With commits and readers held off (the caller's {@link Quiesce}): run the stores' flush
 *       hooks, note the log's end and what snapshots still need (deletions not yet purged, index
 *       entries of replaced states), copy the pager header, and capture the dirty pages (a pass
 *       over the frames; a captured page is copied only if a writer changes it before step 3).
 *   <li>Holding nothing else: force the log up to the noted end, so that no page outruns its commit.
 *   <li>Write the captured pages through the double-write image ({@link CheckpointFiles}), mark
 *       them clean, then let the log drop the segments before the noted end.
 * </ol>
 *
 * The page cache evicts dirty pages to its spill file, never to the data file (set by
 * {@link Recovery}): only step 3 ever writes the data file. The pages captured in step 1 are the
 * dirty frames and the spill file's pages; before it, dirty frames beyond half the cache are
 * evicted to the spill file, so that the captures (which pin frames until step 3 has written
 * them) leave the other half of the cache to readers and writers.
 * Forcing and writing happen after the quiesce ends, so no one waits for I/O but the checkpoint.
 *
 * <p>Copies of the data file (backups, {@link BackupCopier}) read the state of one checkpoint
 * while later checkpoints go on: {@link #checkpointAndWatch} registers a {@link PageWatcher} that
 * every later in-place page write tells first, so the copy can save the page it is about to lose.
 */
public final class Checkpointer {
    private final GraphStore store;
    private final PageCache cache;
    private final CheckpointFiles files;
    /** Spilled pages at which a checkpoint is due: {@link #spillBytesDue} worth. */
    private final long spillPagesDue;
    /** Paces committers between twice and four times {@link #spillPagesDue} spilled pages. */
    private final SpillPacer pacer;
    /** True while a checkpoint holds {@link #checkpointLock}: an overdue writer waits for it. */
    private volatile boolean checkpointing; // written under checkpointLock
    /** One checkpoint at a time; while it is held the data file does not change. */
    private final RankedLock checkpointLock = new RankedLock(LockOrder.CHECKPOINT);
    private volatile CheckpointMetrics metrics = new CheckpointMetrics(0, 0, 0, 0, 0, 0, 0); // guarded by checkpointLock (writes)

    /** Told by every later checkpoint before it overwrites its data file's pages in place. */
    private final List<PageWatcher> watchers = new CopyOnWriteArrayList<>();

    /** Runs step 1 with commits and readers held off, or throws if nothing may be checkpointed now. */
    @FunctionalInterface
    public interface Quiesce {
        void run(Runnable capture);
    }

    /**
     * The bytes of spilled pages that make a checkpoint due: {@code checkpointLogBytes}, or the
     * page cache's size when that is larger. Why not less than the cache: a checkpoint writes the
     * dirty half of the cache besides the spilled pages, so with a large cache a small spill volume
     * made checkpoints mostly rewrite the same hot pages; and the longer between checkpoints, the
     * more of the changes to a page one write of it covers. At 10M nodes with a 1 GiB cache, a
     * spill volume of the cache's size instead of 256 MiB wrote 0.35 pages per edge instead of
     * 0.88 (docs/benchmarks.md, "Checkpoints due at the cache's size of spilled pages"). Recovery
     * time stays bound by the log volume alone.
     */
    static long spillBytesDue(GraphConfig config) {
        return Math.max(config.checkpointLogBytes(), config.pageCacheBytes());
    }

    Checkpointer(GraphStore store, CheckpointFiles files, long spillBytesDue) {
        this.store = store;
        this.cache = store.pager().cache();
        this.files = files;
        this.spillPagesDue = Math.max(1, spillBytesDue / cache.pageSize());
        this.pacer = new SpillPacer(spillPagesDue);
    }

    /**
     * Watches the pages of the data file that checkpoints overwrite in place: {@link
     * #beforeOverwrite} is called before each such write, on the checkpointing thread, with the
     * checkpoint lock held (a copy reads the page first if it still needs it). It must not throw:
     * a watcher that cannot do its work fails itself, never the checkpoint.
     */
    public interface PageWatcher {
        void beforeOverwrite(long pageId);
    }

    /**
     * A completed checkpoint: its info, and the data file it left behind. Until the next
     * checkpoint writes in place, the file's pages below {@code pageCount} are exactly that state.
     */
    public record Checkpointed(CheckpointInfo info, Path dataFile, long pageCount, int pageSize) {}

    private record Capture(CheckpointInfo info, ByteBuffer header, List<PageCache.CapturedPage> pages, long pageCount) {}

    /** A checkpoint of everything {@code journal} has logged, in the order of the class comment. */
    public void checkpoint(Quiesce quiesce, CommitJournal journal, CheckpointInfo.PendingState pending) {
        checkpointLock.lock();
        try {
            checkpointHoldingLock(quiesce, journal, pending);
        } finally {
            checkpointLock.unlock();
        }
    }

    /**
     * The hard bound of back-pressure: when the spill file is overdue for a checkpoint, waits for
     * the one running (if any), and runs {@code checkpoint} only if the file is still overdue after
     * it. So writers that meet the bound together wait for one checkpoint, not one each in turn.
     * The caller holds no lock.
     */
    public void relieveOverdueSpill(Runnable checkpoint) {
        if (!spillOverdue()) {
            return;
        }
        if (checkpointing) {
            checkpointLock.lock(); // returns once the running checkpoint is done
            checkpointLock.unlock();
        }
        if (spillOverdue()) {
            checkpoint.run();
        }
    }

    /**
     * Pacing before a commit ({@link SpillPacer}): waits in proportion to the pages spilled since
     * the last paced commit when the spill file holds more than twice what makes a checkpoint due.
     * The caller holds no lock.
     */
    public void paceCommit() {
        long wait = pacer.reserve(cache.spilledPages(), cache.spillWrites(), System.nanoTime());
        if (wait > 0) {
            SpillPacer.await(wait);
        }
    }

    /**
     * A checkpoint, then, before any other checkpoint can start, {@code watcher} (made from the
     * completed checkpoint) is told of every later in-place write until {@link #stopWatching}:
     * what a copy of that checkpoint's data file needs. Returns the completed checkpoint.
     */
    public Checkpointed checkpointAndWatch(Quiesce quiesce, CommitJournal journal, CheckpointInfo.PendingState pending,
            Function<Checkpointed, PageWatcher> watcher) {
        checkpointLock.lock();
        try {
            Capture c = checkpointHoldingLock(quiesce, journal, pending);
            Checkpointed done = new Checkpointed(c.info(), store.pager().path(), c.pageCount(), store.pager().pageSize());
            watchers.add(watcher.apply(done));
            return done;
        } finally {
            checkpointLock.unlock();
        }
    }

    /**
     * At close, after the last checkpoint: deletes the image file it retired
     * ({@link CheckpointFiles#dropRetiredImage}), under the checkpoint lock so that no checkpoint
     * is writing it.
     */
    public void dropRetiredImage() {
        checkpointLock.lock();
        try {
            files.dropRetiredImage();
        } finally {
            checkpointLock.unlock();
        }
    }

    /**
     * Stops telling {@code watcher}. A checkpoint running now may still call it once more (its
     * list was read before); the watcher ignores calls after its work is done.
     */
    public void stopWatching(PageWatcher watcher) {
        watchers.remove(watcher);
    }

    private Capture checkpointHoldingLock(Quiesce quiesce, CommitJournal journal, CheckpointInfo.PendingState pending) {
        checkpointing = true;
        try {
            return checkpointWhileFlagged(quiesce, journal, pending);
        } finally {
            checkpointing = false;
        }
    }

    private Capture checkpointWhileFlagged(Quiesce quiesce, CommitJournal journal, CheckpointInfo.PendingState pending) {
        Capture[] captured = new Capture[1];
        int bound = cache.capacityPages() / 2;
        cache.spillDirtyDownTo(bound); // before the switch: the I/O holds no one up
        // Writers dirty more frames meanwhile, which the switch evicts down to the bound again. Room
        // in the spill file for up to half the bound now keeps the file's growth out of that: at 10M
        // nodes with a 1 GiB cache, the first checkpoints evicted 15,000 to 30,000 pages under the
        // switch, 0.3 to 0.7 s while commits waited, most of it growing the file. As much room as
        // the cache is dirty beyond a quarter of it: a cache that writers keep at the bound gets
        // all of it, a lightly written one none (no file grown for nothing).
        cache.reserveSpill(Math.min(bound / 2, cache.dirtyPageCount() - bound / 2));
        long start = System.nanoTime();
        quiesce.run(() -> captured[0] = capture(CheckpointInfo.of(journal.endLsn(), pending)));
        long switched = System.nanoTime();
        Capture c = captured[0];
        write(c, () -> journal.forceUpTo(c.info().lsn()));
        journal.checkpointed(c.info().lsn());
        long took = System.nanoTime() - start;
        pacer.drained(c.pages().size(), took);
        record(c.pages().size(), switched - start, took);
        log(c.pages().size(), switched - start, took);
        return c;
    }

    /**
     * A checkpoint during replay, at log position {@code lsn} (the end of the record just
     * replayed): no one else runs yet, and replay logs nothing, so there is no log to force first.
     */
    void checkpointReplayed(long lsn) {
        write(capture(CheckpointInfo.at(lsn)), () -> {});
    }

    private Capture capture(CheckpointInfo info) {
        store.pager().runFlushHooks();
        return new Capture(info, store.pager().headerImage(), cache.captureDirtyPages(cache.capacityPages() / 2), store.pager().pageCount());
    }

    /** Steps 2 and 3; whatever fails, releases the captures still held. */
    private void write(Capture c, Runnable forceLog) {
        try {
            // In-place writes in file order; sorted here, not in the capture, which commits wait for.
            c.pages().sort(Comparator.comparingLong(PageCache.CapturedPage::pageId));
            forceLog.run();
            files.write(watchedDataFile(), store.pager().pageSize(), cache, c.info(), c.header(), c.pages());
            cache.markClean(c.pages());
        } finally {
            cache.release(c.pages());
        }
    }

    /** The data file as checkpoints write it in place: each page write tells the watchers first. */
    private CheckpointFiles.DataFile watchedDataFile() {
        CheckpointFiles.DataFile file = CheckpointFiles.DataFile.of(store.pager());
        return new CheckpointFiles.DataFile() {
            @Override
            public void write(long pageId, ByteBuffer page) throws IOException {
                for (PageWatcher w : watchers) {
                    w.beforeOverwrite(pageId);
                }
                file.write(pageId, page);
            }

            @Override
            public void force() throws IOException {
                file.force();
            }
        };
    }

    /**
     * True when the spill file holds {@link #spillBytesDue} of pages: the background checkpoints
     * then, as it does for that much log, so that neither the spill file nor the next checkpoint's
     * work grows without bound.
     */
    public boolean spillDue() {
        return cache.spilledPages() >= spillPagesDue;
    }

    /**
     * True when the spill file holds four times what makes a checkpoint due: the background
     * checkpoints do not keep up, and writers checkpoint before they go on (back-pressure).
     */
    public boolean spillOverdue() {
        return cache.spilledPages() >= 4 * spillPagesDue;
    }

    /**
     * Checks every page of the data file as the last checkpoint wrote it, then runs {@code more}
     * while the file still cannot change: the cache evicts to its spill file, only checkpoints write it, and
     * they wait here. Nobody else waits on the checkpoint lock, so the I/O blocks no one.
     */
    public void checkDataFile(IntegrityReport.Builder report, Runnable more) {
        checkpointLock.lock();
        try {
            store.pager().checkPagesOnDisk(report);
            more.run();
        } finally {
            checkpointLock.unlock();
        }
    }

    private void record(long pages, long switchNanos, long totalNanos) {
        CheckpointMetrics m = metrics;
        long switchMicros = switchNanos / 1_000;
        long millis = totalNanos / 1_000_000;
        metrics = new CheckpointMetrics(m.checkpoints() + 1, m.pagesWritten() + pages,
                Math.max(m.maxSwitchMicros(), switchMicros), m.totalSwitchMicros() + switchMicros,
                Math.max(m.maxMillis(), millis), m.totalMillis() + millis, millis);
    }

    /** Every checkpoint at {@code DEBUG}; a slow one at {@code INFO}, since it delays writers at back-pressure. */
    private void log(long pages, long switchNanos, long totalNanos) {
        long millis = totalNanos / 1_000_000;
        System.Logger.Level level = millis > Loggers.SLOW_CHECKPOINT_MILLIS ? System.Logger.Level.INFO
                : System.Logger.Level.DEBUG;
        if (Loggers.CHECKPOINT.isLoggable(level)) {
            Loggers.CHECKPOINT.log(level, "checkpoint of " + store.directory() + ": " + pages + " pages ("
                    + (pages * cache.pageSize() >> 10) + " KiB) in " + millis + " ms; commits waited "
                    + switchNanos / 1_000 + " µs for its switch");
        }
    }

    /** Checkpoints since open: how long commits waited for their switches, how long they took. */
    public CheckpointMetrics metrics() {
        return metrics;
    }
}
