package io.kafkaworker.autoconfigure;

import io.kafkaworker.error.WorkerRetryPolicy;
import io.kafkaworker.inbox.InboxSchema;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaWorkerRuntimeHints}.
 */
class KafkaWorkerRuntimeHintsTests {

	@Test
	void shouldBeRegisteredForAheadOfTimeProcessing() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(KafkaWorkerRuntimeHints.class);
	}

	@Test
	void inboxSchemaCanBeRead() {
		assertThat(RuntimeHintsPredicates.resource().forResource(InboxSchema.LOCATION)).accepts(hints());
	}

	@Test
	void validationExceptionCanBeLookedUpByName() {
		assertThat(WorkerRetryPolicy.defaultNonRetryable(getClass().getClassLoader())).extracting(Class::getName)
			.contains(KafkaWorkerRuntimeHints.VALIDATION_EXCEPTION);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(KafkaWorkerRuntimeHints.VALIDATION_EXCEPTION))).accepts(hints());
	}

	private static RuntimeHints hints() {
		RuntimeHints hints = new RuntimeHints();
		new KafkaWorkerRuntimeHints().registerHints(hints, KafkaWorkerRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

}
