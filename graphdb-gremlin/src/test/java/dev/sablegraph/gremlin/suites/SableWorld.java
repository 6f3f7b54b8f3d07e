package dev.sablegraph.gremlin.suites;

import dev.sablegraph.gremlin.SableGraph;
import io.cucumber.java.Scenario;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.tinkerpop.gremlin.LoadGraphWith.GraphData;
import org.apache.tinkerpop.gremlin.TestHelper;
import org.apache.tinkerpop.gremlin.features.World;
import org.apache.tinkerpop.gremlin.process.traversal.dsl.graph.GraphTraversalSource;
import org.apache.tinkerpop.gremlin.structure.Graph;
import org.apache.tinkerpop.gremlin.structure.io.gryo.GryoResourceAccess;

/**
 * The Gherkin suite's view of Sable: the five standard graphs, each loaded once from TinkerPop's Gryo
 * files into a database of its own, and an empty graph emptied before each scenario. Data files that
 * scenarios read through {@code g.io()} come from gremlin-test's resources.
 */
public class SableWorld implements World {
    private static final Path ROOT = Path.of(TestHelper.makeTestDataDirectory(SableWorld.class, "feature-graphs"));
    private static final SableGraph MODERN = load(GraphData.MODERN, false);
    private static final SableGraph CLASSIC = load(GraphData.CLASSIC, false);
    private static final SableGraph CREW = load(GraphData.CREW, true);
    private static final SableGraph SINK = load(GraphData.SINK, false);
    private static final SableGraph GRATEFUL = load(GraphData.GRATEFUL, false);
    private static final SableGraph EMPTY = open("empty", false);

    private static SableGraph open(String name, boolean listCardinality) {
        Path dir = ROOT.resolve(name);
        TestHelperShim.deleteRecursively(dir);
        BaseConfiguration c = new BaseConfiguration();
        c.setProperty(Graph.GRAPH, SableGraph.class.getName());
        c.setProperty(SableGraph.CONFIG_DIRECTORY, dir.toString());
        c.setProperty("sable.durability", "ASYNC");
        c.setProperty("sable.pageCacheBytes", Long.toString(16L << 20));
        c.setProperty("sable.walSegmentBytes", Long.toString(4L << 20));
        if (listCardinality) {
            c.setProperty(SableGraph.CONFIG_VERTEX_PROPERTY_CARDINALITY, "list");
        }
        return SableGraph.open(c);
    }

    private static SableGraph load(GraphData data, boolean listCardinality) {
        SableGraph graph = open(data.name().toLowerCase(), listCardinality);
        String location = data.location();
        String file = location.substring(location.lastIndexOf('/') + 1);
        graph.traversal().io(resource(GryoResourceAccess.class, file).toString()).read().iterate();
        graph.tx().commit();
        return graph;
    }

    /** A resource next to {@code anchor}, copied to a file of the test directory. */
    static Path resource(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                return null;
            }
            Path target = ROOT.resolve("files").resolve(name);
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public GraphTraversalSource getGraphTraversalSource(GraphData graphData) {
        if (graphData == null) {
            return EMPTY.traversal();
        }
        return switch (graphData) {
            case MODERN -> MODERN.traversal();
            case CLASSIC -> CLASSIC.traversal();
            case CREW -> CREW.traversal();
            case SINK -> SINK.traversal();
            case GRATEFUL -> GRATEFUL.traversal();
        };
    }

    @Override
    public void beforeEachScenario(Scenario scenario) {
        for (SableGraph g : List.of(MODERN, CLASSIC, CREW, SINK, GRATEFUL, EMPTY)) {
            if (g.tx().isOpen()) {
                g.tx().rollback();
            }
        }
        EMPTY.traversal().V().drop().iterate();
        EMPTY.tx().commit();
    }

    @Override
    public void afterEachScenario() {
        for (SableGraph g : List.of(MODERN, CLASSIC, CREW, SINK, GRATEFUL, EMPTY)) {
            if (g.tx().isOpen()) {
                g.tx().rollback();
            }
        }
    }

    /**
     * Scenarios name files as {@code data/NAME}: reads get TinkerPop's copy of the file (Gryo 3,
     * GraphSON 3 or GraphML), writes a fresh file in the test directory.
     */
    @Override
    public String changePathToDataFile(String pathToFileFromGremlin) {
        String name = pathToFileFromGremlin.substring(pathToFileFromGremlin.lastIndexOf('/') + 1);
        String base = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        Path found = null;
        if (name.endsWith(".kryo")) {
            found = resource(GryoResourceAccess.class, base + "-v3.kryo");
        } else if (name.endsWith(".json")) {
            found = resource(org.apache.tinkerpop.gremlin.structure.io.graphson.GraphSONResourceAccess.class,
                    base + "-v3.json");
        } else if (name.endsWith(".xml")) {
            found = resource(org.apache.tinkerpop.gremlin.structure.io.graphml.GraphMLResourceAccess.class, name);
        }
        if (found != null) {
            return found.toString();
        }
        return ROOT.resolve("files").resolve("written-" + System.nanoTime() + "-" + name).toString();
    }

    /** Deletes a directory tree left by an earlier run. */
    static final class TestHelperShim {
        static void deleteRecursively(Path dir) {
            File f = dir.toFile();
            if (f.exists()) {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
