/**
 * Auto-configuration of the {@code kafkaworkers}, {@code kafkaviews} and
 * {@code kafkaoffsets} actuator endpoints.
 */
@NullMarked
package io.kafkaworker.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
