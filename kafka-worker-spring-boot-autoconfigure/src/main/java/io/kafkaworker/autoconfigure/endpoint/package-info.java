/**
 * Auto-configuration of the {@code kafkaworkers} actuator endpoint.
 */
@NullMarked
package io.kafkaworker.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
