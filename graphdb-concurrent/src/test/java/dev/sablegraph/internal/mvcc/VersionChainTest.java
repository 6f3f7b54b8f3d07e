package dev.sablegraph.internal.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VersionChainTest {
    @Test
    void snapshotsSeeTheStateOfTheirTime() {
        VersionChain<String> c = new VersionChain<>();
        // Created at 5 (absent before), updated at 8 and 12, deleted at 20.
        c.push(5, null, 0, false);   // store now holds "v5"
        c.push(8, "v5", 0, false);   // store now holds "v8"
        c.push(12, "v8", 0, false);  // store now holds "v12"
        assertNull(c.visibleAt(4, "v12"), "before creation");
        assertEquals("v5", c.visibleAt(5, "v12"));
        assertEquals("v5", c.visibleAt(7, "v12"));
        assertEquals("v8", c.visibleAt(11, "v12"));
        assertEquals("v12", c.visibleAt(12, "v12"));
        c.push(20, "v12", 0, true);  // deleted; store still holds "v12" until purged
        assertEquals("v12", c.visibleAt(19, "v12"));
        assertNull(c.visibleAt(20, "v12"), "deleted");
        assertTrue(c.isDeleted());
    }

    @Test
    void existsAtAgreesWithVisibleAtWithoutTheStoreState() {
        VersionChain<String> c = new VersionChain<>();
        c.push(5, null, 0, false);
        c.push(8, "v5", 0, false);
        c.push(20, "v8", 0, true); // deleted; the store still holds "v8" until purged
        for (long s = 0; s <= 25; s++) {
            assertEquals(c.visibleAt(s, "v8") != null, c.existsAt(s), "snapshot " + s);
            assertEquals(s >= 20, VersionChain.seesStoreState(c.latestTs(), s), "snapshot " + s);
        }
        assertTrue(VersionChain.seesStoreState(0, 1), "no chain: the store state committed before every snapshot");
    }

    @Test
    void aCreationHoldsNoVersionYetHidesTheEntityFromEarlierSnapshots() {
        VersionChain<String> c = new VersionChain<>();
        c.push(5, null, 0, false);
        assertEquals(0, c.length());
        assertFalse(c.hasOlderState());
        assertNull(c.malformation(5));
        assertNull(c.visibleAt(4, "v5"));
        assertFalse(c.existsAt(4));
        assertEquals("v5", c.visibleAt(5, "v5"));
        assertEquals(0, c.prune(4), "nothing to cut");
        assertNull(c.visibleAt(4, "v5"), "still hidden after a prune");
        c.push(7, "v5", 0, false);
        assertNull(c.visibleAt(4, "v7"));
        assertEquals("v5", c.visibleAt(6, "v7"));
        assertEquals("v7", c.visibleAt(7, "v7"));
    }

    @Test
    void stateOlderThanEverySnapshotIsTaggedZero() {
        VersionChain<String> c = new VersionChain<>();
        c.push(9, "old", 0, false);
        assertEquals("old", c.visibleAt(1, "new"));
        assertEquals("new", c.visibleAt(9, "new"));
    }

    @Test
    void pruneKeepsWhatSnapshotsAtTheHorizonNeed() {
        VersionChain<String> c = new VersionChain<>();
        c.push(5, null, 0, false);
        for (int ts = 6; ts <= 100; ts++) {
            c.push(ts, "v" + (ts - 1), 0, false);
        }
        assertEquals(95, c.length(), "the creation holds no version");
        assertEquals(2, c.prune(98), "keeps v98 (valid 98..99) and v99");
        assertEquals("v98", c.visibleAt(98, "v100"));
        assertEquals("v99", c.visibleAt(99, "v100"));
        assertFalse(c.isObsolete(99));
        assertTrue(c.isObsolete(100));
    }
}
