package dev.sablegraph.gremlin;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BinaryOperator;
import org.apache.tinkerpop.gremlin.process.traversal.Operator;
import org.apache.tinkerpop.gremlin.process.traversal.Traversal;
import org.apache.tinkerpop.gremlin.process.traversal.Traverser;
import org.apache.tinkerpop.gremlin.process.traversal.step.util.ReducingBarrierStep;
import org.apache.tinkerpop.gremlin.process.traversal.traverser.TraverserRequirement;
import org.apache.tinkerpop.gremlin.structure.Direction;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.structure.util.StringFactory;
import org.apache.tinkerpop.gremlin.util.function.ConstantSupplier;

/**
 * {@code out(labels).count()} (and {@code in}, {@code both}, {@code outE}, ...) as one step: the sum
 * over the incoming vertices of their degree, read from the counts Sable keeps per node and edge
 * type ({@code Transaction.degree}) instead of reading every edge. It counts exactly what the two
 * steps it replaces count: {@code both()} lists a self-loop twice, so BOTH is the outgoing plus the
 * incoming degree. Put in place by {@link SableDegreeCountStrategy}.
 */
final class SableDegreeCountStep extends ReducingBarrierStep<Vertex, Long> {
    private static final Set<TraverserRequirement> REQUIREMENTS = EnumSet.of(TraverserRequirement.OBJECT,
            TraverserRequirement.BULK);

    private final Direction direction;
    private final String[] edgeLabels;

    @SuppressWarnings({"rawtypes", "unchecked"})
    SableDegreeCountStep(Traversal.Admin<?, ?> traversal, Direction direction, String[] edgeLabels) {
        super(traversal);
        this.direction = direction;
        this.edgeLabels = edgeLabels.clone();
        setSeedSupplier(new ConstantSupplier<>(0L));
        setReducingBiOperator((BinaryOperator) Operator.sumLong); // as count() sums its bulks
    }

    @Override
    public Long projectTraverser(Traverser.Admin<Vertex> traverser) {
        return traverser.bulk() * degree(traverser.get());
    }

    private long degree(Vertex v) {
        if (v instanceof SableVertex sable) {
            return sable.degree(direction, edgeLabels);
        }
        long n = 0; // a vertex from elsewhere (an injected reference): count its edges
        for (var edges = v.edges(direction, edgeLabels); edges.hasNext(); edges.next()) {
            n++;
        }
        return n;
    }

    @Override
    public Set<TraverserRequirement> getRequirements() {
        return REQUIREMENTS;
    }

    @Override
    public String toString() {
        return StringFactory.stepString(this, direction, Arrays.asList(edgeLabels));
    }

    @Override
    public int hashCode() {
        return super.hashCode() ^ direction.hashCode() ^ Arrays.hashCode(edgeLabels);
    }
}
