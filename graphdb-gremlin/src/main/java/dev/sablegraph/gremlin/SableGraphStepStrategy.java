package dev.sablegraph.gremlin;

import java.util.List;
import org.apache.tinkerpop.gremlin.process.traversal.Step;
import org.apache.tinkerpop.gremlin.process.traversal.Traversal;
import org.apache.tinkerpop.gremlin.process.traversal.TraversalStrategy;
import org.apache.tinkerpop.gremlin.process.traversal.step.HasContainerHolder;
import org.apache.tinkerpop.gremlin.process.traversal.step.filter.HasStep;
import org.apache.tinkerpop.gremlin.process.traversal.step.map.GraphStep;
import org.apache.tinkerpop.gremlin.process.traversal.step.map.GraphStepContract;
import org.apache.tinkerpop.gremlin.process.traversal.step.util.HasContainer;
import org.apache.tinkerpop.gremlin.process.traversal.strategy.AbstractTraversalStrategy;
import org.apache.tinkerpop.gremlin.process.traversal.step.map.NoOpBarrierStep;
import org.apache.tinkerpop.gremlin.process.traversal.util.TraversalHelper;

/**
 * Folds the {@code has} steps that follow {@code g.V()} or {@code g.E()} into one Sable graph step,
 * so that {@code hasLabel(l)}, {@code has(l, k, v)} and {@code has(k, v)} after a label read Sable's
 * label and property indexes instead of every node (as TinkerGraphStepStrategy does for TinkerGraph).
 * It shows in {@code explain()}. Adjacency needs no such folding: {@code out("type")} and friends
 * already read {@code edges(node, direction, type)}; counting them is {@link SableDegreeCountStrategy}'s.
 */
public final class SableGraphStepStrategy extends AbstractTraversalStrategy<TraversalStrategy.ProviderOptimizationStrategy>
        implements TraversalStrategy.ProviderOptimizationStrategy {
    private static final SableGraphStepStrategy INSTANCE = new SableGraphStepStrategy();

    private SableGraphStepStrategy() {}

    /**
     * Replaces each {@code V()} or {@code E()} step (not on a graph computer) with a Sable graph
     * step holding the {@code has} steps that follow it.
     *
     * @param traversal the traversal to rewrite in place
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void apply(Traversal.Admin<?, ?> traversal) {
        if (TraversalHelper.onGraphComputer(traversal)) {
            return;
        }
        List<GraphStepContract> steps = TraversalHelper.getStepsOfClass(GraphStepContract.class, traversal);
        for (GraphStepContract original : steps) {
            SableGraphStep<?, ?> step = new SableGraphStep<>(original);
            TraversalHelper.replaceStep((Step) original, step, traversal);
            Step<?, ?> current = step.getNextStep();
            while (current instanceof HasStep || current instanceof NoOpBarrierStep) {
                if (current instanceof HasStep) {
                    for (HasContainer c : ((HasContainerHolder<?, ?>) current).getHasContainers()) {
                        if (!GraphStep.processHasContainerIds(step, c)) {
                            step.addHasContainer(c);
                        }
                    }
                    TraversalHelper.copyLabels(current, current.getPreviousStep(), false);
                    traversal.removeStep(current);
                }
                current = current.getNextStep();
            }
        }
    }

    /**
     * The one instance.
     *
     * @return the strategy
     */
    public static SableGraphStepStrategy instance() {
        return INSTANCE;
    }
}
