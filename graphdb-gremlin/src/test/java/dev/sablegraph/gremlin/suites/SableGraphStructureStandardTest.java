package dev.sablegraph.gremlin.suites;

import dev.sablegraph.gremlin.SableGraph;
import org.apache.tinkerpop.gremlin.GraphProviderClass;
import org.apache.tinkerpop.gremlin.structure.StructureStandardSuite;
import org.junit.runner.RunWith;

/** TinkerPop's structure suite (Graph, Vertex, Edge, properties, transactions, io) on SableGraph. */
@RunWith(StructureStandardSuite.class)
@GraphProviderClass(provider = SableGraphProvider.class, graph = SableGraph.class)
public class SableGraphStructureStandardTest {
}
