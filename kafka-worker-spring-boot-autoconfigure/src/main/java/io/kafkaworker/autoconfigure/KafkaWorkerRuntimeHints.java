package io.kafkaworker.autoconfigure;

import io.kafkaworker.inbox.InboxSchema;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The runtime hints of kafka-worker outside the workers' own methods, for a native image:
 * the JDBC inbox's schema script, read from the class path, and Bean Validation's
 * {@code ValidationException}, looked up by name as a default non-retryable failure.
 * Registered in {@code META-INF/spring/aot.factories}.
 *
 * <p>
 * The hints of {@code @KafkaBatchWorker} methods come from
 * {@link io.kafkaworker.annotation.KafkaBatchWorkerReflectiveProcessor}; those of the
 * {@code kafkaworkers} endpoint's responses from Spring Boot's processing of its
 * operations.
 */
class KafkaWorkerRuntimeHints implements RuntimeHintsRegistrar {

	static final String VALIDATION_EXCEPTION = "jakarta.validation.ValidationException";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern(InboxSchema.LOCATION);
		hints.reflection().registerTypeIfPresent(classLoader, VALIDATION_EXCEPTION);
	}

}
