/**
 * Sample 07, after kafka-go-worker's seventh example: a lane-batch handler, with a span
 * per call linked to each record's trace, and the worker-level meters.
 */
@NullMarked
package io.kafkaworker.samples.batchtracing;

import org.jspecify.annotations.NullMarked;
