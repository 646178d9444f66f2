/**
 * The read model of running workers, for metrics, health and the actuator endpoint.
 */
@NullMarked
package io.kafkaworker.runtime;

import org.jspecify.annotations.NullMarked;
