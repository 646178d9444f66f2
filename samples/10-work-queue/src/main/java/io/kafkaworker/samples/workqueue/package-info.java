/**
 * A work queue on a Kafka share group (KIP-932), in place of an SQS or JMS queue: jobs
 * that do not depend on each other, taken by however many instances run, whatever the
 * topic's partition count, each retried in place and dead-lettered when it keeps failing.
 */
@NullMarked
package io.kafkaworker.samples.workqueue;

import org.jspecify.annotations.NullMarked;
