/**
 * Plugs workers into Spring Kafka: endpoint, container, listener and the consumer-thread
 * side of the engine.
 */
@NullMarked
package io.kafkaworker.container;

import org.jspecify.annotations.NullMarked;
