package io.kafkaworker.autoconfigure;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.annotation.HandlerSignature;
import io.kafkaworker.annotation.KafkaWorkerConfigurationException;
import io.kafkaworker.annotation.Mode;
import io.kafkaworker.annotation.WorkerMethod;
import io.kafkaworker.container.WorkerServices;
import io.kafkaworker.container.WorkerSettings;
import io.kafkaworker.state.GroupTable;
import io.kafkaworker.state.InMemoryTableStore;
import io.kafkaworker.state.RocksDbTableStore;
import io.kafkaworker.state.TableSerdes;
import io.kafkaworker.state.TableStore;
import io.kafkaworker.state.TableWrites;
import io.kafkaworker.transaction.ExactlyOnceStore;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.util.ClassUtils;

/**
 * Creates the group tables of workers whose method takes a {@code TableRow}: checks the
 * worker can have one (KEY mode; at-least-once or exactly-once through Kafka), names the
 * topic, picks the value serde from the row's type and the key serializer from Spring
 * Boot's producer, and chooses how writes join the delivery guarantee.
 */
final class GroupTables implements WorkerServices.Tables {

	private final KafkaWorkerProperties properties;

	private final @Nullable ConsumerFactory<Object, Object> consumerFactory;

	private final @Nullable ProducerFactory<?, ?> producerFactory;

	private final @Nullable KafkaOperations<Object, Object> template;

	private final @Nullable KafkaAdmin admin;

	GroupTables(KafkaWorkerProperties properties, @Nullable ConsumerFactory<Object, Object> consumerFactory,
			@Nullable ProducerFactory<?, ?> producerFactory, @Nullable KafkaOperations<Object, Object> template,
			@Nullable KafkaAdmin admin) {
		this.properties = properties;
		this.consumerFactory = consumerFactory;
		this.producerFactory = producerFactory;
		this.template = template;
		this.admin = admin;
	}

	@Override
	public GroupTable create(WorkerSettings settings, WorkerMethod method) {
		String worker = "Worker '" + settings.id() + "' (" + method.description() + ") takes a TableRow";
		if (settings.mode() != Mode.KEY) {
			throw new KafkaWorkerConfigurationException(
					worker + " but runs in mode " + settings.mode()
							+ ": a group table's row has one writer only when each key's records run one at a time",
					"Set mode = Mode.KEY on the annotation or kafka.worker.workers." + settings.id() + ".mode=KEY.");
		}
		boolean exactlyOnce = settings.delivery() == Delivery.EXACTLY_ONCE;
		if (settings.delivery() == Delivery.AT_MOST_ONCE
				|| (exactlyOnce && settings.exactlyOnceStore() != ExactlyOnceStore.KAFKA)) {
			throw new KafkaWorkerConfigurationException(
					worker + " with delivery " + settings.delivery()
							+ (exactlyOnce ? " and exactly-once.store " + settings.exactlyOnceStore() : "")
							+ ": a group table is kept with AT_LEAST_ONCE or EXACTLY_ONCE through Kafka",
					"Use delivery AT_LEAST_ONCE, or EXACTLY_ONCE with kafka.worker.workers." + settings.id()
							+ ".exactly-once.store=KAFKA.");
		}
		ConsumerFactory<Object, Object> consumers = this.consumerFactory;
		KafkaOperations<Object, Object> writer = this.template;
		if (consumers == null || this.producerFactory == null || writer == null) {
			throw new KafkaWorkerConfigurationException(
					worker + " but the application has no ConsumerFactory and ProducerFactory",
					"Let Spring Boot auto-configure Kafka (spring.kafka.*), or define both factories.");
		}
		Class<?> valueType = HandlerSignature.tableValueType(method.method());
		String topic = topic(settings);
		TableWrites writes = exactlyOnce ? TableWrites.transactional() : TableWrites.acknowledged(writer);
		Serde<Object> values = serde(valueType, "Worker '" + settings.id() + "' (" + method.description() + ")");
		return new GroupTable(settings.id(), topic, store(settings, topic), keySerializer(), values.serializer(),
				values.deserializer(), writes, restoreConsumers(consumers, settings.id()),
				() -> prepare(settings, topic), settings.topics());
	}

	private TableStore store(WorkerSettings settings, String topic) {
		KafkaWorkerProperties.Worker configured = this.properties.getWorkers().get(settings.id());
		KafkaWorkerProperties.Table table = (configured != null) ? configured.getTable()
				: new KafkaWorkerProperties.Table();
		if (table.getStore() != KafkaWorkerProperties.Table.TableStoreType.ROCKSDB) {
			return new InMemoryTableStore();
		}
		return rocksDb(table.getDirectory(), topic, false,
				"Worker '" + settings.id() + "' keeps its group table in RocksDB (kafka.worker.workers." + settings.id()
						+ ".table.store=ROCKSDB)");
	}

