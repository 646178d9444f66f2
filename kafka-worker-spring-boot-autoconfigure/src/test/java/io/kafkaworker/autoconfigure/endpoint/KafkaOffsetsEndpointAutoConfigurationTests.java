package io.kafkaworker.autoconfigure.endpoint;

import java.util.Map;

import io.kafkaworker.actuate.endpoint.KafkaOffsetsEndpoint;
import io.kafkaworker.admin.KafkaOffsets;
import io.kafkaworker.autoconfigure.KafkaWorkerAutoConfiguration;
import io.kafkaworker.testsupport.Broker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
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

	// The answers as the actuator writes them over HTTP, with its own JSON mapper.
	@Test
	void offsetsEndpointWhenExposedShouldAnswerFromTheBroker() throws Exception {
		String topic = Broker.uniqueName("offsets-endpoint");
		String group = Broker.uniqueName("offsets-endpoint-group");
		Broker.createTopic(topic, 2);
		try (KafkaProducer<String, String> producer = Broker.producer()) {
			producer.send(new ProducerRecord<>(topic, 0, "k", "v"));
			producer.send(new ProducerRecord<>(topic, 0, "k", "v"));
			producer.flush();
		}
		try (Admin admin = Broker.admin()) {
			admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)))
				.all()
				.get();
		}
		this.contextRunner.withConfiguration(AutoConfigurations.of(JacksonEndpointAutoConfiguration.class))
			.withPropertyValues("spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"management.endpoints.web.exposure.include=kafkaoffsets")
			.run((context) -> {
				assertThat(context).hasSingleBean(KafkaOffsets.class).hasSingleBean(KafkaOffsetsEndpoint.class);
				KafkaOffsetsEndpoint endpoint = context.getBean(KafkaOffsetsEndpoint.class);
				JsonMapper json = context.getBean(EndpointJsonMapper.class).get();
				assertThat(json.writeValueAsString(endpoint.topic(topic, null, null)))
					.isEqualTo("{\"watermarks\":{\"topic\":\"" + topic + "\",\"isolation\":\"read_uncommitted\","
							+ "\"partitions\":[{\"partition\":0,\"low\":0,\"high\":2,\"messageCount\":2},"
							+ "{\"partition\":1,\"low\":0,\"high\":0,\"messageCount\":0}],\"messageCount\":2}}");
				assertThat(json.writeValueAsString(endpoint.topic(topic, "0", null)))
					.contains("\"offsetsForTimestamp\":{\"topic\":\"" + topic
							+ "\",\"timestamp\":\"1970-01-01T00:00:00Z\",\"partitions\":[{\"partition\":0,\"offset\":0,");
				assertThat(json.writeValueAsString(endpoint.group(topic, group, null))).isEqualTo("{\"group\":\""
						+ group + "\",\"topic\":\"" + topic + "\",\"isolation\":\"read_uncommitted\","
						+ "\"partitions\":[{\"partition\":0,\"committedOffset\":1,\"low\":0,\"high\":2,\"lag\":1},"
						+ "{\"partition\":1,\"low\":0,\"high\":0,\"lag\":0}],\"totalLag\":1}");
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
