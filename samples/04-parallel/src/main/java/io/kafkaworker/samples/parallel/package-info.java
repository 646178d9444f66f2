/**
 * Sample 04, after kafka-go-worker's fourth example: a PARALLEL worker, which handles any
 * records at once, up to its concurrency, in no order.
 */
@NullMarked
package io.kafkaworker.samples.parallel;

import org.jspecify.annotations.NullMarked;
