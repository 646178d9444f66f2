package io.kafkaworker.autoconfigure;

import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.container.Worker;
import io.kafkaworker.error.WorkerRetryPolicy;
import io.kafkaworker.failure.FailureSettings;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.testsupport.OrdersWorkerConfiguration;
import io.kafkaworker.testsupport.StartupFailures;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

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

	@Test
	void backOffWhenNotConfiguredShouldBeExponentialWithJitter() {
		this.contextRunner.run((context) -> assertThat(failure(context).retry().backOff())
			.asInstanceOf(InstanceOfAssertFactories.type(ExponentialBackOff.class))
			.satisfies((backOff) -> {
				assertThat(backOff.getInitialInterval()).isEqualTo(1000);
				assertThat(backOff.getMultiplier()).isEqualTo(2.0);
				assertThat(backOff.getMaxInterval()).isEqualTo(30_000);
				assertThat(backOff.getJitter()).as("half the initial wait, growing with it").isEqualTo(500);
			}));
	}

	@ParameterizedTest
	@CsvSource({ "0.2, 200ms, 40", "0, 1s, 0" })
	void backOffJitterShouldBeAShareOfTheWorkersInitialWait(String jitter, String initial, long jitterMillis) {
		this.contextRunner
			.withPropertyValues("kafka.worker.defaults.retry.backoff.jitter=" + jitter,
					"kafka.worker.workers.orders.retry.backoff.initial=" + initial)
			.run((context) -> assertThat(failure(context).retry().backOff())
				.asInstanceOf(InstanceOfAssertFactories.type(ExponentialBackOff.class))
				.extracting(ExponentialBackOff::getJitter)
				.isEqualTo(jitterMillis));
	}

	@Test
	void startupWhenBackOffJitterIsAboveOneShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("kafka.worker.defaults.retry.backoff.jitter=1.5")
			.run((context) -> assertThat(StartupFailures.configurationFailure(context))
				.hasMessageContaining("Invalid value '1.5' for kafka.worker.defaults.retry.backoff.jitter")
				.hasMessageContaining("a number from 0 to 1"));
	}

	@Test
	void backOffBeanShouldBeTheWorkersBackOff() {
		this.contextRunner.withUserConfiguration(BackOffConfiguration.class)
			.withPropertyValues("kafka.worker.workers.orders.retry.backoff.bean=ordersBackOff",
					"kafka.worker.workers.orders.retry.max-attempts=10")
			.run((context) -> {
				WorkerRetryPolicy retry = failure(context).retry();
				assertThat(retry.backOff()).isSameAs(context.getBean("ordersBackOff"));
				assertThat(retry.maxAttempts()).isEqualTo(10);
			});
	}

	@Test
	void backOffBeanOfTheDefaultsShouldApplyUnlessTheWorkerSetsItEmpty() {
		this.contextRunner.withUserConfiguration(BackOffConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.retry.backoff.bean=ordersBackOff")
			.run((context) -> assertThat(failure(context).retry().backOff())
				.isSameAs(context.getBean("ordersBackOff")));
		this.contextRunner.withUserConfiguration(BackOffConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.retry.backoff.bean=ordersBackOff",
					"kafka.worker.workers.orders.retry.backoff.bean=")
			.run((context) -> assertThat(failure(context).retry().backOff()).isInstanceOf(ExponentialBackOff.class));
	}

	@Test
	void startupWhenBackOffBeanDoesNotExistShouldFailNamingThePropertyAndTheBean() {
		this.contextRunner.withPropertyValues("kafka.worker.workers.orders.retry.backoff.bean=missingBackOff")
			.run((context) -> {
				KafkaWorkerConfigurationException failure = StartupFailures.configurationFailure(context);
				assertThat(failure)
					.hasMessageStartingWith(
							"kafka.worker.workers.orders.retry.backoff.bean names the BackOff bean 'missingBackOff'")
					.hasMessageContaining("there is no bean of that name");
				assertThat(failure.getAction()).contains("Define a bean named 'missingBackOff'")
					.contains(BackOff.class.getName());
			});
	}

	@Test
	void startupWhenBackOffBeanIsNotABackOffShouldFailNamingThePropertyAndTheBean() {
		this.contextRunner.withUserConfiguration(BackOffConfiguration.class)
			.withPropertyValues("kafka.worker.defaults.retry.backoff.bean=notABackOff")
			.run((context) -> assertThat(StartupFailures.configurationFailure(context))
				.hasMessageStartingWith("kafka.worker.defaults.retry.backoff.bean names the bean 'notABackOff'")
				.hasMessageContaining("which is a java.lang.String, not a " + BackOff.class.getName()));
	}

	private static FailureSettings failure(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return ((Worker) context.getBean(WorkerRegistry.class).find("orders")).settings().failure();
	}

	@Configuration(proxyBeanMethods = false)
	static class BackOffConfiguration {

		@Bean
		BackOff ordersBackOff() {
			return new FixedBackOff(100, 5);
		}

		@Bean
		String notABackOff() {
			return "fixed 100ms";
		}

	}

}
