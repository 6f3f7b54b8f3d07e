package dev.sablegraph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sablegraph.concurrent.ConcurrentGraphDB;
import dev.sablegraph.concurrent.Transaction;
import dev.sablegraph.core.Direction;
import dev.sablegraph.core.Edge;
import dev.sablegraph.core.IntegrityReport;
import dev.sablegraph.core.Node;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sable import}: what it builds opens with {@link ConcurrentGraphDB} and checks clean, and
 * holds what the files said; every kind of bad input is exit code 1 with a message naming file,
 * line and column, and leaves no database behind; a bad command line is exit code 2.
 */
class ImportCommandTest {
    /** The sample shipped for the README's quick start. */
    static final Path SAMPLE = Path.of("..", "docs", "sample");

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path db() {
        return dir.resolve("db");
    }

    /** Every node by id; the import numbers nodes from 0 in file order. */
    private static List<Node> nodes(Transaction tx) {
        List<Node> out = new java.util.ArrayList<>();
        for (long id = 0; tx.getNode(id).isPresent(); id++) {
            out.add(tx.getNode(id).orElseThrow());
        }
        return out;
    }

    private static void assertClean(Path db) {
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db)) {
            IntegrityReport report = graph.checkIntegrity();
            assertTrue(report.isClean(), report::toString);
        }
    }

    // ------------------------------------------------------------------ successful imports

    @Test
    void theSampleImportsAndOpensClean() throws IOException {
        Cli r = Cli.run("import", "--into", db().toString(), "--nodes=Person=" + SAMPLE.resolve("persons.csv"),
                "--relationships=KNOWS=" + SAMPLE.resolve("knows.csv"));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("nodes                       6"), r.out());
        assertClean(db());
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db()); Transaction tx = graph.begin()) {
            assertEquals(6, tx.nodesByLabel("Person").size());
            Node alan = tx.findNodes("Person", "personId", "alan").get(0);
            assertEquals(Set.of("Person", "Mathematician", "ComputerScientist"), alan.labels());
            assertEquals(Map.of("personId", "alan", "name", "Alan Turing", "born", 1912L), alan.properties());
            List<Edge> knows = tx.edges(alan.id(), Direction.OUTGOING, "KNOWS");
            assertEquals(2, knows.size());
            Edge toAda = knows.stream().filter(e -> e.to() == 0).findFirst().orElseThrow();
            assertEquals(Map.of("since", 1936L, "note", "read her \"Notes\" on the Analytical Engine"), toAda.properties());
            assertEquals("John von Neumann, Jr.", tx.findNodes("Person", "personId", "john").get(0).properties().get("name"));
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(db()), left.toList(), "nothing but the database is left beside it");
        }
    }

    @Test
    void typesGroupsSeveralFilesGzipAndDelimiters() throws IOException {
        file("people-header.csv", "id:ID(P)|name|age:int|score:double|ok:boolean|raw:byte[]|tiny:byte|s:short|c:char"
                + "|f:float|big:long|:LABEL|skip:IGNORE\n");
        file("people-1.csv", "1|Ann|30|1.5|true|1,2,-3|7|300|x|0.5|9000000000|A,B|junk\n"
                + "2||||false|\"\"||||||\"\"|junk\n");
        Path gz = dir.resolve("people-2.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("3|\"\"| 41 |NaN|FALSE||||||||\n".getBytes(StandardCharsets.UTF_8));
        }
        file("cities.csv", "code:ID(City)|name\nP|Paris\n1|One\n");
        file("lives.csv", ":START_ID(P)|:END_ID(City)|:TYPE|since:int\n1|P|LIVES_IN|2001\n2|1||\n");
        Cli r = Cli.run("import", "--into", db().toString(), "--delimiter", "|", "--array-delimiter", ",",
                "--nodes=Person:Human=" + dir.resolve("people-header.csv") + "," + dir.resolve("people-1.csv") + ","
                        + gz,
                "--nodes", "City=" + dir.resolve("cities.csv"),
                "--relationships=VISITED=" + dir.resolve("lives.csv"));
        assertEquals(0, r.exit(), r::toString);
        assertClean(db());
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db()); Transaction tx = graph.begin()) {
            List<Node> nodes = nodes(tx);
            assertEquals(5, nodes.size());
            Node ann = nodes.get(0);
            assertEquals(Set.of("Person", "Human", "A", "B"), ann.labels());
            assertEquals("Ann", ann.properties().get("name"));
            assertEquals(30L, ann.properties().get("age"));
            assertEquals(1.5, ann.properties().get("score"));
            assertEquals(true, ann.properties().get("ok"));
            assertArrayEquals(new byte[] {1, 2, -3}, (byte[]) ann.properties().get("raw"));
            assertEquals(7L, ann.properties().get("tiny"));
            assertEquals(300L, ann.properties().get("s"));
            assertEquals("x", ann.properties().get("c"));
            assertEquals(0.5, ann.properties().get("f"));
            assertEquals(9000000000L, ann.properties().get("big"));
            assertFalse(ann.properties().containsKey("skip"));
            Node second = nodes.get(1);
            assertEquals(Set.of("Person", "Human"), second.labels());
            assertEquals(Set.of("id", "ok", "raw"), second.properties().keySet(), "empty fields are no value");
            assertArrayEquals(new byte[0], (byte[]) second.properties().get("raw"));
            Node third = nodes.get(2);
            assertEquals("", third.properties().get("name"), "\"\" is the empty string");
            assertEquals(41L, third.properties().get("age"));
            assertTrue(Double.isNaN((Double) third.properties().get("score")));
            assertEquals(false, third.properties().get("ok"));
            assertEquals(Map.of("code", "P", "name", "Paris"), nodes.get(3).properties());
            assertEquals(Set.of("City"), nodes.get(3).labels());
            List<Edge> edges = tx.edges(0, Direction.OUTGOING, null);
            assertEquals(List.of(new Edge(0, 0, 3, "LIVES_IN", Map.of("since", 2001L))), edges);
            assertEquals(List.of(new Edge(1, 1, 4, "VISITED", Map.of())), tx.edges(1, Direction.OUTGOING, null),
                    "ids are per group: 1 in City is the city One; an empty :TYPE takes the option's type");
        }
    }

    @Test
    void arrayColumnsImportAsLists() throws IOException {
        file("n.csv", ":ID,names:string[],ns:int[],fs:double[],bs:boolean[],empty:long[]\n"
                + "1,a;b;;c,1;2;3,0.5;-1,true;false,\"\"\n");
        Cli r = Cli.run("import", "--into", db().toString(), "--nodes=" + dir.resolve("n.csv"));
        assertEquals(0, r.exit(), r::toString);
        assertClean(db());
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db()); Transaction tx = graph.begin()) {
            assertEquals(Map.of("names", List.of("a", "b", "", "c"), "ns", List.of(1L, 2L, 3L), "fs", List.of(0.5, -1.0),
                    "bs", List.of(true, false), "empty", List.of()), tx.getNode(0).orElseThrow().properties());
        }
    }

    @Test
    void skippedDuplicatesAndBadRelationshipsAreCountedAndListed() throws IOException {
        Path n = file("n.csv", ":ID,name\na,first\nb,B\na,second\n");
        Path e = file("e.csv", ":START_ID,:END_ID,:TYPE\na,b,T\na,nobody,T\nghost,b,T\nb,a,T\n");
        Cli r = Cli.run("import", "--into", db().toString(), "--nodes=" + n, "--relationships=" + e,
                "--skip-duplicate-nodes", "--skip-bad-relationships");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("skipped: 1 duplicate node(s), 2 bad relationship(s)"), r.out());
        assertTrue(r.out().contains(n + ":4:1: duplicate node id 'a'"), r.out());
        assertTrue(r.out().contains(e + ":3:2: relationship to a missing node: end id 'nobody'"), r.out());
        assertTrue(r.out().contains(e + ":4:1: relationship to a missing node: start id 'ghost'"), r.out());
        assertClean(db());
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db()); Transaction tx = graph.begin()) {
            assertEquals(2, nodes(tx).size());
            assertEquals("first", tx.getNode(0).orElseThrow().properties().get("name"), "the first of duplicates stays");
            assertEquals(2, tx.edges(0, Direction.BOTH, "T").size());
        }
    }

    @Test
    void anEmptyTargetDirectoryIsFilled() throws IOException {
        Files.createDirectory(db());
        Cli r = Cli.run("import", "--into", db().toString(), "--nodes=" + SAMPLE.resolve("persons.csv"));
        assertEquals(0, r.exit(), r::toString);
        assertClean(db());
    }

    // ------------------------------------------------------------------ bad input: exit 1, file:line:column

    /** Imports the given node and relationship files and expects failure with this message. */
    private void assertBadInput(String expectedMessage, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "import";
        all[1] = "--into";
        all[2] = db().toString();
        System.arraycopy(args, 0, all, 3, args.length);
        Cli r = Cli.run(all);
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains(expectedMessage), () -> "expected <" + expectedMessage + "> in\n" + r);
        assertFalse(Files.exists(db()), "a failed import leaves no database directory");
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".db.")),
                    "nor its build directory");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aBadHeaderNamesItsColumn() throws IOException {
        Path n = file("n.csv", ":ID,name,:START_ID\n");
        assertBadInput(n + ":1:3: column ':START_ID': a node file has no :START_ID column", "--nodes=" + n);
        Path g = file("g.csv", "id:ID(Person,name\n");
        assertBadInput(g + ":1:1: column 'id:ID(Person': an id group is written (group)", "--nodes=" + g);
        Path empty = file("empty.csv", "a,,b\n");
        assertBadInput(empty + ":1:2: empty column name", "--nodes=" + empty);
        Path twice = file("twice.csv", ":ID,x:ID\n");
        assertBadInput(twice + ":1:2: column 'x:ID': a second :ID column", "--nodes=" + twice);
        Path none = file("none.csv", "");
        assertBadInput(none + ":1:1: no header", "--nodes=" + none);
        Path nodes = file("nodes.csv", ":ID\n1\n");
        Path rel = file("rel.csv", ":START_ID,since:int\n1,2\n");
        assertBadInput(rel + ":1:1: the relationship header has no :END_ID column", "--nodes=" + nodes,
                "--relationships=T=" + rel);
    }

    @Test
    void anUnknownTypeNamesItsColumn() throws IOException {
        Path n = file("n.csv", ":ID,age:integer\n1,2\n");
        assertBadInput(n + ":1:2: column 'age:integer': unknown type 'integer'", "--nodes=" + n);
    }

    @Test
    void aBadNumberNamesLineAndColumn() throws IOException {
        Path n = file("n.csv", ":ID,name,age:int\n1,a,5\n2,\"multi\nline\",abc\n");
        assertBadInput(n + ":4:3: column 'age:int': 'abc' is not an int", "--nodes=" + n);
        Path big = file("big.csv", ":ID,age:int\n1,3000000000\n");
        assertBadInput(big + ":2:2: column 'age:int': '3000000000' is out of range for int", "--nodes=" + big);
        Path bool = file("bool.csv", ":ID,ok:boolean\n1,yes\n");
        assertBadInput(bool + ":2:2: column 'ok:boolean': 'yes' is not a boolean", "--nodes=" + bool);
        Path element = file("element.csv", ":ID,raw:byte[]\n1,1;x\n");
        assertBadInput(element + ":2:2: element 2 of column 'raw:byte[]': 'x' is not a byte", "--nodes=" + element);
    }

    @Test
    void aMissingIdNamesItsColumn() throws IOException {
        Path n = file("n.csv", "name,:ID\na,1\nb,\n");
        assertBadInput(n + ":3:2: missing node id", "--nodes=" + n);
        Path nodes = file("nodes.csv", ":ID\n1\n");
        Path rel = file("rel.csv", ":START_ID,:END_ID\n1,\n");
        assertBadInput(rel + ":2:2: missing end id", "--nodes=" + nodes, "--relationships=T=" + rel);
    }

    @Test
    void aDuplicateIdFailsWithoutTheSkipOption() throws IOException {
        Path a = file("a.csv", ":ID(G)\nx\ny\n");
        Path b = file("b.csv", "z\nx\n");
        assertBadInput(b + ":2:1: duplicate node id 'x' in id group 'G'", "--nodes=" + a + "," + b);
    }

    @Test
    void anUnterminatedQuoteNamesWhereItOpens() throws IOException {
        Path n = file("n.csv", ":ID,name\n1,ok\n2,\"never closed\n3,more\n");
        assertBadInput(n + ":3:2: unterminated quoted field", "--nodes=" + n);
    }

    @Test
    void aRelationshipToAMissingNodeFailsWithoutTheSkipOption() throws IOException {
        Path nodes = file("nodes.csv", ":ID\n1\n2\n");
        Path rel = file("rel.csv", ":START_ID,:END_ID,:TYPE\n1,2,T\n2,3,T\n");
        assertBadInput(rel + ":3:2: relationship to a missing node: end id '3' is not the id of any node in the"
                + " default id group", "--nodes=" + nodes, "--relationships=" + rel);
    }

    @Test
    void anErrorAfterManyRecordsNamesItsLine() throws IOException {
        // records are read ahead of storing, in batches: an error batches later still names its record
        StringBuilder nodes = new StringBuilder(":ID,n:int\n");
        StringBuilder rels = new StringBuilder(":START_ID,:END_ID,:TYPE\n");
        for (int i = 0; i < 5000; i++) {
            nodes.append(i).append(',').append(i).append('\n');
            rels.append(i).append(',').append((i * 7) % 5000).append(",T\n");
        }
        Path n = file("n.csv", nodes.toString());
        Path badNodes = file("bad-nodes.csv", nodes + "5000,\"x\ny\"\n");
        assertBadInput(badNodes + ":5002:2: column 'n:int': 'x\ny' is not an int", "--nodes=" + badNodes);
        Path badRels = file("bad-rels.csv", rels + "4999,5000,T\n");
        assertBadInput(badRels + ":5002:2: relationship to a missing node: end id '5000'", "--nodes=" + n,
                "--relationships=" + badRels);
        Cli r = Cli.run("import", "--into", db().toString(), "--nodes=" + n, "--relationships=" + file("rels.csv",
                rels.toString()));
        assertEquals(0, r.exit(), r::toString);
        assertClean(db());
        try (ConcurrentGraphDB graph = ConcurrentGraphDB.open(db()); Transaction tx = graph.begin()) {
            assertEquals(Map.of("n", 4321L), tx.getNode(4321).orElseThrow().properties());
            assertEquals(List.of(new Edge(4321, 4321, (4321 * 7) % 5000, "T", Map.of())),
                    tx.edges(4321, Direction.OUTGOING, null));
        }
    }

    @Test
    void otherBadRecords() throws IOException {
        Path nodes = file("nodes.csv", ":ID\n1\n2\n");
        Path extra = file("extra.csv", ":ID,name\n1,a,b\n");
        assertBadInput(extra + ":2:3: this record has 3 fields, the header 2", "--nodes=" + extra);
        Path fewer = file("fewer.csv", ":ID,name,age:int\n1,a\n");
        assertBadInput(fewer + ":2:3: this record has 2 fields, the header 3", "--nodes=" + fewer);
        Path noType = file("notype.csv", ":START_ID,:END_ID,:TYPE\n1,2,\n");
        assertBadInput(noType + ":2:3: missing relationship type", "--nodes=" + nodes, "--relationships=" + noType);
        Path noTypeColumn = file("notypecolumn.csv", ":START_ID,:END_ID\n1,2\n");
        assertBadInput(noTypeColumn + ":1:1: no :TYPE column", "--nodes=" + nodes, "--relationships=" + noTypeColumn);
        Path group = file("group.csv", ":START_ID(Nope),:END_ID\n1,2\n");
        assertBadInput(group + ":1:1: column ':START_ID(Nope)' refers to id group 'Nope', which no --nodes file"
                + " defines", "--nodes=" + nodes, "--relationships=T=" + group);
        Path twice = file("twice.csv", "name:ID,name\nx,y\n");
        assertBadInput(twice + ":2:1: property 'name' has a value in two columns", "--nodes=" + twice);
        Path quote = file("quote.csv", ":ID,name\n1,say \"hi\"\n");
        assertBadInput(quote + ":2:2: a quote inside an unquoted field", "--nodes=" + quote);
    }

    @Test
    void missingFilesAndAnOccupiedTargetAreRefusedBeforeAnythingIsBuilt() throws IOException {
        assertBadInput("cannot read input file " + dir.resolve("nope.csv") + ": no such file",
                "--nodes=" + dir.resolve("nope.csv"));
        Path occupied = Files.createDirectories(dir.resolve("occupied"));
        Path keep = Files.writeString(occupied.resolve("keep.txt"), "mine");
        Cli r = Cli.run("import", "--into", occupied.toString(), "--nodes=" + SAMPLE.resolve("persons.csv"));
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("exists and is not an empty directory"), r::toString);
        assertEquals("mine", Files.readString(keep));
    }

    @Test
    void tooLittleMemoryForTheIdsIsAnErrorSayingWhatToRaise() throws IOException {
        // 200,000 ids of 100 bytes: 20 MiB of ids, more than the 16 MiB that 32m leaves for them
        String padding = "x".repeat(90);
        StringBuilder text = new StringBuilder(":ID\n");
        for (int i = 0; i < 200_000; i++) {
            text.append(padding).append(String.format("%010d", i)).append('\n');
        }
        Path n = file("n.csv", text.toString());
        assertBadInput("raise --max-memory", "--nodes=" + n, "--max-memory=32m");
    }

    // ------------------------------------------------------------------ the command line: exit 2

    @Test
    void aBadCommandLineIsExitCode2() {
        String persons = "--nodes=" + SAMPLE.resolve("persons.csv");
        for (String[] args : List.of(new String[] {}, new String[] {"nonsense"},
                new String[] {"import", persons},
                new String[] {"import", "--into", db().toString()},
                new String[] {"import", "--into", db().toString(), persons, "--no-such-option"},
                new String[] {"import", "--into", db().toString(), persons, "--delimiter", "ab"},
                new String[] {"import", "--into", db().toString(), persons, "--delimiter", ";"},
                new String[] {"import", "--into", db().toString(), persons, "--max-memory", "lots"},
                new String[] {"import", "--into", db().toString(), persons, "--max-memory", "1m"},
                new String[] {"import", "--into", db().toString(), "--nodes=A=", persons},
                new String[] {"check"}, new String[] {"stats", "a", "b"},
                new String[] {"export", "--from", "x", "--to", "y", "--format", "xml"},
                new String[] {"backup", "--from", "x"})) {
            Cli r = Cli.run(args);
            assertEquals(2, r.exit(), () -> String.join(" ", args) + "\n" + r);
            assertFalse(r.err().isEmpty(), r::toString);
        }
        assertFalse(Files.exists(db()));
    }

    @Test
    void helpAndVersionAreExitCode0() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"--version"}, new String[] {"help", "import"},
                new String[] {"import", "--help"}, new String[] {"check", "--help"})) {
            Cli r = Cli.run(args);
            assertEquals(0, r.exit(), r::toString);
            assertFalse(r.out().isEmpty());
        }
        assertTrue(Cli.run("--version").out().startsWith("sable "));
    }
}
