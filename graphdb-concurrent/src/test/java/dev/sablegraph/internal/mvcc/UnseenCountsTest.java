package dev.sablegraph.internal.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Which stored entities each snapshot does not see, by the commit timestamps that created and deleted them. */
class UnseenCountsTest {
    @Test
    void creationsHideFromOlderSnapshotsAndDeletionsFromNewerOnesUntilPurged() {
        UnseenCounts unseen = new UnseenCounts();
        unseen.created(3, 2);
        unseen.created(5, 1);
        unseen.deleted(5); // of an entity created long ago
        unseen.created(6, 1);
        unseen.deleted(7); // the one created at 6
        // snapshot:              2  3  4  5  6  7  8
        assertEquals(List.of(4L, 2L, 2L, 2L, 1L, 2L, 2L), at(unseen, 2, 8));
        unseen.purged(5);
        assertEquals(List.of(4L, 2L, 2L, 1L, 0L, 1L, 1L), at(unseen, 2, 8));
        unseen.forgetCreatedUpTo(5); // no snapshot older than 5 is left
        assertEquals(List.of(1L, 0L, 1L), at(unseen, 5, 7));
        unseen.purged(7);
        unseen.forgetCreatedUpTo(7);
        assertEquals(0, unseen.unseenAt(7));
        assertEquals(0, unseen.awaitingPurge());
    }

    private static List<Long> at(UnseenCounts unseen, long from, long to) {
        return LongStream.rangeClosed(from, to).map(unseen::unseenAt).boxed().toList();
    }
}
