/**
 * What every contender shares, with no dependency so that it runs next to any
 * kafka-clients version: the per-record work, and the probe that records which records
 * were handled, when, and writes the result files the harness reads.
 */
package io.kafkaworker.bench.probe;
