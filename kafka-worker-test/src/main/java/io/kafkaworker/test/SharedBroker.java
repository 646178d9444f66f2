package io.kafkaworker.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.WeakHashMap;
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
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The one in-process KRaft broker of a test JVM, with an admin client and a producer
 * shared by every {@link KafkaWorkerTestSupport}. Started on first use, stopped when the
 * JVM exits.
 */
final class SharedBroker {

	private static final Duration API_TIMEOUT = Duration.ofSeconds(30);

	private static volatile @Nullable SharedBroker instance;

	private final EmbeddedKafkaKraftBroker broker;

	private final Admin admin;

	private final KafkaProducer<byte[], byte[]> producer;

	private final Set<ConfigurableApplicationContext> contexts = Collections
		.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

	private SharedBroker() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.brokerProperties(Map.of("group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "4",
				"transaction.state.log.num.partitions", "4", "transaction.state.log.replication.factor", "1",
				"transaction.state.log.min.isr", "1", "auto.create.topics.enable", "false",
				"group.min.session.timeout.ms", "1000"));
		broker.afterPropertiesSet();
		this.broker = broker;
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis()));
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		// auto.create.topics.enable is off: a send to a missing topic fails after this
		properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
		this.producer = new KafkaProducer<>(properties);
		Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "kafka-worker-test-broker-shutdown"));
	}

	/**
	 * Return the broker, starting it on first use.
	 * @return the broker of this JVM
	 */
	static SharedBroker get() {
		SharedBroker current = instance;
		if (current == null) {
			synchronized (SharedBroker.class) {
				current = instance;
				if (current == null) {
					current = new SharedBroker();
					instance = current;
				}
			}
		}
		return current;
	}

	String bootstrapServers() {
		return this.broker.getBrokersAsString();
	}

	/**
	 * Remember a context that uses the broker, so that it closes before the broker stops
	 * at JVM exit: its workers then commit and leave their groups instead of waiting for
	 * a broker that is gone.
	 * @param context the context
	 */
	void register(ConfigurableApplicationContext context) {
		this.contexts.add(context);
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
				throw new IllegalStateException("Topic '" + name + "' already exists on the test broker with "
						+ existing + " partition(s), not " + partitions + ": another test class declared it "
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

	private void stop() {
		List<ConfigurableApplicationContext> open;
		synchronized (this.contexts) {
			open = new ArrayList<>(this.contexts);
		}
		for (ConfigurableApplicationContext context : open) {
			try {
				// waits for a close already under way in Spring's own shutdown hook
				context.close();
			}
			catch (RuntimeException ex) {
				// the JVM exits: nothing to report to
			}
		}
		this.producer.close(Duration.ofSeconds(5));
		this.admin.close(Duration.ofSeconds(5));
		this.broker.destroy();
	}

}
