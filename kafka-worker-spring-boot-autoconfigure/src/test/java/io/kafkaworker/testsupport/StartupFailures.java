package io.kafkaworker.testsupport;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finds the configuration error behind a context that failed to start.
 */
public final class StartupFailures {

	private StartupFailures() {
	}

	/**
	 * Return the {@link KafkaWorkerConfigurationException} that made a context fail.
	 * @param context the context, which must have failed
	 * @return the exception
	 */
	public static KafkaWorkerConfigurationException configurationFailure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable cause = context.getStartupFailure();
		while (cause != null && !(cause instanceof KafkaWorkerConfigurationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("startup failure caused by KafkaWorkerConfigurationException")
			.isInstanceOf(KafkaWorkerConfigurationException.class);
		return (KafkaWorkerConfigurationException) cause;
	}

}
