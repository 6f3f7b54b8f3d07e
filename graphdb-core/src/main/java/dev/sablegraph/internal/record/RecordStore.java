package dev.sablegraph.internal.record;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.internal.storage.MetaPage;
import dev.sablegraph.internal.storage.MetaPageKind;
import dev.sablegraph.internal.storage.PageCursor;
import dev.sablegraph.internal.storage.PageType;
import dev.sablegraph.internal.storage.RollbackPoint;
import dev.sablegraph.internal.storage.Pager;
import dev.sablegraph.internal.util.LockOrder;
import dev.sablegraph.internal.util.RankedLock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A heap of variable-length records in slotted pages, addressed by {@link RecordPointer}.
 *
 * <p>Stored form of a record (first byte = flags): {@code INLINE} records sit in their slot,
 * {@code OVERFLOW} records leave a 17-byte stub in the slot and their bytes in an
 * {@link OverflowChain}; either may be lz4-compressed (see docs/file-format.md).
 *
 * <p>Concurrency: reads take no lock (optimistic page reads). Inserts, updates and deletes are
 * serialised by the store's write lock. A pointer stays readable until its record is updated or
 * deleted; callers that let readers run beside updates (the MVCC layer) must not update or delete a
 * record a reader may still follow. Update may move a record and returns its new pointer.
 *
 * <p>Free space: a {@link FreeSpaceMap} of this store's pages by free-space class; new pages come
 * from the pager only when no tracked page fits. The map's largest entries are kept in the
 * store's meta page on flush, so a reopened store still finds its roomiest pages.
 *
 * <p>Room to grow: a store whose records are expected to grow after they are written (a node's
 * record gains an edge group with its first edge) is opened with a growth allowance per record.
 * An insert then goes only to a page that keeps that allowance free for every record on it, and
 * the free-space map counts a page's room for inserts net of it; updates use all of a page's free
 * space. Without it, a page filled by inserts had no room when its records grew, so nearly every
 * growth compacted the page or moved the record to another page (and its id with it): a profile
 * of a large load found 30 % of its commit samples in such rewrites, 14 % in compaction. The
 * allowance is counted per slot, grown records included, so a page whose records have all grown
 * has nothing left to reserve; space that deletes free there goes to inserts only beyond the
 * allowance of the records that remain.
 */
public final class RecordStore {
    /** Largest record accepted, in bytes. */
    public static final int MAX_RECORD_BYTES = 1 << 30;

    static final int FLAG_OVERFLOW = 0x01;
    static final int FLAG_COMPRESSED = 0x04;
    static final int KNOWN_FLAGS = FLAG_OVERFLOW | FLAG_COMPRESSED;
    static final int OVERFLOW_STUB_LENGTH = 1 + 4 + 4 + 8;

    // Meta page layout (after the common page header and the kind byte, MetaPage.KIND_OFFSET).
    static final int META_STORE_ID_OFFSET = 17;
    static final int META_HEAD_OFFSET = 24;
    static final int META_PAGES_OFFSET = 32;
    static final int META_RECORDS_OFFSET = 40;
    static final int META_HINT_COUNT_OFFSET = 48;
    static final int META_HINTS_OFFSET = 56;
    static final int META_HINT_SIZE = 10;

    private final Pager pager;
    private final int storeId;
    private final MetaPage meta;
    private final RecordCompression compression;
    private final int maxInline;
    /** Bytes an insert leaves free per record on its page, for that record to grow in place. */
    private final int growthPerRecord;
    private final RankedLock writeLock = new RankedLock(LockOrder.STRUCTURE);
    private final FreeSpaceMap freeSpace; // guarded by writeLock
    // Volatile so that metrics may read them without the lock.
    private volatile long head; // guarded by writeLock
    private volatile long pageCount; // guarded by writeLock
    private volatile long recordCount; // guarded by writeLock

