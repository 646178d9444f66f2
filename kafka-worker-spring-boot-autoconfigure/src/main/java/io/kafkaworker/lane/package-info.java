/**
 * Keyed FIFO lanes run on an executor with a shared concurrency bound. No Spring and no
 * Kafka inside.
 */
@NullMarked
package io.kafkaworker.lane;

import org.jspecify.annotations.NullMarked;
