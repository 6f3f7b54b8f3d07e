/**
 * Stress driver for Sable.
 *
 * <p>The entry point will be {@code dev.sablegraph.stress.StressMain}; build with
 * {@code mvn -pl stress -am package} and run with {@code java -jar stress/target/stress.jar}.
 */
package dev.sablegraph.stress;