    private RecordStore(Pager pager, int storeId, MetaPage meta, int compressionThreshold, int growthPerRecord) {
        this.pager = pager;
        this.growthPerRecord = growthPerRecord;
        this.storeId = storeId;
        this.meta = meta;
        this.compression = new RecordCompression(compressionThreshold);
        this.maxInline = (pager.pageSize() - SlottedPage.SLOTS_OFFSET) / 4 - SlottedPage.SLOT_SIZE;
        this.freeSpace = new FreeSpaceMap(pager.pageSize());
    }

    /**
     * Opens the store whose meta page is in the pager's root slot {@code rootSlot}, creating it when
     * the slot is empty. {@code storeId} (0-255) is written into every page of the store and checked
     * on every read, so a pointer into another store is caught.
     */
    public static RecordStore open(Pager pager, int rootSlot, int storeId, int compressionThreshold) {
        return open(pager, rootSlot, storeId, compressionThreshold, 0);
    }

    /**
     * {@link #open(Pager, int, int, int)} for records that grow after they are inserted: inserts
     * leave {@code growthPerRecord} bytes free per record on their page (see the class comment).
     * Only where records go changes, not the file's format.
     */
    public static RecordStore open(Pager pager, int rootSlot, int storeId, int compressionThreshold,
            int growthPerRecord) {
        if (storeId < 0 || storeId > 255) {
            throw new IllegalArgumentException("storeId must be 0..255, was " + storeId);
        }
        if (growthPerRecord < 0 || growthPerRecord > pager.pageSize() / 4) {
            throw new IllegalArgumentException("growthPerRecord must be 0.." + pager.pageSize() / 4 + ", was "
                    + growthPerRecord);
        }
        MetaPage meta = MetaPage.open(pager, rootSlot, MetaPageKind.RECORD_STORE);
        RecordStore store = new RecordStore(pager, storeId, meta, compressionThreshold, growthPerRecord);
        if (meta.isNew()) {
            try (PageCursor c = pager.write(meta.page())) {
                c.putByte(META_STORE_ID_OFFSET, (byte) storeId);
            }
        } else {
            store.loadMeta();
        }
        meta.attach(store::writeMeta);
        return store;
    }

    /** Reads the meta page (a read cursor: opening a store must not dirty anything). */
    private void loadMeta() {
        byte kind;
        int owner;
        PageType type;
        long[] counters = new long[3];
        List<long[]> hints = new ArrayList<>();
        try (PageCursor c = pager.read(meta.page())) {
            do {
                hints.clear();
                type = c.pageType();
                kind = c.getByte(MetaPage.KIND_OFFSET);
                owner = c.getByte(META_STORE_ID_OFFSET) & 0xFF;
                counters[0] = c.getLong(META_HEAD_OFFSET);
                counters[1] = c.getLong(META_PAGES_OFFSET);
                counters[2] = c.getLong(META_RECORDS_OFFSET);
                int n = Math.min(Math.max(c.getInt(META_HINT_COUNT_OFFSET), 0), maxHints());
                for (int i = 0; i < n; i++) {
                    int at = META_HINTS_OFFSET + i * META_HINT_SIZE;
                    hints.add(new long[] {c.getLong(at), c.getUnsignedShort(at + 8)});
                }
            } while (c.shouldRetry());
        }
        meta.checkKind(type, kind);
        if (owner != storeId) {
            throw new CorruptionException(pager.path(), meta.page(), "not the meta page of record store " + storeId
                    + " but of store " + owner);
        }
        head = counters[0];
        pageCount = counters[1];
        recordCount = counters[2];
        for (long[] h : hints) {
            freeSpace.update(h[0], (int) h[1]);
        }
    }

    private int maxHints() {
        return (pager.pageSize() - META_HINTS_OFFSET) / META_HINT_SIZE;
    }

