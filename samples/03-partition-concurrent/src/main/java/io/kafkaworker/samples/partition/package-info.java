/**
 * Sample 03, after kafka-go-worker's third example: a PARTITION worker, which handles
 * each partition in offset order and the partitions in parallel.
 */
@NullMarked
package io.kafkaworker.samples.partition;

import org.jspecify.annotations.NullMarked;
