package dev.sablegraph.internal.wal;

import dev.sablegraph.internal.storage.InterruptSafeChannel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names and listing of the segment files in a log directory: {@code wal-<first LSN as 16 hex
 * digits>.log}, so that the names sort in log order. A segment under construction is
 * {@code wal-<16 hex>.log.tmp} until it is complete and forced; left-overs of a crash are deleted
 * when the log is opened.
 */
final class SegmentFiles {
    private static final Pattern NAME = Pattern.compile("wal-([0-7][0-9a-f]{15})\\.log");
    private static final Pattern TEMPORARY = Pattern.compile("wal-[0-9a-f]{16}\\.log\\.tmp");

    private SegmentFiles() {}

    /** A segment file and the LSN its name gives for its first record. */
    record Segment(long firstLsn, Path path) {}

    static Path path(Path directory, long firstLsn) {
        return directory.resolve(name(firstLsn));
    }

    static Path temporaryPath(Path directory, long firstLsn) {
        return directory.resolve(name(firstLsn) + ".tmp");
    }

    private static String name(long firstLsn) {
        return String.format(Locale.ROOT, "wal-%016x.log", firstLsn);
    }

    /** The segments of {@code directory} in log order; empty if the directory does not exist. */
    static List<Segment> list(Path directory) throws IOException {
        List<Segment> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path p : files) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(new Segment(Long.parseLong(m.group(1), 16), p));
                }
            }
        }
        out.sort(Comparator.comparingLong(Segment::firstLsn));
        return out;
    }

    static void deleteTemporaries(Path directory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path p : files) {
                if (TEMPORARY.matcher(p.getFileName().toString()).matches()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Forces the directory, so that a rename or deletion in it survives a crash. Platforms that
     * cannot open a directory as a channel (Windows) skip it; a failing force is reported.
     */
    static void syncDirectory(Path directory, ChannelFactory factory) throws IOException {
        FileChannel dir;
        try {
            dir = InterruptSafeChannel.open(factory::open, directory, StandardOpenOption.READ);
        } catch (IOException e) {
            return;
        }
        try (dir) {
            dir.force(true);
        }
    }
}
