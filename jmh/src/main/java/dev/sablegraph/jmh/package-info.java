/**
 * JMH microbenchmarks for Sable.
 *
 * <p>Build with {@code mvn -pl jmh -am package} and run with
 * {@code java -jar jmh/target/benchmarks.jar}.
 */
package dev.sablegraph.jmh;
