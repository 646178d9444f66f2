/**
 * Health of workers for Spring Boot's health endpoint and its readiness and liveness
 * probes, read from the read model.
 */
@NullMarked
package io.kafkaworker.health;

import org.jspecify.annotations.NullMarked;
