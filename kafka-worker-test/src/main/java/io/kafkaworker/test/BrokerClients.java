package io.kafkaworker.test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The test's own clients of a broker: an admin client and a producer of bytes, with the
 * topic operations the test support needs. Closed by its owner: the {@link SharedBroker}
 * at JVM exit, or the application context of a {@link ConnectedKafkaWorkerTest}.
 */
final class BrokerClients implements AutoCloseable {

	private static final Duration API_TIMEOUT = Duration.ofSeconds(30);

	private final String bootstrapServers;

	private final Admin admin;

	private final KafkaProducer<byte[], byte[]> producer;

	BrokerClients(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis()));
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		// A broker without auto.create.topics.enable fails a send to a missing topic
		// after this.
		properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
		this.producer = new KafkaProducer<>(properties);
	}

	String bootstrapServers() {
		return this.bootstrapServers;
	}

	Admin admin() {
		return this.admin;
	}

	KafkaProducer<byte[], byte[]> producer() {
		return this.producer;
	}

	/**
	 * Create topics that do not exist yet and wait until the broker leads each of their
	 * partitions: producing earlier can hit NOT_LEADER_OR_FOLLOWER and leave an
	 * idempotent producer retrying for a long time.
	 * @param topics the partitions of each topic, by name
	 */
	void createTopics(Map<String, Integer> topics) {
		for (Map.Entry<String, Integer> topic : topics.entrySet()) {
			createTopic(topic.getKey(), topic.getValue());
		}
	}

	private void createTopic(String name, int partitions) {
		try {
			this.admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw new IllegalStateException("Cannot create topic '" + name + "': " + ex.getCause(), ex.getCause());
			}
			int existing = partitionCount(name);
			if (existing != partitions) {
				throw new IllegalStateException("Topic '" + name + "' already exists on the broker with " + existing
						+ " partition(s), not " + partitions + ": another test class declared it "
						+ "differently; give each test class its own topic names");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		awaitLeaders(name, partitions);
	}

	private void awaitLeaders(String topic, int partitions) {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		for (int i = 0; i < partitions; i++) {
			request.put(new TopicPartition(topic, i), OffsetSpec.latest());
		}
		long deadline = System.nanoTime() + API_TIMEOUT.toNanos();
		try {
			while (true) {
				try {
					this.admin.listOffsets(request).all().get();
					return;
				}
				catch (ExecutionException ex) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException(
								"Topic '" + topic + "' has no leader for every partition after " + API_TIMEOUT, ex);
					}
					Thread.sleep(50);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return the number of partitions of a topic.
	 * @param topic the topic
	 * @return its partitions
	 * @throws ExecutionException if the topic does not exist (an
	 * {@code UnknownTopicOrPartitionException} cause) or the broker cannot be reached
	 * @throws InterruptedException if interrupted
	 */
	int partitionCountOrThrow(String topic) throws ExecutionException, InterruptedException {
		TopicDescription description = this.admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
		if (description == null) {
			throw new ExecutionException(new UnknownTopicOrPartitionException("Unknown topic " + topic));
		}
		return description.partitions().size();
	}

	private int partitionCount(String topic) {
		try {
			return partitionCountOrThrow(topic);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot describe topic '" + topic + "'", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.producer.close(Duration.ofSeconds(5));
		this.admin.close(Duration.ofSeconds(5));
	}

}
