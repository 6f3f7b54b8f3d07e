package dev.sablegraph.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The tool is a user of the database like any application: it reaches the engine only through the
 * public API ({@code dev.sablegraph.core}, {@code dev.sablegraph.concurrent}, whose
 * {@code BulkLoader} is the documented way to build a database without transactions).
 */
@AnalyzeClasses(packages = "dev.sablegraph.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule onlyThePublicApi = noClasses().that().resideInAPackage("dev.sablegraph.cli..")
            .should().dependOnClassesThat().resideInAPackage("dev.sablegraph.internal..");
}
