package io.kafkaworker.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.kafkaworker.annotation.KafkaBatchWorker;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.testsupport.Broker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Named clients on two real brokers: a worker consumes from a named cluster (a second
 * broker) while Spring Boot's clients stay on the first; named producers send to their
 * cluster with their compression (lz4 to the second, zstd to the first), and independent
 * consumers read every record back.
 */
class NamedClientsIntegrationTests {

	private static EmbeddedKafkaKraftBroker second;

	@BeforeAll
	static void startSecondCluster() {
		second = new EmbeddedKafkaKraftBroker(1, 1);
		second.afterPropertiesSet();
	}

	@AfterAll
	static void stopSecondCluster() {
		second.destroy();
	}

	@Test
	void aWorkerConsumesFromItsClusterAndNamedProducersSendToTheirsCompressed() throws Exception {
		String topic = Broker.uniqueName("named");
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", second.getBrokersAsString()))) {
			admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1), new NewTopic(topic + ".audit", 2, (short) 1)))
				.all()
				.get(30, TimeUnit.SECONDS);
		}
		Broker.createTopic(topic + ".copy", 2);
		List<String> values = new ArrayList<>();
		try (KafkaProducer<String, String> producer = producer(second.getBrokersAsString())) {
			for (int i = 0; i < 50; i++) {
				values.add("order-" + i);
				producer.send(new ProducerRecord<>(topic, "key-" + (i % 7), "order-" + i)).get(30, TimeUnit.SECONDS);
			}
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ClientsApplication.class)
			.web(WebApplicationType.NONE)
			.run("--spring.kafka.bootstrap-servers=" + Broker.bootstrapServers(),
					"--spring.kafka.consumer.auto-offset-reset=earliest", "--test.topic=" + topic,
					"--kafka.worker.clusters.second.bootstrap-servers=" + second.getBrokersAsString(),
					"--kafka.worker.workers.copier.cluster=second", "--kafka.worker.workers.copier.group-id=" + topic,
					"--kafka.worker.producers.audit.cluster=second",
					"--kafka.worker.producers.audit.compression-type=lz4",
					"--kafka.worker.producers.audit.default-topic=" + topic + ".audit",
					"--kafka.worker.producers.copy.compression-type=zstd")) {
			ClientsApplication application = context.getBean(ClientsApplication.class);
			await().atMost(Duration.ofSeconds(60)).until(() -> application.handled.size() == values.size());
			assertThat(application.handled).containsExactlyInAnyOrderElementsOf(values);
			assertThat(read(second.getBrokersAsString(), topic + ".audit", values.size()))
				.as("lz4 records on the named cluster")
				.containsExactlyInAnyOrderElementsOf(values);
			assertThat(read(Broker.bootstrapServers(), topic + ".copy", values.size()))
				.as("zstd records on Spring Boot's cluster")
				.containsExactlyInAnyOrderElementsOf(values);
		}
		assertThat(Broker.committedOffsets(topic, topic)).as("the worker's group on Spring Boot's cluster").isEmpty();
	}

	private static KafkaProducer<String, String> producer(String bootstrapServers) {
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
	}

	private static List<String> read(String bootstrapServers, String topic, int expected) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		List<String> values = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (values.size() < expected && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					values.add(record.value());
				}
			}
		}
		return values;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class ClientsApplication {

		final Queue<String> handled = new ConcurrentLinkedQueue<>();

		private final KafkaTemplate<String, String> audit;

		private final KafkaTemplate<String, String> copy;

		private final String copyTopic;

		ClientsApplication(@Qualifier("audit") KafkaTemplate<String, String> audit,
				@Qualifier("copy") KafkaTemplate<String, String> copy, Environment environment) {
			this.audit = audit;
			this.copy = copy;
			this.copyTopic = environment.getRequiredProperty("test.topic") + ".copy";
		}

		@KafkaBatchWorker(id = "copier", topics = "${test.topic}", mode = Mode.KEY)
		public void copy(ConsumerRecord<String, String> record) throws Exception {
			this.audit.sendDefault(record.key(), record.value()).get(30, TimeUnit.SECONDS);
			this.copy.send(this.copyTopic, record.key(), record.value()).get(30, TimeUnit.SECONDS);
			this.handled.add(record.value());
		}

	}

}
