package io.kafkaworker.transaction;

import java.util.function.Function;

import org.apache.kafka.clients.producer.Producer;

/**
 * Creates the transactional producers of exactly-once workers.
 *
 * @param prefix the transactional-id prefix of this application instance
 * @param factory creates a producer with the given transactional id, from the
 * application's producer settings
 */
public record TransactionalProducers(String prefix, Function<String, Producer<Object, Object>> factory) {

}
