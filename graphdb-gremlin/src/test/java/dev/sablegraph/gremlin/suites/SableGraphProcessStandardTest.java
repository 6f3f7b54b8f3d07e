package dev.sablegraph.gremlin.suites;

import dev.sablegraph.gremlin.SableGraph;
import org.apache.tinkerpop.gremlin.GraphProviderClass;
import org.apache.tinkerpop.gremlin.process.ProcessLimitedStandardSuite;
import org.junit.runner.RunWith;

/**
 * TinkerPop's process suite, in the form TinkerGraph runs it (ProcessLimitedStandardSuite: the JVM
 * tests the Gherkin features do not cover), on SableGraph.
 */
@RunWith(ProcessLimitedStandardSuite.class)
@GraphProviderClass(provider = SableGraphProvider.class, graph = SableGraph.class)
public class SableGraphProcessStandardTest {
}
