package dev.sablegraph.internal.storage;

import dev.sablegraph.core.CorruptionException;

/**
 * The meta page of a structure kept in the data file (a record store, an id map, a B+tree): a
 * {@link PageType#META} page reached through a root slot of the file header, whose first payload
 * byte, its {@link MetaPageKind}, says which structure it belongs to. The one place that finds or
 * creates such a page, checks its kind and hooks its owner into the pager's flushes.
 *
 * <p>Use: {@link #open}; if {@link #isNew()}, format the rest of the page, else read it and pass
 * the type and kind read with it (in the same optimistic read) to {@link #checkKind}; then
 * {@link #attach} the owner's flush hook.
 *
 * <p>Why a new page is linked into its slot only by {@code attach}: a slot must never lead to a
 * page its owner has not formatted yet.
 */
public final class MetaPage {
    /** The kind byte: the first byte after the common page header. */
    public static final int KIND_OFFSET = PageLayout.HEADER_SIZE;

    private final Pager pager;
    private final int rootSlot;
    private final MetaPageKind kind;
    private final long page;
    private final boolean created;
    /** For corruption messages: built once, not on every check. */
    private final String context;

    private MetaPage(Pager pager, int rootSlot, MetaPageKind kind, long page, boolean created) {
        this.pager = pager;
        this.rootSlot = rootSlot;
        this.kind = kind;
        this.page = page;
        this.created = created;
        this.context = "root slot " + rootSlot;
    }

    /**
     * The meta page in root slot {@code rootSlot}; when the slot is empty, a new META page with
     * {@code kind} written, not yet linked into the slot. No cursor may be open (it may allocate).
     */
    public static MetaPage open(Pager pager, int rootSlot, MetaPageKind kind) {
        long page = pager.root(rootSlot);
        if (page != 0) {
            return new MetaPage(pager, rootSlot, kind, page, false);
        }
        page = pager.allocate(PageType.META);
        try (PageCursor c = pager.write(page)) {
            c.putByte(KIND_OFFSET, kind.code());
        }
        return new MetaPage(pager, rootSlot, kind, page, true);
    }

    public long page() {
        return page;
    }

    /** True when {@link #open} created the page: its owner formats it rather than reads it. */
    public boolean isNew() {
        return created;
    }

    /**
     * Checks what the owner read from this page before trusting the rest of it.
     *
     * @throws CorruptionException when the slot leads to a page of another type or kind
     */
    public void checkKind(PageType type, byte storedKind) {
        requireKind(pager, page, type, storedKind, kind, context);
    }

    /**
     * Links a new page into its root slot (the owner has formatted it by now) and runs
     * {@code flushHook} at the start of every pager flush from now on, so that the owner writes
     * the counters it keeps in memory into the page.
     */
    public void attach(Runnable flushHook) {
        if (created) {
            pager.setRoot(rootSlot, page);
        }
        pager.addFlushHook(flushHook);
    }

    /**
     * The kind check for any meta page, also one reached through a link rather than a root slot.
     * {@code context} says whose page was expected, for the message.
     *
     * @throws CorruptionException unless {@code type} is META and {@code storedKind} is {@code want}
     */
    public static void requireKind(Pager pager, long page, PageType type, byte storedKind, MetaPageKind want,
            String context) {
        if (type != PageType.META || storedKind != want.code()) {
            String found = type != PageType.META ? "a page of type " + type : MetaPageKind.describe(storedKind);
            throw new CorruptionException(pager.path(), page, "expected " + want.description() + " (" + context
                    + "), found " + found);
        }
    }
}
