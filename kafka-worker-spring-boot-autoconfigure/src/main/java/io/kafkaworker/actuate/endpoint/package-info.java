/**
 * The {@code kafkaworkers} actuator endpoint: what every worker is doing, and the live
 * operator actions on it.
 */
@NullMarked
package io.kafkaworker.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
