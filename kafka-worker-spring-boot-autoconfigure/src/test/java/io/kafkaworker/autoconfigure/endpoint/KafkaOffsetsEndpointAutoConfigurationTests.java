package io.kafkaworker.autoconfigure.endpoint;

import java.util.Map;

import io.kafkaworker.actuate.endpoint.KafkaOffsetsEndpoint;
import io.kafkaworker.admin.KafkaOffsets;
import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
import io.kafkaworker.testsupport.Broker;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.KafkaAdmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the {@link KafkaOffsets} bean of {@link KafkaWorkerAutoConfiguration} and the
 * {@code kafkaoffsets} endpoint of {@link KafkaWorkersEndpointAutoConfiguration}.
 */
class KafkaOffsetsEndpointAutoConfigurationTests {

	// Nothing is reached on localhost:1: KafkaOffsets connects on its first question.
	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaWorkerAutoConfiguration.class,
				KafkaWorkersEndpointAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1");

	@Test
	void offsetsEndpointWhenExposedShouldAnswerFromTheBroker() {
		String topic = Broker.uniqueName("offsets-endpoint");
		Broker.createTopic(topic, 2);
		Broker.produce(topic, 5, (i) -> new String[] { "k" + i, "v" + i });
		this.contextRunner
			.withPropertyValues("spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"management.endpoints.web.exposure.include=kafkaoffsets")
			.run((context) -> {
				assertThat(context).hasSingleBean(KafkaOffsets.class).hasSingleBean(KafkaOffsetsEndpoint.class);
				KafkaOffsetsEndpoint endpoint = context.getBean(KafkaOffsetsEndpoint.class);
				assertThat(endpoint.topic(topic, null, null).watermarks().messageCount()).isEqualTo(5);
				assertThat(endpoint.topic("no-such-topic", null, null)).isNull();
			});
	}

	@Test
	void offsetsEndpointWhenNotExposedShouldNotBeCreated() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(KafkaOffsets.class)
			.doesNotHaveBean(KafkaOffsetsEndpoint.class));
	}

	@Test
	void offsetsWhenKafkaWorkerIsDisabledShouldBackOff() {
		this.contextRunner
			.withPropertyValues("kafka.worker.enabled=false", "management.endpoints.web.exposure.include=kafkaoffsets")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaOffsets.class)
				.doesNotHaveBean(KafkaOffsetsEndpoint.class));
	}

	@Test
	void offsetsWhenTheApplicationDefinesItsOwnShouldBeTheApplications() {
		this.contextRunner.withBean("myOffsets", KafkaOffsets.class, () -> new KafkaOffsets(kafkaAdmin()))
			.withPropertyValues("management.endpoints.web.exposure.include=kafkaoffsets")
			.run((context) -> assertThat(context).hasSingleBean(KafkaOffsets.class)
				.hasBean("myOffsets")
				.hasSingleBean(KafkaOffsetsEndpoint.class));
	}

	@Test
	void offsetsWhenThereIsNoSingleKafkaAdminShouldBackOff() {
		this.contextRunner
			.withBean("firstAdmin", KafkaAdmin.class, KafkaOffsetsEndpointAutoConfigurationTests::kafkaAdmin)
			.withBean("secondAdmin", KafkaAdmin.class, KafkaOffsetsEndpointAutoConfigurationTests::kafkaAdmin)
			.withPropertyValues("management.endpoints.web.exposure.include=kafkaoffsets")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaOffsets.class)
				.doesNotHaveBean(KafkaOffsetsEndpoint.class));
	}

	@Test
	void offsetsShouldBeClosedWithTheContext() {
		KafkaOffsets[] closed = new KafkaOffsets[1];
		this.contextRunner.run((context) -> closed[0] = context.getBean(KafkaOffsets.class));
		assertThatIllegalStateException().isThrownBy(() -> closed[0].watermarks("orders"))
			.withMessage("KafkaOffsets is closed");
	}

	private static KafkaAdmin kafkaAdmin() {
		return new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1"));
	}

}
