package dev.sablegraph.internal.mvcc;

import dev.sablegraph.core.GraphException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertThrows;
import org.junit.jupiter.api.Timeout;

class SnapshotRegistryTest {
    @Test
    void oldestIsTheMinimumOfRegisteredSnapshots() {
        AtomicLong clock = new AtomicLong(10);
        SnapshotRegistry r = new SnapshotRegistry(4);
        SnapshotRegistry.Snapshot a = r.register(clock::get);
        clock.set(15);
        SnapshotRegistry.Snapshot b = r.register(clock::get);
        clock.set(20);
        assertEquals(10, r.oldest(clock.get()));
        assertEquals(2, r.active());
        r.release(a);
        assertEquals(15, r.oldest(clock.get()));
        r.release(b);
        assertEquals(20, r.oldest(clock.get()));
        assertEquals(0, r.active());
    }

    @Test
    @Timeout(30)
    void aFullRegistryRefusesAtOnceAndWorksAgainAfterARelease() {
        AtomicLong clock = new AtomicLong(1);
        SnapshotRegistry r = new SnapshotRegistry(3);
        List<SnapshotRegistry.Snapshot> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(r.register(clock::get));
        }
        GraphException e = assertThrows(GraphException.class, () -> r.register(clock::get));
        assertTrue(e.getMessage().contains("all 3"), e.getMessage());
        r.release(held.remove(1));
        held.add(r.register(clock::get));
        assertEquals(3, r.active());
    }

    /**
     * The collector's horizon never passes a snapshot that is registered, however registration and
     * the collector interleave: the property the reclamation protocol rests on.
     */
    @Test
    @Timeout(60)
    void horizonNeverPassesALiveSnapshot() throws Exception {
        AtomicLong clock = new AtomicLong(1);
        SnapshotRegistry r = new SnapshotRegistry(16);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong[] live = new AtomicLong[4];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < live.length; t++) {
            AtomicLong mine = live[t] = new AtomicLong(Long.MAX_VALUE);
            threads.add(new Thread(() -> {
                while (!stop.get()) {
                    SnapshotRegistry.Snapshot s = r.register(clock::get);
                    mine.set(s.timestamp());
                    Thread.onSpinWait();
                    mine.set(Long.MAX_VALUE);
                    r.release(s);
                }
            }));
        }
        threads.add(new Thread(() -> {
            while (!stop.get()) {
                clock.incrementAndGet();
            }
        }));
        threads.add(new Thread(() -> {
            for (int i = 0; i < 200_000 && failure.get() == null; i++) {
                long h = r.oldest(clock.get());
                for (AtomicLong l : live) {
                    long s = l.get();
                    // A snapshot published before the horizon was computed and still live must be >= it.
                    if (s != Long.MAX_VALUE && s < h && l.get() == s && stillRegistered(r, s)) {
                        failure.set("horizon " + h + " passed live snapshot " + s);
                    }
                }
            }
            stop.set(true);
        }));
        threads.forEach(Thread::start);
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(null, failure.get());
        assertTrue(clock.get() > 1);
    }

    private static boolean stillRegistered(SnapshotRegistry r, long s) {
        return r.oldest(Long.MAX_VALUE) <= s;
    }
}
