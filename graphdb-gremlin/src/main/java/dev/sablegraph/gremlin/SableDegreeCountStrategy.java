package dev.sablegraph.gremlin;

import org.apache.tinkerpop.gremlin.process.traversal.Step;
import org.apache.tinkerpop.gremlin.process.traversal.Traversal;
import org.apache.tinkerpop.gremlin.process.traversal.TraversalStrategy;
import org.apache.tinkerpop.gremlin.process.traversal.step.map.CountGlobalStep;
import org.apache.tinkerpop.gremlin.process.traversal.step.map.VertexStep;
import org.apache.tinkerpop.gremlin.process.traversal.strategy.AbstractTraversalStrategy;
import org.apache.tinkerpop.gremlin.process.traversal.util.TraversalHelper;

/**
 * Answers {@code out(labels).count()}, {@code inE(labels).count()} and the like from Sable's stored
 * degree counts ({@link SableDegreeCountStep}) instead of reading each edge. Applied only where the
 * adjacency step's elements go nowhere but into the count: no step label on it, no parameters, not
 * on a graph computer. It shows in {@code explain()}.
 */
public final class SableDegreeCountStrategy
        extends AbstractTraversalStrategy<TraversalStrategy.ProviderOptimizationStrategy>
        implements TraversalStrategy.ProviderOptimizationStrategy {
    private static final SableDegreeCountStrategy INSTANCE = new SableDegreeCountStrategy();

    private SableDegreeCountStrategy() {}

    /**
     * Replaces each adjacency step followed directly by {@code count()} with one degree-count step.
     *
     * @param traversal the traversal to rewrite in place
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void apply(Traversal.Admin<?, ?> traversal) {
        if (TraversalHelper.onGraphComputer(traversal)) {
            return;
        }
        for (VertexStep<?> adjacent : TraversalHelper.getStepsOfClass(VertexStep.class, traversal)) {
            Step<?, ?> next = adjacent.getNextStep();
            if (!(next instanceof CountGlobalStep) || !adjacent.getLabels().isEmpty()
                    || !adjacent.getParameters().isEmpty()) {
                continue;
            }
            SableDegreeCountStep degree = new SableDegreeCountStep(traversal, adjacent.getDirection(),
                    adjacent.getEdgeLabels());
            TraversalHelper.copyLabels(next, degree, false);
            TraversalHelper.replaceStep((Step) adjacent, degree, traversal);
            traversal.removeStep(next);
        }
    }

    /**
     * The one instance.
     *
     * @return the strategy
     */
    public static SableDegreeCountStrategy instance() {
        return INSTANCE;
    }
}
