package dev.sablegraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sable gremlin}: queries on the sample database, writes, errors the console survives, {@code -e}. */
class GremlinCommandTest {
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

    private Cli console(String... lines) {
        return Cli.runWithInput(String.join("\n", lines) + "\n", "gremlin", db.toString());
    }

    @Test
    void queriesPrintOneResultPerLine() {
        Cli r = console("g.V().count()", "", "g.V().has('name','Alan Turing').out('KNOWS').values('name').order()",
                "g.V().has('name','Ada Lovelace').label()", "g.E().values('since').dedup().order().toList()");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("6\nAda Lovelace\nJohn von Neumann, Jr.\nMathematician::Person\n1936\n1944\n1970\n1972\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void aWriteIsCommittedAndReadByTheNextLineAndTheNextRun() {
        Cli r = console("g.addV('Person').property('name','Tony Hoare').property('born',1934).values('name')",
                "g.V().has('Person','name','Tony Hoare').values('born')");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("Tony Hoare\n1934\n", r.out());
        Cli again = Cli.run("gremlin", db.toString(), "-e", "g.V().count()");
        assertEquals(0, again.exit(), again::toString);
        assertEquals("7\n", again.out());
    }

    @Test
    void aBadLineIsReportedRolledBackAndTheConsoleGoesOn() {
        Cli r = console("g.V(.count()",
                "g.addV('Temp').property('name','gone').fail('stop here')",
                "g.V().hasLabel('Temp').count()",
                "g.V().count()");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("0\n6\n", r.out(), "the failed write left nothing; later lines ran");
        String[] errors = r.err().split("\n");
        assertEquals(2, errors.length, r::toString);
        assertTrue(errors[0].startsWith("sable gremlin: line 1: ") && errors[0].endsWith("(rolled back)"), r::toString);
        assertTrue(errors[1].startsWith("sable gremlin: line 2: ") && errors[1].contains("stop here"), r::toString);
    }

    @Test
    void evalRunsOneQuery() {
        Cli r = Cli.run("gremlin", db.toString(), "-e", "g.E().count()");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("6\n", r.out());
        Cli bad = Cli.run("gremlin", db.toString(), "-e", "g.V().nosuchstep()");
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.err().startsWith("sable gremlin: "), bad::toString);
        assertEquals("", bad.out());
    }

    @Test
    void onlyADatabaseIsOpenedUnlessCreateIsGiven() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Cli r = Cli.run("gremlin", empty.toString(), "-e", "g.V().count()");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("is not a database"), r::toString);
        try (var entries = Files.list(empty)) {
            assertEquals(0, entries.count(), "nothing created in it");
        }
        Path created = dir.resolve("new");
        Cli c = Cli.run("gremlin", "--create", created.toString(), "-e", "g.addV('a').count()");
        assertEquals(0, c.exit(), c::toString);
        assertEquals("1\n", c.out());
        assertFalse(Cli.run("gremlin", created.toString(), "-e", "g.V().count()").out().isEmpty());
    }
}
