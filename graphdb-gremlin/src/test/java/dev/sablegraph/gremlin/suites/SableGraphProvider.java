package dev.sablegraph.gremlin.suites;

import dev.sablegraph.gremlin.SableGraph;
import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.configuration2.Configuration;
import org.apache.tinkerpop.gremlin.AbstractGraphProvider;
import org.apache.tinkerpop.gremlin.LoadGraphWith;
import org.apache.tinkerpop.gremlin.structure.Graph;
import org.apache.tinkerpop.gremlin.structure.VertexProperty;
import org.apache.tinkerpop.gremlin.structure.util.detached.DetachedGraphTest;
import org.apache.tinkerpop.gremlin.structure.util.star.StarGraphTest;

/**
 * Gives TinkerPop's JVM suites a fresh SableGraph in a directory of its own per test. The suites run
 * with asynchronous durability and small log segments: they test semantics, not the disk.
 */
public class SableGraphProvider extends AbstractGraphProvider {
    private static final Set<Class> IMPLEMENTATIONS = Set.of(SableGraph.class,
            classFor("SableVertex"), classFor("SableEdge"), classFor("SableVertexProperty"),
            classFor("SableProperty"), classFor("SableElement"));

    private Graph.Features features;

    private static Class<?> classFor(String simpleName) {
        try {
            return Class.forName("dev.sablegraph.gremlin." + simpleName);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, Object> getBaseConfiguration(String graphName, Class<?> test, String testMethodName,
            LoadGraphWith.GraphData loadGraphWith) {
        String directory = makeTestDirectory(graphName, test, testMethodName);
        Map<String, Object> conf = new HashMap<>();
        conf.put(Graph.GRAPH, SableGraph.class.getName());
        conf.put(SableGraph.CONFIG_DIRECTORY, directory);
        conf.put("sable.durability", "ASYNC");
        conf.put("sable.pageCacheBytes", Long.toString(4L << 20));
        conf.put("sable.walSegmentBytes", Long.toString(1L << 20));
        if (requiresListCardinality(loadGraphWith, test, testMethodName)) {
            conf.put(SableGraph.CONFIG_VERTEX_PROPERTY_CARDINALITY, VertexProperty.Cardinality.list.name());
        }
        return conf;
    }

    /** The crew's multi-properties load only with list as the default cardinality (as for TinkerGraph). */
    static boolean requiresListCardinality(LoadGraphWith.GraphData data, Class<?> test, String method) {
        return data == LoadGraphWith.GraphData.CREW
                || (test == StarGraphTest.class && method.equals("shouldAttachWithCreateMethod"))
                || (test == DetachedGraphTest.class && method.equals("testAttachableCreateMethod"));
    }

    @Override
    public Graph openTestGraph(Configuration config) {
        Graph graph = super.openTestGraph(config);
        if (features == null) {
            features = graph.features();
        }
        return graph;
    }

    @Override
    public Optional<Graph.Features> getStaticFeatures() {
        return Optional.ofNullable(features);
    }

    @Override
    public void clear(Graph graph, Configuration configuration) throws Exception {
        if (graph != null) {
            if (graph.tx().isOpen()) {
                graph.tx().rollback();
            }
            graph.close();
        }
        if (configuration != null && configuration.containsKey(SableGraph.CONFIG_DIRECTORY)) {
            deleteDirectory(new File(configuration.getString(SableGraph.CONFIG_DIRECTORY)));
        }
    }

    @Override
    protected void readIntoGraph(Graph graph, String path) throws IOException {
        super.readIntoGraph(graph, path);
        graph.tx().commit();
    }

    @Override
    public Set<Class> getImplementations() {
        return IMPLEMENTATIONS;
    }
}
