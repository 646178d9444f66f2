package io.kafkaworker.autoconfigure;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link KafkaWorkerConfigurationException} at startup into Spring Boot's
 * "APPLICATION FAILED TO START" report: what is wrong, naming the method or property, and
 * what to do.
 */
class KafkaWorkerConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<KafkaWorkerConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KafkaWorkerConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
