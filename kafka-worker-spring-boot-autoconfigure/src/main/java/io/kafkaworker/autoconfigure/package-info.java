/**
 * Spring Boot auto-configuration and properties of kafka-worker.
 */
@NullMarked
package io.kafkaworker.autoconfigure;

import org.jspecify.annotations.NullMarked;
