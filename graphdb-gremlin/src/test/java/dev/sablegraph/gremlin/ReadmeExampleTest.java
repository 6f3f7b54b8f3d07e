package dev.sablegraph.gremlin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.junit.jupiter.api.Test;

/**
 * The README's Gremlin example, word for word, compiled and run: the README marks its block
 * {@code <!-- snippet: gremlin ... -->}, this class holds the same code between
 * {@code // snippet: gremlin} and {@code // end snippet}, and {@link #theReadmeShowsThisCode} checks
 * that the two agree. The example names relative paths ({@code data/graph}, {@code graph.json}): the
 * build runs this class in a working directory of its own, {@code target/readme-example} (see the
 * module's pom.xml).
 */
class ReadmeExampleTest {
    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path README = MODULE.resolve(Path.of("..", "README.md"));
    private static final Path SOURCE = MODULE.resolve(Path.of("src", "test", "java", "dev", "sablegraph", "gremlin",
            "ReadmeExampleTest.java"));
    private static final Pattern README_BLOCK = Pattern.compile(
            "<!-- snippet: gremlin[^>]*-->\\s*\\n```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SOURCE_REGION = Pattern.compile(
            "\\n([ \\t]*)// snippet: gremlin\\n(.*?)\\n[ \\t]*// end snippet", Pattern.DOTALL);

    @Test
    void theExampleRuns() throws IOException {
        // -Dtest=... lifts the default execution's exclusion: never write into the module directory
        assumeTrue(Path.of("").toAbsolutePath().endsWith("readme-example"), "runs in target/readme-example only");
        deleteRecursively(Path.of("data"));
        Files.deleteIfExists(Path.of("graph.json"));

        // snippet: gremlin
        try (SableGraph graph = SableGraph.open(Path.of("data/graph"))) {
            GraphTraversalSource g = graph.traversal();
            Vertex ada = g.addV("person").property("name", "Ada").property("born", 1815).next();
            g.addV("person").property("name", "Charles").as("c").V(ada).addE("knows").to("c").iterate();
            graph.tx().commit();                                        // durable when it returns
            List<Object> friends = g.V().has("person", "name", "Ada").out("knows").values("name").toList();
            g.io("graph.json").write().iterate();                      // GraphSON 3; GraphML and Gryo too
        }
        // end snippet

        try (SableGraph graph = SableGraph.open(Path.of("data/graph"))) {
            GraphTraversalSource g = graph.traversal();
            assertEquals(List.of("Charles"), g.V().has("person", "name", "Ada").out("knows").values("name").toList());
            assertEquals(1815, g.V().has("person", "name", "Ada").values("born").next());
            graph.tx().rollback();
        }
        String json = Files.readString(Path.of("graph.json"));
        assertTrue(json.contains("Charles") && json.contains("knows"), json);
    }

    @Test
    void theReadmeShowsThisCode() throws IOException {
        Matcher block = README_BLOCK.matcher(Files.readString(README));
        assertTrue(block.find(), "README.md has no block marked <!-- snippet: gremlin -->");
        Matcher region = SOURCE_REGION.matcher(Files.readString(SOURCE));
        assertTrue(region.find(), "no // snippet: gremlin region in " + SOURCE);
        StringBuilder code = new StringBuilder();
        for (String line : region.group(2).split("\n", -1)) {
            code.append(line.startsWith(region.group(1)) ? line.substring(region.group(1).length()) : line.strip())
                    .append('\n');
        }
        assertEquals(code.toString().stripTrailing(), block.group(1).stripTrailing(),
                "README.md's Gremlin example differs from " + SOURCE);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
