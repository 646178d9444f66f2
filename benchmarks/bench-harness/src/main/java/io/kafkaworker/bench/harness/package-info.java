/**
 * The benchmark harness: one command that starts a KRaft broker in its own JVM, seeds
 * each scenario's topic once, runs every contender in its own JVM against it, checks that
 * every record was handled, and reports rates as ratios from that one run.
 */
package io.kafkaworker.bench.harness;
