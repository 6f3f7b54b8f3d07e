package dev.sablegraph.concurrent;

import dev.sablegraph.core.mvcc.SnapshotRegistry;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The open transactions of one database: their snapshots (the {@link SnapshotRegistry} the
 * collector's horizon comes from) and their leases, by registry slot, so that the database can
 * list them, abort those held open too long, and take back those dropped without {@code close()}.
 *
 * <p>Why a cleaner: a transaction that is never closed would hold the collection horizon forever,
 * so that one forgotten {@code begin()} grows memory (every version since) and the store (deleted
 * entities, stale index entries) without bound. Once the application can no longer reach it, its
 * writes can never commit, so releasing its snapshot is exactly a rollback.
 */
final class OpenTransactions {
    /** One cleaner thread for every database of the process. */
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "sable-transaction-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final SnapshotRegistry registry;
    /** The lease of each occupied slot; written by its owner between register and release. */
    private final AtomicReferenceArray<TransactionLease> leases;
    final LongAdder abandonedCount = new LongAdder();
    final LongAdder expiredCount = new LongAdder();

    OpenTransactions(int capacity) {
        this.registry = new SnapshotRegistry(capacity);
        this.leases = new AtomicReferenceArray<>(capacity);
    }

    /** Registers a snapshot of {@code visible} for {@code transaction} and watches it for abandonment. */
    TransactionLease begin(LongSupplier visible) {
        SnapshotRegistry.Snapshot snapshot = registry.register(visible);
        TransactionLease lease = new TransactionLease(this, snapshot, System.nanoTime(), Thread.currentThread().getName());
        leases.set(snapshot.slot(), lease);
        return lease;
    }

    /** Watches {@code transaction}: once unreachable, its lease is released. */
    static Cleaner.Cleanable watch(Object transaction, TransactionLease lease) {
        return CLEANER.register(transaction, lease);
    }

    void released(TransactionLease lease) {
        // The slot's lease is cleared before the slot is freed: afterwards a new owner may set its own.
        leases.compareAndSet(lease.snapshot.slot(), lease, null);
        registry.release(lease.snapshot);
    }

    /** Aborts every transaction open longer than {@code maxAgeNanos}; returns how many. */
    int expireOlderThan(long maxAgeNanos) {
        long now = System.nanoTime();
        int n = 0;
        for (int i = 0; i < leases.length(); i++) {
            TransactionLease l = leases.get(i);
            if (l != null && now - l.beganNanos > maxAgeNanos) {
                l.expire();
                n++;
            }
        }
        return n;
    }

    /** The open transactions, oldest first. */
    List<OpenTransaction> list() {
        long now = System.nanoTime();
        List<OpenTransaction> out = new ArrayList<>();
        for (int i = 0; i < leases.length(); i++) {
            TransactionLease l = leases.get(i);
            if (l != null) {
                out.add(new OpenTransaction(l.snapshot.timestamp(), (now - l.beganNanos) / 1_000_000, l.threadName));
            }
        }
        out.sort((a, b) -> Long.compare(b.ageMillis(), a.ageMillis()));
        return out;
    }

    /** Age of the oldest open transaction in milliseconds, 0 when none is open. */
    long oldestAgeMillis() {
        long now = System.nanoTime();
        long oldest = 0;
        for (int i = 0; i < leases.length(); i++) {
            TransactionLease l = leases.get(i);
            if (l != null) {
                oldest = Math.max(oldest, (now - l.beganNanos) / 1_000_000);
            }
        }
        return oldest;
    }

    long oldestSnapshot(long visibleNow) {
        return registry.oldest(visibleNow);
    }

    int active() {
        return registry.active();
    }
}
