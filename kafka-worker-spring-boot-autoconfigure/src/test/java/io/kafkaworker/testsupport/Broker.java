package io.kafkaworker.testsupport;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One real KRaft broker (Apache Kafka's own server, in-process) shared by every
 * integration test of a test JVM. Tests isolate themselves with fresh topic and group
 * names rather than fresh brokers, which keeps the suite fast.
 */
public final class Broker {

	private static final AtomicInteger names = new AtomicInteger();

	private static volatile EmbeddedKafkaKraftBroker broker;

	private Broker() {
	}

	/**
	 * Return the bootstrap servers, starting the broker on first use.
	 * @return the bootstrap servers
	 */
	public static String bootstrapServers() {
		return broker().getBrokersAsString();
	}

	/**
	 * Return a name not used before in this JVM.
	 * @param prefix the name's prefix
	 * @return a unique name
	 */
	public static String uniqueName(String prefix) {
		return prefix + "-" + names.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100_000, 36);
	}

	/**
	 * Create a topic.
	 * @param name the topic
	 * @param partitions its partitions
	 */
	public static void createTopic(String name, int partitions) {
		broker().addTopics(new NewTopic(name, partitions, (short) 1));
		awaitLeaders(name, partitions);
	}

	/**
	 * Wait until the broker leads every partition of a new topic: producing earlier can
	 * hit NOT_LEADER_OR_FOLLOWER and leave an idempotent producer retrying for minutes.
	 */
	private static void awaitLeaders(String topic, int partitions) {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		for (int i = 0; i < partitions; i++) {
			request.put(new TopicPartition(topic, i), OffsetSpec.latest());
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		try (Admin admin = admin()) {
			while (true) {
				try {
					admin.listOffsets(request).all().get();
					return;
				}
				catch (ExecutionException ex) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("Topic " + topic + " has no leaders after 30s", ex);
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
	 * Produce records with string keys and values, and wait until all are acknowledged.
	 * @param topic the topic
	 * @param count how many records
	 * @param recordFor builds the i-th record's key (index 0) and value (index 1)
	 */
	public static void produce(String topic, int count, IntFunction<String[]> recordFor) {
		try (KafkaProducer<String, String> producer = producer()) {
			for (int i = 0; i < count; i++) {
				String[] keyAndValue = recordFor.apply(i);
				producer.send(new ProducerRecord<>(topic, keyAndValue[0], keyAndValue[1]));
			}
			producer.flush();
		}
	}

	/**
	 * Configure a share group: new members start at the earliest records, and a record's
	 * acquisition lock lasts as long as given (the broker allows down to 1 s here).
	 * @param groupId the share group
	 * @param lock the acquisition lock duration
	 */
	public static void configureShareGroup(String groupId, Duration lock) {
		try (Admin admin = admin()) {
			admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, groupId), List.of(
					new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
					new AlterConfigOp(new ConfigEntry("share.record.lock.duration.ms", Long.toString(lock.toMillis())),
							AlterConfigOp.OpType.SET))))
				.all()
				.get();
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Create a producer of string keys and values.
	 * @return a producer the caller closes
	 */
	public static KafkaProducer<String, String> producer() {
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		return new KafkaProducer<>(properties);
	}

	/**
	 * Return the log-end offset of every partition of a topic.
	 * @param topic the topic
	 * @return the end offsets
	 */
	public static Map<TopicPartition, Long> endOffsets(String topic) {
		try (Admin admin = admin()) {
			int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
			Map<TopicPartition, OffsetSpec> request = new HashMap<>();
			for (int i = 0; i < partitions; i++) {
				request.put(new TopicPartition(topic, i), OffsetSpec.latest());
			}
			return admin.listOffsets(request)
				.all()
				.get()
				.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return the committed offsets of a consumer group for one topic.
	 * @param groupId the group
	 * @param topic the topic
	 * @return the committed offsets of the partitions that have one
	 */
	public static Map<TopicPartition, Long> committedOffsets(String groupId, String topic) {
		try (Admin admin = admin()) {
			Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
				.partitionsToOffsetAndMetadata()
				.get();
			return offsets.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().topic().equals(topic) && entry.getValue() != null)
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Wait until a group has committed every partition of a topic up to its end offset as
	 * it is when the wait starts.
	 * @param groupId the group
	 * @param topic the topic
	 * @param atMost the longest wait
	 */
	public static void awaitAllCommitted(String groupId, String topic, Duration atMost) {
		Map<TopicPartition, Long> ends = endOffsets(topic);
		await().atMost(atMost).untilAsserted(() -> assertThat(committedOffsets(groupId, topic)).isEqualTo(ends));
	}

	/**
	 * Return the partitions each member of a consumer group holds, once the group is
	 * stable.
	 * @param groupId the group
	 * @return one set of partitions per member, or an empty list while the group is not
	 * stable
	 */
	public static List<Set<TopicPartition>> stableAssignments(String groupId) {
		try (Admin admin = admin()) {
			ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId))
				.describedGroups()
				.get(groupId)
				.get();
			if (group.groupState() != GroupState.STABLE) {
				return List.of();
			}
			return group.members()
				.stream()
				.map(MemberDescription::assignment)
				.map((assignment) -> Set.copyOf(assignment.topicPartitions()))
				.toList();
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Create an admin client.
	 * @return an admin client the caller closes
	 */
	public static Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Duration.ofSeconds(30).toMillis()));
	}

	private static EmbeddedKafkaKraftBroker broker() {
		EmbeddedKafkaKraftBroker current = broker;
		if (current == null) {
			synchronized (Broker.class) {
				current = broker;
				if (current == null) {
					current = new EmbeddedKafkaKraftBroker(1, 1);
					current.brokerProperties(Map.ofEntries(Map.entry("group.initial.rebalance.delay.ms", "0"),
							Map.entry("offsets.topic.num.partitions", "4"),
							Map.entry("transaction.state.log.num.partitions", "4"),
							Map.entry("transaction.state.log.replication.factor", "1"),
							Map.entry("transaction.state.log.min.isr", "1"),
							Map.entry("auto.create.topics.enable", "false"),
							Map.entry("group.min.session.timeout.ms", "1000"),
							// Workers use the consumer protocol (KIP-848) unless a test
							// chooses: its session and heartbeats are the broker's, as
							// short as the classic ones the tests set.
							Map.entry("group.consumer.min.session.timeout.ms", "3000"),
							Map.entry("group.consumer.session.timeout.ms", "6000"),
							Map.entry("group.consumer.min.heartbeat.interval.ms", "500"),
							Map.entry("group.consumer.heartbeat.interval.ms", "1000"),
							// Share groups (on by default in Kafka 4.2): a state topic
							// one
							// broker can hold, and locks as short as share tests need.
							Map.entry("share.coordinator.state.topic.replication.factor", "1"),
							Map.entry("share.coordinator.state.topic.min.isr", "1"),
							Map.entry("share.coordinator.state.topic.num.partitions", "4"),
							Map.entry("group.share.min.record.lock.duration.ms", "1000")));
					current.afterPropertiesSet();
					Runtime.getRuntime().addShutdownHook(new Thread(current::destroy));
					broker = current;
				}
			}
		}
		return current;
	}

}
