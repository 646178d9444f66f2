/**
 * Test support for applications with kafka-worker workers: an in-process KRaft broker for
 * {@code @SpringBootTest} classes ({@link io.kafkaworker.test.EmbeddedKafkaWorkerTest})
 * and the waits a worker test needs ({@link io.kafkaworker.test.KafkaWorkerTestSupport}).
 */
@NullMarked
package io.kafkaworker.test;

import org.jspecify.annotations.NullMarked;
