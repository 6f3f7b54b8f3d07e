/**
 * jcstress concurrency tests for Sable.
 *
 * <p>Build with {@code mvn -pl jcstress-tests -am package} and run with
 * {@code java -jar jcstress-tests/target/jcstress.jar}.
 */
package dev.sablegraph.jcstress;
