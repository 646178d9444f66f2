package io.kafkaworker.autoconfigure;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaWorkerConfigurationFailureAnalyzer}.
 */
class KafkaWorkerConfigurationFailureAnalyzerTests {

	@Test
	void analyzeShouldReportTheMessageAndTheActionOfANestedCause() {
		KafkaWorkerConfigurationException cause = new KafkaWorkerConfigurationException(
				"Invalid value '0' for kafka.worker.workers.orders.concurrency", "Set it to a number of at least 1.");
		FailureAnalysis analysis = new KafkaWorkerConfigurationFailureAnalyzer()
			.analyze(new BeanCreationException("registrar", "failed", cause));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription())
			.isEqualTo("Invalid value '0' for kafka.worker.workers.orders.concurrency");
		assertThat(analysis.getAction()).isEqualTo("Set it to a number of at least 1.");
		assertThat(analysis.getCause()).isSameAs(cause);
	}

}
