package io.kafkaworker.autoconfigure.endpoint;

import io.kafkaworker.actuate.endpoint.KafkaTableViewsEndpoint;
import io.kafkaworker.actuate.endpoint.KafkaWorkersEndpoint;
import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link KafkaWorkersEndpointAutoConfiguration}.
 */
class KafkaWorkersEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class,
				KafkaWorkersEndpointAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1",
				"management.endpoints.web.exposure.include=kafkaworkers,kafkaviews");

	@Test
	void viewsEndpointOnlyWhenViewsAreConfigured() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(KafkaWorkersEndpoint.class)
			.doesNotHaveBean(KafkaTableViewsEndpoint.class));
		this.contextRunner.withPropertyValues("kafka.worker.views.clicks.topic=clicks-table").run((context) -> {
			assertThat(context).hasSingleBean(KafkaTableViewsEndpoint.class);
			KafkaTableViewsEndpoint endpoint = context.getBean(KafkaTableViewsEndpoint.class);
			assertThat(endpoint.views()).containsOnlyKeys("clicks");
			assertThat(endpoint.view("clicks").topic()).isEqualTo("clicks-table");
			assertThat(endpoint.view("nothing")).isNull();
			assertThat(endpoint.row("clicks", "user-1")).as("a row of a view that has read nothing").isNull();
		});
	}

}
