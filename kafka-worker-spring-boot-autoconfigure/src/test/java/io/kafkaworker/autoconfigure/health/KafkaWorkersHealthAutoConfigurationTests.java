package io.kafkaworker.autoconfigure.health;

import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
import io.kafkaworker.health.KafkaTableViewsHealthIndicator;
import io.kafkaworker.health.KafkaWorkersHealthIndicator;
import io.kafkaworker.health.KafkaWorkersLivenessHealthIndicator;
import io.kafkaworker.health.ProbeMembershipPostProcessor;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaWorkersHealthAutoConfiguration}.
 */
class KafkaWorkersHealthAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class,
				KafkaWorkersHealthAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1");

	@Test
	void readinessContributorIsNamedKafkaWorkersAndLivenessIsOptIn() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(KafkaWorkersHealthIndicator.class)
			.hasBean("kafkaWorkersHealthIndicator")
			.hasSingleBean(ProbeMembershipPostProcessor.class)
			.doesNotHaveBean(KafkaWorkersLivenessHealthIndicator.class));
	}

	@Test
	void tableViewsContributorOnlyWithViewsAndOutOfServiceUntilTheyRecovered() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean("kafkaTableViewsHealthIndicator"));
		this.contextRunner.withPropertyValues("kafka.worker.views.clicks.topic=clicks-table").run((context) -> {
			assertThat(context).hasBean("kafkaTableViewsHealthIndicator")
				.hasBean("clicks")
				.getBeans(ProbeMembershipPostProcessor.class)
				.hasSize(2);
			// No broker at localhost:1: the view never recovers.
			Health health = context.getBean(KafkaTableViewsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(health.getDetails()).extractingByKey("views")
				.asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsKey("clicks");
		});
	}

	@Test
	void livenessContributorWhenEnabledIsNamedKafkaWorkersLiveness() {
		this.contextRunner.withPropertyValues("kafka.worker.health.liveness.enabled=true")
			.run((context) -> assertThat(context).hasBean("kafkaWorkersLivenessHealthIndicator"));
	}

	@Test
	void healthWhenDisabledThroughManagementPropertyShouldBackOff() {
		this.contextRunner.withPropertyValues("management.health.kafkaworkers.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(KafkaWorkersHealthIndicator.class)
				.doesNotHaveBean(ProbeMembershipPostProcessor.class));
	}

	@Test
	void healthWhenWorkersAreDisabledShouldBackOff() {
		this.contextRunner.withPropertyValues("kafka.worker.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaWorkersHealthIndicator.class));
	}

}
