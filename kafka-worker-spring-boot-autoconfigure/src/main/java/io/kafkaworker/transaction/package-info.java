/**
 * Exactly-once delivery: Kafka transactions bound to the records a consumer fetched, and
 * the sender handlers use to write inside them.
 */
@NullMarked
package io.kafkaworker.transaction;

import org.jspecify.annotations.NullMarked;
