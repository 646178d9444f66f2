/**
 * A bounded backfill, after kefka's Reader: a worker reads a topic to the end offsets it
 * saw when it started, without a consumer group and without commits, totals what it read,
 * and the application exits with status 0.
 */
@NullMarked
package io.kafkaworker.samples.backfill;

import org.jspecify.annotations.NullMarked;
