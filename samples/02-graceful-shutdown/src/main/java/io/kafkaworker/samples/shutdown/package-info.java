/**
 * Sample 02, after kafka-go-worker's second example: readiness that turns UP once the
 * worker has its partitions, and a graceful shutdown that drains, commits and leaves the
 * group, so that a restart neither loses nor repeats a record.
 */
@NullMarked
package io.kafkaworker.samples.shutdown;

import org.jspecify.annotations.NullMarked;
