/**
 * Finds {@code @KafkaBatchWorker} methods and describes them as workers.
 */
@NullMarked
package io.kafkaworker.annotation;

import org.jspecify.annotations.NullMarked;