    /**
     * Writes the counters and free-space hints into the meta page; runs before every pager flush
     * and checkpoint. Leaves the page alone (and clean) when it already holds them, so that an idle
     * store adds nothing to a checkpoint.
     */
    private void writeMeta() {
        lock();
        try {
            List<long[]> hints = freeSpace.largest(maxHints());
            ByteBuffer fields = ByteBuffer.allocate(META_HINTS_OFFSET - META_HEAD_OFFSET + hints.size() * META_HINT_SIZE);
            fields.putLong(head).putLong(pageCount).putLong(recordCount).putInt(hints.size()).putInt(0);
            for (long[] h : hints) {
                fields.putLong(h[0]).putShort((short) h[1]);
            }
            byte[] wanted = fields.array();
            byte[] stored = new byte[wanted.length];
            try (PageCursor c = pager.read(meta.page())) {
                do {
                    c.getBytes(META_HEAD_OFFSET, stored, 0, stored.length);
                } while (c.shouldRetry());
            }
            if (!Arrays.equals(wanted, stored)) {
                try (PageCursor c = pager.write(meta.page())) {
                    c.putBytes(META_HEAD_OFFSET, wanted, 0, wanted.length);
                }
            }
        } finally {
            unlock();
        }
    }

    /**
     * Keeps the counters and free-space hints as they are now, for a change that may have to be
     * taken back (the pages themselves are the pager's to restore).
     */
    public RollbackPoint rollbackPoint() {
        lock();
        try {
            long savedHead = head;
            long savedPages = pageCount;
            long savedRecords = recordCount;
            freeSpace.startJournal();
            return new RollbackPoint() {
                @Override
                public void restore() {
                    lock();
                    try {
                        head = savedHead;
                        pageCount = savedPages;
                        recordCount = savedRecords;
                        freeSpace.undoJournal();
                    } finally {
                        unlock();
                    }
                }

                @Override
                public void discard() {
                    lock();
                    try {
                        freeSpace.dropJournal();
                    } finally {
                        unlock();
                    }
                }
            };
        } finally {
            unlock();
        }
    }

    private void lock() {
        writeLock.lock();
    }

    private void unlock() {
        writeLock.unlock();
    }

    public int storeId() {
        return storeId;
    }

    public long recordCount() {
        return recordCount;
    }

    public long pageCount() {
        return pageCount;
    }

    /** Pages the free-space map currently knows to have room. */
    public int pagesWithFreeSpace() {
        lock();
        try {
            return freeSpace.trackedPages();
        } finally {
            unlock();
        }
    }

    public long insert(byte[] record) {
        checkRecord(record);
        lock();
        try {
            long ptr = place(encode(record));
            recordCount++;
            return ptr;
        } finally {
            unlock();
        }
    }

    /** The record at {@code pointer}, or null when its slot is empty. */
    public byte[] read(long pointer) {
        long page = RecordPointer.page(pointer);
        int slot = RecordPointer.slot(pointer);
        byte[] stored;
        PageType type;
        int owner;
        try (PageCursor c = pager.read(page)) {
            do {
                type = c.pageType();
                owner = SlottedPage.storeId(c);
                stored = SlottedPage.readSlot(c, slot);
            } while (c.shouldRetry());
        }
        checkOwnPage(page, type, owner);
        return stored == null ? null : decode(page, stored);
    }

    /** Replaces the record; returns its pointer, which differs from {@code pointer} if it moved. */
    public long update(long pointer, byte[] record) {
        checkRecord(record);
        long page = RecordPointer.page(pointer);
        int slot = RecordPointer.slot(pointer);
        lock();
        try {
            byte[] stored = encode(record);
            long oldChain;
            boolean inPlace;
            try (PageCursor c = pager.write(page)) {
                byte[] old = liveSlot(c, pointer);
                oldChain = overflowChainOf(page, old);
                inPlace = SlottedPage.update(c, slot, stored);
                freeSpace.update(page, roomForInserts(c));
            }
            long result = pointer;
            if (!inPlace) {
                // Place the new copy before removing the old, so the record never disappears.
                result = place(stored);
                try (PageCursor c = pager.write(page)) {
                    SlottedPage.delete(c, slot);
                    freeSpace.update(page, roomForInserts(c));
                }
            }
            if (oldChain != 0) {
                OverflowChain.free(pager, oldChain);
            }
            return result;
        } finally {
            unlock();
        }
    }

