package dev.sablegraph.gremlin.suites;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Stage;
import io.cucumber.guice.CucumberModules;
import io.cucumber.junit.Cucumber;
import io.cucumber.junit.CucumberOptions;
import org.apache.tinkerpop.gremlin.features.AbstractGuiceFactory;
import org.apache.tinkerpop.gremlin.features.World;
import org.junit.runner.RunWith;

/**
 * TinkerPop's Gherkin feature suite on SableGraph. The tags left out, and why, are listed in
 * docs/gremlin.md: graph computer only, null property values, insertion order, user-supplied ids,
 * and TinkerGraph's own service registry.
 */
@RunWith(Cucumber.class)
@CucumberOptions(
        tags = "not @GraphComputerOnly and not @AllowNullPropertyValues and not @InsertionOrderingRequired"
                + " and not @UserSuppliedVertexIds and not @UserSuppliedEdgeIds"
                + " and not @UserSuppliedVertexPropertyIds and not @TinkerServiceRegistry",
        glue = {"org.apache.tinkerpop.gremlin.features"},
        objectFactory = SableGraphFeatureTest.SableGuiceFactory.class,
        features = {"classpath:/org/apache/tinkerpop/gremlin/test/features"},
        plugin = {"junit:target/cucumber.xml"})
public class SableGraphFeatureTest {

    /** Binds the World the step definitions use to {@link SableWorld}. */
    public static final class ServiceModule extends AbstractModule {
        @Override
        protected void configure() {
            bind(World.class).to(SableWorld.class);
        }
    }

    /** Cucumber's object factory, with TinkerPop's step definitions and the Sable world. */
    public static final class SableGuiceFactory extends AbstractGuiceFactory {
        public SableGuiceFactory() {
            super(Guice.createInjector(Stage.PRODUCTION, CucumberModules.createScenarioModule(), new ServiceModule()));
        }
    }
}
