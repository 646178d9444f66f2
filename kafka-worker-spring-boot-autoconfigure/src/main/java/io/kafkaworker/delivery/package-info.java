/**
 * Delivery guarantees: how a worker's progress becomes durable. One
 * {@link io.kafkaworker.delivery.DeliveryGuarantee} per worker, chosen once when the
 * worker is built, opens one {@link io.kafkaworker.delivery.CommitProtocol} per consumer
 * (the consumer-thread side: watermark commits, commits before handling, or Kafka
 * transactions) and decides, on the lane thread, how a failed record runs again.
 */
@NullMarked
package io.kafkaworker.delivery;

import org.jspecify.annotations.NullMarked;
