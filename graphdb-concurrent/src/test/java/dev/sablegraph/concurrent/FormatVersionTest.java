package dev.sablegraph.concurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.core.IncompatibleFormatException;
import dev.sablegraph.internal.storage.FileHeader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data file's format version (docs/file-format.md, "Versions and upgrades"): an older format
 * is upgraded in place when a writable database opens it; a format this build cannot read is
 * refused at once, naming both versions, and the directory is left exactly as it was.
 */
class FormatVersionTest {
    /** The header's format version field (docs/file-format.md, "Page 0"). */
    private static final int VERSION_OFFSET = 24;

    @TempDir
    Path dir;

    @Test
    void aFormat1DatabaseIsUpgradedWhenOpened() throws IOException {
        Path db = FormatFixtureTest.unzip("/fixtures/format-1/clean.zip", dir.resolve("db"));
        assertEquals(1, formatVersion(db));
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db)) {
            // upgraded before open returns: no commit of this build is logged under the old number
            assertEquals(FileHeader.FORMAT_VERSION, formatVersion(db));
        }
        assertEquals(FileHeader.FORMAT_VERSION, formatVersion(db));
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db); Transaction tx = graph.begin()) {
            assertEquals(20, tx.nodesByLabel("Person").size());
        }
    }

    @Test
    void aNewDatabaseIsWrittenInTheCurrentFormat() throws IOException {
        Path db = dir.resolve("new");
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db); Transaction tx = graph.begin()) {
            tx.addNode(Set.of("A"), Map.of());
            tx.commit();
        }
        assertEquals(FileHeader.FORMAT_VERSION, formatVersion(db));
    }

    @Test
    void aNewerFormatIsRefusedNamingBothVersionsAndNothingChanges() throws IOException {
        Path db = FormatFixtureTest.unzip("/fixtures/format-1/crashed.zip", dir.resolve("db"));
        int newer = FileHeader.FORMAT_VERSION + 1;
        setFormatVersion(db, newer);
        Map<String, byte[]> before = contents(db);

        IncompatibleFormatException e = assertThrows(IncompatibleFormatException.class,
                () -> ConcurrentGraphDB.open(db));
        assertEquals(newer, e.foundVersion());
        assertTrue(e.getMessage().contains("format " + newer), e.getMessage());
        assertTrue(e.getMessage().contains(FileHeader.OLDEST_READABLE_VERSION + " to "
                + FileHeader.FORMAT_VERSION), e.getMessage());
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
        assertTrue(e.getMessage().contains(db.resolve("data.sable").toString()), e.getMessage());
        Map<String, byte[]> after = contents(db);
        assertEquals(before.keySet(), after.keySet(), "no file added or removed");
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " changed"));
    }

    @Test
    void aFormatOlderThanAnyReadableOneIsRefused() throws IOException {
        Path db = FormatFixtureTest.unzip("/fixtures/format-1/clean.zip", dir.resolve("db"));
        setFormatVersion(db, 0);
        IncompatibleFormatException e = assertThrows(IncompatibleFormatException.class,
                () -> ConcurrentGraphDB.open(db));
        assertEquals(0, e.foundVersion());
        assertTrue(e.getMessage().contains("older"), e.getMessage());
        assertFalse(Files.exists(db.resolve("LOCK")) && lockHeld(db));
    }

    private static boolean lockHeld(Path db) {
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db)) {
            return false;
        } catch (IncompatibleFormatException stillRefused) {
            return false; // refused for its format, not for a lock left behind
        } catch (RuntimeException other) {
            return true;
        }
    }

    static int formatVersion(Path db) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(db.resolve("data.sable").toFile(), "r")) {
            f.seek(VERSION_OFFSET);
            return f.readInt();
        }
    }

    private static void setFormatVersion(Path db, int version) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(db.resolve("data.sable").toFile(), "rw")) {
            f.seek(VERSION_OFFSET);
            f.writeInt(version);
        }
    }

    private static Map<String, byte[]> contents(Path db) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(db)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p)) {
                    files.put(db.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }
}