    public void delete(long pointer) {
        long page = RecordPointer.page(pointer);
        lock();
        try {
            long chain;
            try (PageCursor c = pager.write(page)) {
                chain = overflowChainOf(page, liveSlot(c, pointer));
                SlottedPage.delete(c, RecordPointer.slot(pointer));
                freeSpace.update(page, roomForInserts(c));
            }
            if (chain != 0) {
                OverflowChain.free(pager, chain);
            }
            recordCount--;
        } finally {
            unlock();
        }
    }

    /** Receives each live record of a scan. */
    @FunctionalInterface
    public interface RecordVisitor {
        void visit(long pointer, byte[] record);
    }

    /**
     * Visits every live record, page by page along the store's page chain. Each page is read as one
     * consistent snapshot; records inserted or deleted while the scan runs may or may not be seen.
     */
    public void forEach(RecordVisitor visitor) {
        long page = head;
        long seen = 0;
        while (page != 0) {
            if (++seen > pager.pageCount()) {
                throw new CorruptionException(pager.path(), page, "page chain of record store " + storeId + " has a cycle");
            }
            List<byte[]> records = new ArrayList<>();
            List<Integer> slots = new ArrayList<>();
            long next;
            PageType type;
            int owner;
            try (PageCursor c = pager.read(page)) {
                do {
                    records.clear();
                    slots.clear();
                    type = c.pageType();
                    owner = SlottedPage.storeId(c);
                    next = SlottedPage.nextPage(c);
                    int n = Math.min(SlottedPage.slotCount(c), c.pageSize() / SlottedPage.SLOT_SIZE);
                    for (int s = 0; s < n; s++) {
                        byte[] r = SlottedPage.readSlot(c, s);
                        if (r != null) {
                            slots.add(s);
                            records.add(r);
                        }
                    }
                } while (c.shouldRetry());
            }
            checkOwnPage(page, type, owner);
            for (int i = 0; i < records.size(); i++) {
                visitor.visit(RecordPointer.of(page, slots.get(i)), decode(page, records.get(i)));
            }
            page = next;
        }
    }

    // ---- internals, all under writeLock unless noted ----

    private static void checkRecord(byte[] record) {
        if (record == null) {
            throw new IllegalArgumentException("record must not be null");
        }
        if (record.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("record of " + record.length + " bytes exceeds the limit of "
                    + MAX_RECORD_BYTES);
        }
    }

    /** The stored form: compressed when it pays, in an overflow chain when too large for a slot. */
    private byte[] encode(byte[] record) {
        byte[] compressed = compression.compressIfWorthIt(record);
        byte[] payload = compressed != null ? compressed : record;
        int flags = compressed != null ? FLAG_COMPRESSED : 0;
        int header = 1 + (compressed != null ? 4 : 0);
        if (header + payload.length <= maxInline) {
            ByteBuffer b = ByteBuffer.allocate(header + payload.length);
            b.put((byte) flags);
            if (compressed != null) {
                b.putInt(record.length);
            }
            return b.put(payload).array();
        }
        long first = OverflowChain.write(pager, payload);
        return ByteBuffer.allocate(OVERFLOW_STUB_LENGTH)
                .put((byte) (flags | FLAG_OVERFLOW))
                .putInt(payload.length)
                .putInt(record.length)
                .putLong(first)
                .array();
    }

    /** Decodes a stored record; lock-free. */
    private byte[] decode(long page, byte[] stored) {
        if (stored.length == 0 || (stored[0] & ~KNOWN_FLAGS) != 0) {
            throw new CorruptionException(pager.path(), page, "record has an unknown format");
        }
        int flags = stored[0];
        ByteBuffer b = ByteBuffer.wrap(stored);
        try {
            if ((flags & FLAG_OVERFLOW) != 0) {
                if (stored.length != OVERFLOW_STUB_LENGTH) {
                    throw new CorruptionException(pager.path(), page, "overflow stub of " + stored.length + " bytes");
                }
                int storedLength = checkLength(page, b.getInt(1));
                int rawLength = checkLength(page, b.getInt(5));
                byte[] payload = OverflowChain.read(pager, b.getLong(9), storedLength);
                return (flags & FLAG_COMPRESSED) != 0
                        ? RecordCompression.decompress(payload, 0, payload.length, rawLength)
                        : payload;
            }
            if ((flags & FLAG_COMPRESSED) != 0) {
                if (stored.length < 5) {
                    throw new CorruptionException(pager.path(), page, "compressed record of " + stored.length + " bytes");
                }
                int rawLength = checkLength(page, b.getInt(1));
                return RecordCompression.decompress(stored, 5, stored.length - 5, rawLength);
            }
            return java.util.Arrays.copyOfRange(stored, 1, stored.length);
        } catch (IllegalStateException e) {
            throw new CorruptionException(pager.path(), page, e.getMessage(), e);
        }
    }

