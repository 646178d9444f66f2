/**
 * Auto-configuration of the workers' metrics.
 */
@NullMarked
package io.kafkaworker.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
