package io.kafkaworker.autoconfigure;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.container.Worker;
import io.kafkaworker.failure.FailureSettings;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.testsupport.OrdersWorkerConfiguration;
import io.kafkaworker.testsupport.StartupFailures;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the failure settings that {@link KafkaWorkerAutoConfiguration} resolves for
 * each worker: dead-letter topic names, retries and back-off.
 */
class KafkaWorkerFailureConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class))
		.withUserConfiguration(OrdersWorkerConfiguration.class)
		.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1", "kafka.worker.defaults.auto-startup=false");

	@Test
	void deadLetterTopicWhenNotConfiguredShouldBeSpringKafkasName() {
		this.contextRunner
			.run((context) -> assertThat(failure(context).deadLetterTopicFor("orders")).isEqualTo("orders-dlt"));
	}

	@Test
	void deadLetterTopicSuffixShouldPreferTheWorkersOverTheDefaults() {
		this.contextRunner
			.withPropertyValues("kafka.worker.defaults.dead-letter.topic-suffix=_dead",
					"kafka.worker.workers.orders.dead-letter.topic-suffix=.dlt")
			.run((context) -> assertThat(failure(context).deadLetterTopicFor("orders")).isEqualTo("orders.dlt"));
	}

	@Test
	void deadLetterTopicShouldWinOverTheSuffix() {
		this.contextRunner
			.withPropertyValues("kafka.worker.defaults.dead-letter.topic-suffix=.dlt",
					"kafka.worker.workers.orders.dead-letter.topic=orders-failed")
			.run((context) -> assertThat(failure(context).deadLetterTopicFor("orders")).isEqualTo("orders-failed"));
	}

	@Test
	void startupWhenDeadLetterTopicSuffixIsNoTopicNameShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("kafka.worker.workers.orders.dead-letter.topic-suffix=/dlt")
			.run((context) -> {
				KafkaWorkerConfigurationException failure = StartupFailures.configurationFailure(context);
				assertThat(failure).hasMessageContaining(
						"Invalid value '/dlt' for kafka.worker.workers.orders.dead-letter.topic-suffix");
				assertThat(failure.getAction()).contains("letters, digits, '.', '_' and '-'");
			});
	}

	private static FailureSettings failure(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return ((Worker) context.getBean(WorkerRegistry.class).find("orders")).settings().failure();
	}

}
