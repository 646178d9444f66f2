/**
 * Micrometer metrics of workers, read from the read model and the engine's observer.
 */
@NullMarked
package io.kafkaworker.metrics;

import org.jspecify.annotations.NullMarked;
