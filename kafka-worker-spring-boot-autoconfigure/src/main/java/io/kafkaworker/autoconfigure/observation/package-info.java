/**
 * Auto-configuration of the workers' tracing.
 */
@NullMarked
package io.kafkaworker.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
