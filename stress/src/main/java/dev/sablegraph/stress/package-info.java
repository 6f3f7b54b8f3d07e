/**
 * Sable's stress tool: {@code java -jar stress/target/stress.jar --dir DIR} runs every operation
 * from many threads while checking invariants, kills child JVMs with SIGKILL in crash cycles, and
 * ends each run with a full verification of the reopened database. See docs/stress.md.
 */
package dev.sablegraph.stress;
