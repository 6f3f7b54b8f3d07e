package dev.sablegraph.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The layer picture of docs/architecture.md in executable form. Each layer knows only the ones
 * beneath it; the public API packages hold only the API and never show an internal type; no two
 * packages depend on each other. A change that breaks one of these rules fails here, naming the
 * offending dependency: change the code, or change the picture (here and in the doc) on purpose.
 */
@AnalyzeClasses(packages = "dev.sablegraph", importOptions = ImportOption.DoNotIncludeTests.class)
class LayerRulesTest {
    private static final String VALUES = "dev.sablegraph.core";
    private static final String DATABASE = "dev.sablegraph.concurrent";

    @ArchTest
    static final ArchRule eachLayerKnowsOnlyTheOnesBeneath = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("api values").definedBy(VALUES)
            .layer("util").definedBy("dev.sablegraph.internal.util..")
            .layer("storage").definedBy("dev.sablegraph.internal.storage..")
            .layer("wal").definedBy("dev.sablegraph.internal.wal..")
            .layer("record").definedBy("dev.sablegraph.internal.record..")
            .layer("index").definedBy("dev.sablegraph.internal.index..")
            .layer("graph").definedBy("dev.sablegraph.internal.graph..")
            .layer("durability").definedBy("dev.sablegraph.internal.durability..")
            .layer("mvcc").definedBy("dev.sablegraph.internal.mvcc..")
            .layer("txn").definedBy("dev.sablegraph.internal.txn..")
            .layer("monitor").definedBy("dev.sablegraph.internal.monitor..")
            .layer("bulk").definedBy("dev.sablegraph.internal.bulk..")
            .layer("api database").definedBy(DATABASE)
            .whereLayer("api values").mayNotAccessAnyLayer()
            .whereLayer("util").mayOnlyAccessLayers("api values")
            .whereLayer("storage").mayOnlyAccessLayers("api values", "util")
            .whereLayer("wal").mayOnlyAccessLayers("api values", "util", "storage")
            .whereLayer("record").mayOnlyAccessLayers("api values", "util", "storage")
            .whereLayer("index").mayOnlyAccessLayers("api values", "util", "storage")
            .whereLayer("graph").mayOnlyAccessLayers("api values", "util", "storage", "record", "index")
            .whereLayer("durability").mayOnlyAccessLayers("api values", "util", "storage", "wal", "graph")
            .whereLayer("mvcc").mayOnlyAccessLayers("api values", "util", "graph", "durability")
            .whereLayer("txn").mayOnlyAccessLayers("api values", "util", "graph", "durability", "mvcc")
            .whereLayer("monitor").mayOnlyAccessLayers("api values", "util", "wal")
            .whereLayer("bulk").mayOnlyAccessLayers("api values", "util", "graph")
            .whereLayer("api database").mayOnlyAccessLayers("api values", "util", "storage", "wal", "graph",
                    "durability", "mvcc", "txn", "monitor", "bulk");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.sablegraph.(**)").should().beFreeOfCycles();

    /** The public types of the API packages: the contract's and what docs/architecture.md adds. */
    private static final Set<String> API = Set.of(
            VALUES + ".Node", VALUES + ".Edge", VALUES + ".Direction", VALUES + ".GraphConfig",
            VALUES + ".GraphConfig$Builder", VALUES + ".Durability", VALUES + ".LockStrategy",
            VALUES + ".GraphException", VALUES + ".WriteConflictException", VALUES + ".EntityNotFoundException",
            VALUES + ".CorruptionException", VALUES + ".DatabaseLockedException", VALUES + ".IntegrityReport",
            VALUES + ".IntegrityReport$Builder", VALUES + ".PropertyValues", VALUES + ".MvccMetrics",
            VALUES + ".CheckpointMetrics", VALUES + ".PageCacheMetrics", VALUES + ".OpenTransaction",
            VALUES + ".IncompatibleFormatException", VALUES + ".ConstraintViolationException",
            VALUES + ".IndexDescription", VALUES + ".IndexState", VALUES + ".PropertyRange",
            VALUES + ".Metric", VALUES + ".Metric$Kind", VALUES + ".MetricsSink",
            DATABASE + ".ConcurrentGraphDB", DATABASE + ".Transaction", DATABASE + ".BulkLoader");

    @ArchTest
    static final ArchRule apiPackagesHoldOnlyTheApi = classes().that().resideInAnyPackage(VALUES, DATABASE)
            .and().arePublic()
            .should(new ArchCondition<JavaClass>("be one of the API's types") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                    if (!API.contains(c.getName())) {
                        events.add(SimpleConditionEvent.violated(c, c.getName()
                                + " is public in an API package but not API: make it package-private or move it"
                                + " to an internal package"));
                    }
                }
            });

    @ArchTest
    static final ArchRule apiNeverShowsAnInternalType = classes().that().resideInAnyPackage(VALUES, DATABASE)
            .and().arePublic()
            .should(new ArchCondition<JavaClass>("show no internal type in a public signature") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                    for (JavaMember m : publicMembers(c)) {
                        for (JavaClass t : signatureTypes(m)) {
                            if (t.getPackageName().startsWith("dev.sablegraph.internal")) {
                                events.add(SimpleConditionEvent.violated(m, m.getFullName() + " shows internal type "
                                        + t.getName()));
                            }
                        }
                    }
                }
            });

    private static List<JavaMember> publicMembers(JavaClass c) {
        List<JavaMember> members = new ArrayList<>();
        for (JavaMember m : c.getMembers()) {
            if (m.getModifiers().contains(JavaModifier.PUBLIC) || m.getModifiers().contains(JavaModifier.PROTECTED)) {
                members.add(m);
            }
        }
        return members;
    }

    private static List<JavaClass> signatureTypes(JavaMember m) {
        List<JavaClass> types = new ArrayList<>();
        if (m instanceof JavaMethod method) {
            types.add(method.getRawReturnType());
            types.addAll(method.getRawParameterTypes());
        } else if (m instanceof com.tngtech.archunit.core.domain.JavaConstructor constructor) {
            types.addAll(constructor.getRawParameterTypes());
        } else if (m instanceof com.tngtech.archunit.core.domain.JavaField field) {
            types.add(field.getRawType());
        }
        return types;
    }
}