	/**
	 * Open a RocksDB store, failing with a configuration error when RocksDB is missing.
	 * @param directory the configured parent directory, or null for the default
	 * @param name the store's directory name (or prefix, for a temporary store)
	 * @param temporary whether the store gets a directory of its own, deleted on close
	 * @param who what keeps its rows there, with the setting, for the error
	 * @return the store
	 */
	static TableStore rocksDb(@Nullable Path directory, String name, boolean temporary, String who) {
		if (!ClassUtils.isPresent("org.rocksdb.RocksDB", GroupTables.class.getClassLoader())) {
			throw new KafkaWorkerConfigurationException(who + ", but RocksDB is not on the class path",
					"Add org.rocksdb:rocksdbjni, or use store MEMORY.");
		}
		Path parent = (directory != null) ? directory : Path.of(System.getProperty("java.io.tmpdir"), "kafka-worker");
		return temporary ? RocksDbTableStore.temporary(parent, name) : new RocksDbTableStore(parent, name);
	}

	private String topic(WorkerSettings settings) {
		KafkaWorkerProperties.Worker configured = this.properties.getWorkers().get(settings.id());
		String topic = (configured != null) ? configured.getTable().getTopic() : null;
		return (topic != null && !topic.isBlank()) ? topic : settings.groupId() + "-table";
	}

	// The table's keys are the records' keys as Spring Boot's producer serializes them
	// (what a user's own producer of the input writes), so a row is found by the same
	// bytes; serialized bytes pass through.
	@SuppressWarnings("unchecked")
	private Serializer<Object> keySerializer() {
		ProducerFactory<?, ?> factory = this.producerFactory;
		Serializer<Object> configured = (factory != null && factory.getKeySerializerSupplier() != null)
				? (Serializer<Object>) factory.getKeySerializerSupplier().get() : null;
		DeadLetterSerializer serializer = new DeadLetterSerializer(configured);
		Map<String, Object> configs = new HashMap<>(
				(factory != null) ? factory.getConfigurationProperties() : Map.of());
		configs.putIfAbsent("key.serializer", StringSerializer.class);
		serializer.configure(configs, true);
		return serializer;
	}

	/**
	 * Return the serde of a table's keys or values.
	 * @param type their type
	 * @param user who needs it, for the message of a failure
	 * @return the serde
	 */
	static Serde<Object> serde(Class<?> type, String user) {
		try {
			return TableSerdes.forType(type);
		}
		catch (IllegalStateException ex) {
			throw new KafkaWorkerConfigurationException(user + ": " + ex.getMessage(),
					"Add spring-boot-starter-json, or change the type.", ex);
		}
	}

	private static Function<Properties, Consumer<byte[], byte[]>> restoreConsumers(
			ConsumerFactory<Object, Object> consumers, String workerId) {
		return (overrides) -> bytesConsumer(consumers, workerId + "-table-restore", overrides);
	}

	/**
	 * Create a consumer of bytes from the application's consumer factory (its connection
	 * and security settings), for reading tables outside any group.
	 * @param consumers the application's consumer factory
	 * @param clientId the client id prefix
	 * @param overrides properties that replace the factory's
	 * @return the consumer
	 */
	@SuppressWarnings("unchecked")
	static Consumer<byte[], byte[]> bytesConsumer(ConsumerFactory<Object, Object> consumers, String clientId,
			Properties overrides) {
		Properties properties = new Properties();
		properties.putAll(overrides);
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		// A table topic is created by its worker, with the partitions of its input.
		properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
		return (Consumer<byte[], byte[]>) (Consumer<?, ?>) consumers.createConsumer(null, clientId, "", properties);
	}

	// Before the first restore, on the consumer thread: the table topic exists,
	// compacted, with as many partitions as every input topic (a record's row lives in
	// the table partition of the record's partition number).
	private void prepare(WorkerSettings settings, String topic) {
		KafkaAdmin kafkaAdmin = this.admin;
		if (kafkaAdmin == null) {
			return;
		}
		Map<String, TopicDescription> inputs = kafkaAdmin.describeTopics(settings.topics().toArray(String[]::new));
		Integer partitions = null;
		for (TopicDescription input : inputs.values()) {
			int count = input.partitions().size();
			if (partitions != null && partitions != count) {
				throw new KafkaWorkerConfigurationException(
						"Worker '" + settings.id() + "' has a group table but its " + "topics are not co-partitioned: "
								+ counts(inputs),
						"Give the worker's topics the same " + "number of partitions, or split the worker by topic.");
			}
			partitions = count;
		}
		if (partitions == null) {
			return;
		}
		Map<String, TopicDescription> tables = describeIfExists(kafkaAdmin, topic);
		TopicDescription table = tables.get(topic);
		if (table == null) {
			kafkaAdmin.createOrModifyTopics(new NewTopic(topic, Optional.of(partitions), Optional.empty())
				.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
		}
		else if (table.partitions().size() != partitions) {
			throw new KafkaWorkerConfigurationException(
					"Worker '" + settings.id() + "' has group table '" + topic + "' with " + table.partitions().size()
							+ " partitions, but its topics " + counts(inputs) + " are not partitioned alike",
					"Recreate the table topic with " + partitions + " partitions, or name another one with "
							+ "kafka.worker.workers." + settings.id() + ".table.topic.");
		}
	}

	private static Map<String, TopicDescription> describeIfExists(KafkaAdmin admin, String topic) {
		try {
			return admin.describeTopics(topic);
		}
		catch (RuntimeException ex) {
			return Map.of();
		}
	}

	private static String counts(Map<String, TopicDescription> topics) {
		Map<String, Integer> counts = new HashMap<>();
		topics.forEach((name, description) -> counts.put(name, description.partitions().size()));
		return counts.toString();
	}

}
