/**
 * The kafka-worker quickstart: a KEY-mode worker that keeps 256 records in flight on a
 * 6-partition topic, with an in-process Kafka broker so that it runs from a fresh clone.
 */
@NullMarked
package io.kafkaworker.samples.quickstart;

import org.jspecify.annotations.NullMarked;