    private int checkLength(long page, int length) {
        if (length < 0 || length > MAX_RECORD_BYTES) {
            throw new CorruptionException(pager.path(), page, "record length " + length + " out of range");
        }
        return length;
    }

    private long overflowChainOf(long page, byte[] stored) {
        if (stored.length == OVERFLOW_STUB_LENGTH && (stored[0] & FLAG_OVERFLOW) != 0) {
            return ByteBuffer.wrap(stored).getLong(9);
        }
        return 0;
    }

    /** The stored bytes of a live record under a write cursor, or an exception naming the pointer. */
    private byte[] liveSlot(PageCursor c, long pointer) {
        checkOwnPage(c.pageId(), c.pageType(), SlottedPage.storeId(c));
        int slot = RecordPointer.slot(pointer);
        if (!SlottedPage.isLive(c, slot)) {
            throw new IllegalArgumentException("no record at " + RecordPointer.toString(pointer)
                    + " in record store " + storeId);
        }
        return SlottedPage.readSlot(c, slot);
    }

    private void checkOwnPage(long page, PageType type, int owner) {
        if (type != PageType.SLOTTED || owner != storeId) {
            throw new CorruptionException(pager.path(), page, "expected a record page of store " + storeId
                    + ", found " + type + " of store " + owner);
        }
    }

    /**
     * A page's free bytes less the growth allowance of its records and of one more: what the
     * free-space map offers to inserts.
     */
    private int roomForInserts(PageCursor c) {
        int free = SlottedPage.freeBytes(c);
        return growthPerRecord == 0 ? free : Math.max(0, free - growthPerRecord * (SlottedPage.slotCount(c) + 1));
    }

    /**
     * Finds room for a stored record: a page the free-space map suggests (checked on the page: the
     * map is a hint, and one read from an older meta page did not count the allowance), else a
     * new page.
     */
    private long place(byte[] stored) {
        int need = stored.length + SlottedPage.SLOT_SIZE;
        for (int attempt = 0; attempt < 4; attempt++) {
            long page = freeSpace.find(need);
            if (page == 0) {
                break;
            }
            try (PageCursor c = pager.write(page)) {
                // Without an allowance the insert's own fit check is the whole check (and no second
                // scan of the slot directory on the insert path).
                int slot = growthPerRecord == 0 || roomForInserts(c) >= need ? SlottedPage.insert(c, stored) : -1;
                freeSpace.update(page, roomForInserts(c));
                if (slot >= 0) {
                    return RecordPointer.of(page, slot);
                }
            }
        }
        long page = addPage();
        try (PageCursor c = pager.write(page)) {
            int slot = SlottedPage.insert(c, stored);
            freeSpace.update(page, roomForInserts(c));
            if (slot < 0) {
                throw new IllegalStateException("a record of " + stored.length + " bytes does not fit an empty page");
            }
            return RecordPointer.of(page, slot);
        }
    }

    /** A new page at the head of the store's chain; the chain head is recorded in the meta page at once. */
    private long addPage() {
        long page = pager.allocate(PageType.SLOTTED);
        try (PageCursor c = pager.write(page)) {
            SlottedPage.format(c, storeId, head);
        }
        head = page;
        pageCount++;
        try (PageCursor c = pager.write(meta.page())) {
            c.putLong(META_HEAD_OFFSET, head);
            c.putLong(META_PAGES_OFFSET, pageCount);
        }
        return page;
    }
}
