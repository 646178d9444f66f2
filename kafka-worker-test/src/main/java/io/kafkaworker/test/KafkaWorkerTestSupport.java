package io.kafkaworker.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.runtime.PartitionSnapshot;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.runtime.WorkerView;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;

/**
 * Sends records to the test broker and waits for what workers do with them. The context
 * of an {@link EmbeddedKafkaWorkerTest} or {@link ConnectedKafkaWorkerTest} holds one as
 * a bean: inject it with {@code @Autowired}, or declare it as a parameter of a test
 * method.
 * <p>
 * Every {@code await} method polls the application's {@link WorkerRegistry} or the broker
 * every 50 ms and fails with an {@link AssertionError} after the {@link #timeout()
 * timeout} (30 s unless changed with {@link #withTimeout(Duration)}), naming the worker,
 * group or topic and what it saw last.
 */
public final class KafkaWorkerTestSupport {

	/**
	 * The name of the bean in the test's application context.
	 */
	public static final String BEAN_NAME = "kafkaWorkerTestSupport";

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	private static final long POLL_INTERVAL_MILLIS = 50;

	private final BrokerClients broker;

	private final ApplicationContext context;

	private final Duration timeout;

	KafkaWorkerTestSupport(BrokerClients broker, ApplicationContext context) {
		this(broker, context, DEFAULT_TIMEOUT);
	}

	private KafkaWorkerTestSupport(BrokerClients broker, ApplicationContext context, Duration timeout) {
		this.broker = broker;
		this.context = context;
		this.timeout = timeout;
	}

