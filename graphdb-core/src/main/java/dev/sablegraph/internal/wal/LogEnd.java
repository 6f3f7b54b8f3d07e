package dev.sablegraph.internal.wal;

import java.nio.file.Path;

/**
 * Where the valid log ends, as found by a {@link LogReader}: the writer continues there,
 * overwriting whatever torn bytes follow.
 *
 * @param lsn the LSN after the last valid record: the next record's LSN
 * @param segment the last segment file, or null when the directory holds no segment
 * @param offset the file offset in {@code segment} that {@code lsn} corresponds to
 * @param dirtyEnd the offset just past the last non-zero byte at or after {@code offset}; bytes
 *     [offset, dirtyEnd) are left-overs of a torn write and are zeroed before the log is appended
 *     to, so that a later scan does not take them for records
 * @param damage null if the log ends cleanly (an end mark followed by zeros); otherwise what was
 *     found at the end (a torn tail: a record cut short, failing its checksum, or stray bytes)
 */
public record LogEnd(long lsn, Path segment, long offset, long dirtyEnd, String damage) {
    public boolean tornTail() {
        return damage != null;
    }
}
