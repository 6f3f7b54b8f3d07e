package dev.sablegraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sable check}, {@code stats} and {@code backup} on a small database, and their failures. */
class CheckStatsBackupTest {
    @TempDir
    Path dir;

    private Path db;

    @BeforeEach
    void sample() {
        db = dir.resolve("db");
        Cli r = Cli.run("import", "--into", db.toString(), "--nodes=Person=" + ImportCommandTest.SAMPLE.resolve("persons.csv"),
                "--relationships=KNOWS=" + ImportCommandTest.SAMPLE.resolve("knows.csv"));
        assertEquals(0, r.exit(), r::toString);
    }

    @Test
    void checkPrintsTheReportAndExits0WhenClean() {
        Cli r = Cli.run("check", db.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("CLEAN: no problems found"), r.out());
        assertTrue(r.out().matches("(?s).*nodes +6\n.*edges +6\n.*"), r.out());
    }

    @Test
    void checkExits1OnDamage() throws IOException {
        // one bit flipped in each data page after the file header: checksums no longer match
        try (RandomAccessFile f = new RandomAccessFile(db.resolve("data.sable").toFile(), "rw")) {
            for (long page = 1; page < 20; page++) {
                f.seek(page * 8192 + 100);
                int b = f.read();
                f.seek(page * 8192 + 100);
                f.write(b ^ 1);
            }
        }
        Cli r = Cli.run("check", db.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("DAMAGED"), r::toString);
    }

    @Test
    void statsCountsLabelsTypesDegreesAndFiles() {
        Cli r = Cli.run("stats", db.toString());
        assertEquals(0, r.exit(), r::toString);
        String out = r.out();
        assertTrue(out.contains("  nodes  6\n  edges  6\n"), out);
        assertTrue(out.matches("(?s).*Nodes by label\n  ComputerScientist +4\n  Mathematician +3\n  Person +6\n.*"), out);
        assertTrue(out.matches("(?s).*Edges by type\n  KNOWS +6\n.*"), out);
        assertTrue(out.contains("max 3, mean 2.00"), out);
        assertTrue(out.matches("(?s).*  data.sable +[0-9.]+ MiB\n.*"), out);
        assertTrue(out.contains("Page cache: the data file is"), out);
    }

    @Test
    void backupCopiesADatabaseThatOpensOnItsOwn() {
        Path copy = dir.resolve("copy");
        Cli r = Cli.run("backup", "--from", db.toString(), "--to", copy.toString());
        assertEquals(0, r.exit(), r::toString);
        try (ConcurrentGraphDB original = ConcurrentGraphDB.open(db); ConcurrentGraphDB backup = ConcurrentGraphDB.open(copy);
                Transaction a = original.begin(); Transaction b = backup.begin()) {
            assertTrue(backup.checkIntegrity().isClean());
            assertEquals(a.nodesByLabel("Person"), b.nodesByLabel("Person"));
            for (long id = 0; id < 6; id++) {
                assertEquals(a.edges(id, Direction.OUTGOING, null), b.edges(id, Direction.OUTGOING, null));
            }
            // the copy is a database of its own
            b.addNode(Set.of("OnlyInTheCopy"), Map.of());
            b.commit();
            assertEquals(0, a.nodesByLabel("OnlyInTheCopy").size());
        }
        Cli again = Cli.run("backup", "--from", db.toString(), "--to", copy.toString());
        assertEquals(1, again.exit(), again::toString);
        assertTrue(again.err().contains("exists"), again::toString);
    }

    @Test
    void backupOfAnOpenDatabaseIsRefused() {
        Path copy = dir.resolve("copy");
        try (ConcurrentGraphDB open = ConcurrentGraphDB.open(db)) {
            Cli r = Cli.run("backup", "--from", db.toString(), "--to", copy.toString());
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.err().contains("already open"), r::toString);
        }
        assertFalse(Files.exists(copy));
    }

    @Test
    void aDirectoryWithoutADatabaseIsRefusedAndLeftAlone() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        for (String[] args : new String[][] {{"check", empty.toString()}, {"stats", empty.toString()},
                {"export", "--from", empty.toString(), "--to", dir.resolve("out").toString(), "--format", "csv"},
                {"backup", "--from", empty.toString(), "--to", dir.resolve("b").toString()},
                {"check", dir.resolve("missing").toString()}}) {
            Cli r = Cli.run(args);
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.err().contains("is not a database"), r::toString);
        }
        try (var entries = Files.list(empty)) {
            assertEquals(0, entries.count(), "nothing created in it");
        }
        assertFalse(Files.exists(dir.resolve("missing")));
    }
}