	/**
	 * Return a copy that waits up to another time.
	 * @param timeout the longest wait of each {@code await} method
	 * @return a copy with that timeout
	 */
	public KafkaWorkerTestSupport withTimeout(Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("The timeout must be positive, not " + timeout);
		}
		return new KafkaWorkerTestSupport(this.broker, this.context, timeout);
	}

	/**
	 * Return the longest wait of each {@code await} method.
	 * @return the timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Return the test broker's bootstrap servers, for clients of your own.
	 * @return the bootstrap servers
	 */
	public String bootstrapServers() {
		return this.broker.bootstrapServers();
	}

	/**
	 * Send a record and wait for the broker's acknowledgment.
	 * @param topic the topic
	 * @param key the key, sent as UTF-8, or null
	 * @param value the value, sent as UTF-8, or null for a tombstone
	 * @return where the record was written
	 */
	public RecordMetadata send(String topic, @Nullable String key, @Nullable String value) {
		return send(new ProducerRecord<>(topic, key, value));
	}

	/**
	 * Send a record, with its partition, timestamp and headers if it has them, and wait
	 * for the broker's acknowledgment.
	 * @param record the record; its key and value must be {@code String} (sent as UTF-8),
	 * {@code byte[]} (sent as is) or null
	 * @return where the record was written
	 */
	public RecordMetadata send(ProducerRecord<?, ?> record) {
		return sendAll(List.of(record)).get(0);
	}

	/**
	 * Send records in order and wait for the broker's acknowledgment of each. Records
	 * without a partition go where Kafka's default partitioner puts their key, as with
	 * any Java producer.
	 * @param records the records; their keys and values must be {@code String} (sent as
	 * UTF-8), {@code byte[]} (sent as is) or null
	 * @return where each record was written, in the same order
	 */
	public List<RecordMetadata> sendAll(List<? extends ProducerRecord<?, ?>> records) {
		List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
		for (ProducerRecord<?, ?> record : records) {
			sent.add(this.broker.producer()
				.send(new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(),
						bytes(record, "key", record.key()), bytes(record, "value", record.value()), record.headers())));
		}
		this.broker.producer().flush();
		List<RecordMetadata> written = new ArrayList<>(sent.size());
		for (int i = 0; i < sent.size(); i++) {
			String topic = records.get(i).topic();
			try {
				written.add(sent.get(i).get(this.timeout.toMillis(), TimeUnit.MILLISECONDS));
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException(
						"Cannot send a record to topic '" + topic + "' (" + ex.getCause()
								+ "); declare the topic in @EmbeddedKafkaWorkerTest(topics = ...) if it does not exist",
						ex.getCause());
			}
			catch (TimeoutException ex) {
				throw new AssertionError(
						"The broker did not acknowledge a record sent to topic '" + topic + "' within " + this.timeout,
						ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return written;
	}

	/**
	 * Return a worker of the application.
	 * @param workerId the worker id
	 * @return the worker
	 * @throws IllegalStateException if the application has no such worker
	 */
	public WorkerView worker(String workerId) {
		WorkerRegistry registry = this.context.getBeanProvider(WorkerRegistry.class).getIfAvailable();
		if (registry == null) {
			throw new IllegalStateException("The application context has no " + WorkerRegistry.class.getSimpleName()
					+ ": kafka-worker's auto-configuration is not active (kafka.worker.enabled=false?)");
		}
		WorkerView worker = registry.find(workerId);
		if (worker == null) {
			throw new IllegalStateException("The application has no worker '" + workerId + "'; its workers: "
					+ registry.all().stream().map(WorkerView::id).toList());
		}
		return worker;
	}

	/**
	 * Wait until every consumer of a worker joined its group and received its assignment,
	 * and the worker holds at least one partition. A share-group worker holds no
	 * partitions (the broker hands it records, not partitions): for it, the wait ends
	 * when every share consumer joined and polled.
	 * @param workerId the worker id
	 * @return the worker's snapshot at that moment, with its partitions
	 */
	public WorkerSnapshot awaitAssigned(String workerId) {
		WorkerView worker = worker(workerId);
		return await("Worker '" + workerId + "' was not assigned partitions", () -> {
			WorkerSnapshot snapshot = worker.snapshot();
			boolean assigned = snapshot.joined() && (snapshot.shareGroup() || !snapshot.partitions().isEmpty());
			return new Probe<>(assigned ? snapshot : null, describe(snapshot));
		});
	}

	/**
	 * Wait until a consumer group's committed offsets reach the end offsets of every
	 * partition of a topic: every record written to the topic so far was handled (or
	 * skipped or dead-lettered) and committed. A partition with no records needs no
	 * commit.
	 * @param groupId the consumer group (a worker's group is its id unless
	 * {@code group-id} is set)
	 * @param topic the topic
	 * @return the committed offsets at that moment, by partition
	 */
	public Map<TopicPartition, Long> awaitCommitted(String groupId, String topic) {
		return await("Consumer group '" + groupId + "' did not commit topic '" + topic + "' up to its end offsets",
				() -> {
					Map<TopicPartition, Long> end = endOffsets(topic, IsolationLevel.READ_UNCOMMITTED);
					Map<TopicPartition, Long> committed = committedOffsets(groupId, topic);
					boolean reached = end.entrySet()
						.stream()
						.allMatch((entry) -> committed.getOrDefault(entry.getKey(), 0L) >= entry.getValue());
					return new Probe<>(reached ? committed : null,
							"committed " + byPartition(committed) + ", end offsets " + byPartition(end));
				});
	}

	/**
	 * Wait until a worker holds at least one frozen record (after its retries, with
	 * {@code on-failure: FREEZE}, or when a dead letter could not be published).
	 * @param workerId the worker id
	 * @return the frozen records at that moment, oldest first
	 */
	public List<FrozenRecord> awaitFrozen(String workerId) {
		WorkerView worker = worker(workerId);
		return await("Worker '" + workerId + "' froze no record", () -> {
			WorkerSnapshot snapshot = worker.snapshot();
			return new Probe<>(snapshot.frozenRecords().isEmpty() ? null : snapshot.frozenRecords(),
					describe(snapshot));
		});
	}

	/**
	 * Read every record of a dead-letter topic written so far (transactional ones once
	 * committed), without a consumer group. The records of a partition come in offset
	 * order, partition after partition. A worker commits past a dead-lettered record only
	 * once the broker acknowledged the dead letter, so after
	 * {@link #awaitCommitted(String, String)} on the worker's topic every dead letter it
	 * wrote is there.
	 * @param topic the dead-letter topic
	 * @return the records, none if the topic does not exist
	 */
	public List<DeadLetter> readDeadLetters(String topic) {
		Map<TopicPartition, Long> end;
		try {
			end = endOffsets(topic, IsolationLevel.READ_COMMITTED);
		}
		catch (UnknownTopicOrPartitionException ex) {
			return List.of();
		}
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
			consumer.assign(end.keySet());
			consumer.seekToBeginning(end.keySet());
			await("Could not read dead-letter topic '" + topic + "' up to its end offsets " + byPartition(end), () -> {
				consumer.poll(Duration.ofMillis(POLL_INTERVAL_MILLIS)).forEach(records::add);
				Map<TopicPartition, Long> positions = new HashMap<>();
				boolean done = true;
				for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
					long position = consumer.position(partition.getKey());
					positions.put(partition.getKey(), position);
					done &= position >= partition.getValue();
				}
				return new Probe<>(done ? Boolean.TRUE : null,
						records.size() + " record(s) read, positions " + byPartition(positions));
			});
		}
		return records.stream()
			.sorted(Comparator.comparingInt(ConsumerRecord<byte[], byte[]>::partition)
				.thenComparingLong(ConsumerRecord::offset))
			.map(DeadLetter::new)
			.toList();
	}

	private Map<TopicPartition, Long> endOffsets(String topic, IsolationLevel isolation) {
		try {
			int partitions = this.broker.partitionCountOrThrow(topic);
			Map<TopicPartition, OffsetSpec> request = new HashMap<>();
			for (int i = 0; i < partitions; i++) {
				request.put(new TopicPartition(topic, i), OffsetSpec.latest());
			}
			return this.broker.admin()
				.listOffsets(request, new ListOffsetsOptions(isolation))
				.all()
				.get()
				.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof UnknownTopicOrPartitionException unknown) {
				throw unknown;
			}
			throw new IllegalStateException("Cannot read the end offsets of topic '" + topic + "'", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Map<TopicPartition, Long> committedOffsets(String groupId, String topic) {
		try {
			Map<TopicPartition, OffsetAndMetadata> offsets = this.broker.admin()
				.listConsumerGroupOffsets(groupId)
				.partitionsToOffsetAndMetadata()
				.get();
			Map<TopicPartition, Long> committed = new HashMap<>();
			offsets.forEach((partition, offset) -> {
				if (partition.topic().equals(topic) && offset != null) {
					committed.put(partition, offset.offset());
				}
			});
			return committed;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot read the committed offsets of group '" + groupId + "'",
					ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private <T> T await(String failure, Supplier<Probe<T>> probe) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		String seen = "nothing yet";
		while (true) {
			try {
				Probe<T> attempt = probe.get();
				T result = attempt.result();
				if (result != null) {
					return result;
				}
				seen = attempt.seen();
			}
			catch (RuntimeException ex) {
				seen = ex.toString();
			}
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError(failure + " within " + this.timeout + "; last seen: " + seen);
			}
			try {
				Thread.sleep(POLL_INTERVAL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting: " + failure, ex);
			}
		}
	}

	private static String describe(WorkerSnapshot snapshot) {
		StringBuilder text = new StringBuilder();
		text.append("state ").append(snapshot.state()).append(", joined ").append(snapshot.joined());
		text.append(", partitions [");
		for (int i = 0; i < snapshot.partitions().size(); i++) {
			PartitionSnapshot partition = snapshot.partitions().get(i);
			text.append((i > 0) ? ", " : "").append(partition.topic()).append('-').append(partition.partition());
			text.append(" committed ").append(partition.committedOffset()).append(" of ").append(partition.endOffset());
			if (!partition.pausedFor().isEmpty()) {
				text.append(" paused for ").append(partition.pausedFor());
			}
		}
		text.append("], frozen records ").append(snapshot.frozenRecords().size());
		text.append(", handler calls running ").append(snapshot.runningCalls());
		return text.toString();
	}

	private static String byPartition(Map<TopicPartition, Long> offsets) {
		Map<String, Long> sorted = new LinkedHashMap<>();
		offsets.entrySet()
			.stream()
			.sorted(Comparator.comparing((Map.Entry<TopicPartition, Long> entry) -> entry.getKey().topic())
				.thenComparingInt((entry) -> entry.getKey().partition()))
			.forEach((entry) -> sorted.put(entry.getKey().toString(), entry.getValue()));
		return sorted.toString();
	}

	private static byte @Nullable [] bytes(ProducerRecord<?, ?> record, String what, @Nullable Object data) {
		if (data == null || data instanceof byte[]) {
			return (byte[]) data;
		}
		if (data instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		throw new IllegalArgumentException("Cannot send a record to topic '" + record.topic() + "' with a " + what
				+ " of type " + data.getClass().getName() + ": send a String or a byte[] (serialize it yourself)");
	}

	private record Probe<T>(@Nullable T result, String seen) {

	}

}
