package io.kafkaworker.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.runtime.PartitionSnapshot;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.runtime.WorkerRegistry;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.runtime.WorkerView;
import io.kafkaworker.state.TableSerdes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the application's workers, through kafka-worker's real engine (dispatch, lanes,
 * offsets, retries, the failure policy, freezes, dead letters, the exactly-once sender),
 * over an in-memory Kafka instead of a broker, on a clock the test moves. A test sends
 * records, {@linkplain #runUntilIdle runs until nothing moves}, and asserts on what the
 * handlers received (per worker and per key, in order), the committed offsets, frozen
 * records, dead letters and what the handlers sent.
 * <p>
 * Get one from a {@code @SpringBootTest} annotated with {@link InMemoryKafkaWorkerTest}
 * (inject it, or declare it as a test method parameter), or without Spring for plain
 * handler objects with {@link #forHandlers}. Records reach a handler as the test sent
 * them: keys and values are objects, no serializer or deserializer runs (test those with
 * {@link EmbeddedKafkaWorkerTest} on a real broker).
 * <p>
 * Time: back-offs between attempts, the retry-after of frozen records and the back-off of
 * exactly-once units are timed by the tester's {@link ManualTaskScheduler}; they end only
 * when the test calls {@link #advanceTime}. Commits happen on every poll
 * ({@code commit-interval} 1 ms), so what is complete is committed when the tester is
 * idle.
 */
public final class KafkaWorkerTester implements AutoCloseable {

	/** The name of the tester's bean. */
	public static final String BEAN_NAME = "kafkaWorkerTester";

	// How long runUntilIdle waits for nothing to move before it fails.
	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	// Idle means nothing moved across this many checks, this far apart.
	private static final int QUIET_CHECKS = 4;

	private static final long CHECK_MILLIS = 5;

	// A lane waiting out a back-off looks at the clock at least this often, so after the
	// time moved the tester waits this long before it looks for quiet.
	private static final long BACKOFF_CHECK_MILLIS = 120;

	private final InMemoryKafka kafka;

	private final ManualTaskScheduler scheduler;

	private final Calls calls = new Calls();

	private @Nullable ConfigurableApplicationContext context;

	private Duration timeout = DEFAULT_TIMEOUT;

	private final boolean ownsContext;

	KafkaWorkerTester(InMemoryKafka kafka, ManualTaskScheduler scheduler, boolean ownsContext) {
		this.kafka = kafka;
		this.scheduler = scheduler;
		this.ownsContext = ownsContext;
	}

	/**
	 * Start a tester for handler objects, without an application of yours: a minimal
	 * Spring Boot context with Spring Kafka's and kafka-worker's auto-configuration runs
	 * the {@code @KafkaBatchWorker} methods of the given objects.
	 * @param handlers objects with {@code @KafkaBatchWorker} methods
	 * @return a builder; {@link KafkaWorkerTesterBuilder#start()} starts the workers
	 */
	public static KafkaWorkerTesterBuilder forHandlers(Object... handlers) {
		return new KafkaWorkerTesterBuilder(List.of(handlers));
	}

	void attach(ConfigurableApplicationContext context) {
		this.context = context;
	}

	WorkerObserver observer() {
		return this.calls;
	}

	/**
	 * Return a tester that waits at most the given time for the workers to go idle.
	 * @param timeout the longest wait of {@link #runUntilIdle}
	 * @return this tester
	 */
	public KafkaWorkerTester withTimeout(Duration timeout) {
		this.timeout = timeout;
		return this;
	}

	/**
	 * Create a topic with the given partitions, unless it exists. Topics that are not
	 * created are created on first use with the partitions given by
	 * {@link InMemoryKafkaWorkerTest#partitions()} (1 by default).
	 * @param topic the topic
	 * @param partitions its partitions
	 * @return this tester
	 */
	public KafkaWorkerTester createTopic(String topic, int partitions) {
		this.kafka.createTopic(topic, partitions);
		return this;
	}

	/**
	 * Append a record to a topic; its partition is chosen from the key as Kafka's default
	 * partitioner does for the key's string form.
	 * @param topic the topic
	 * @param key the key, or null
	 * @param value the value, or null
	 * @return the record as stored, with its partition and offset
	 */
	public ConsumerRecord<Object, Object> send(String topic, @Nullable Object key, @Nullable Object value) {
		return this.kafka.append(topic, null, key, value, null, null);
	}

	/**
	 * Append a record, with the partition, headers and timestamp it gives.
	 * @param record the record
	 * @return the record as stored, with its partition and offset
	 */
	public ConsumerRecord<Object, Object> send(ProducerRecord<?, ?> record) {
		Headers headers = record.headers();
		return this.kafka.append(record.topic(), record.partition(), record.key(), record.value(), headers,
				record.timestamp());
	}

	/**
	 * Wait until the workers are idle: every record sent is handled, frozen, waiting for
	 * the clock or for its turn behind a frozen one; no handler runs; and what is
	 * complete is committed. Time does not move.
	 * @return this tester
	 * @throws AssertionError if the workers are still busy after the timeout
	 */
	public KafkaWorkerTester runUntilIdle() {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		String previous = null;
		int quiet = 0;
		String state = "";
		while (quiet < QUIET_CHECKS) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("The workers did not go idle within " + this.timeout + ": " + state);
			}
			sleep(CHECK_MILLIS);
			state = state();
			boolean settled = this.calls.running() == 0 && settled();
			quiet = (settled && state.equals(previous)) ? quiet + 1 : 0;
			previous = state;
		}
		return this;
	}

	/**
	 * Move the tester's clock, which ends the back-offs and retry-after delays that fall
	 * due meanwhile, then {@link #runUntilIdle run until idle}.
	 * @param duration how far to move the clock
	 * @return this tester
	 */
	public KafkaWorkerTester advanceTime(Duration duration) {
		this.scheduler.advance(duration);
		sleep(BACKOFF_CHECK_MILLIS);
		return runUntilIdle();
	}

	/**
	 * Return the tester's clock's current time.
	 * @return the time
	 */
	public Instant now() {
		return this.scheduler.now();
	}

	/**
	 * Return the scheduler whose clock the workers' timed waits follow.
	 * @return the scheduler
	 */
	public ManualTaskScheduler scheduler() {
		return this.scheduler;
	}

	/**
	 * Return the records a worker's handler returned normally for, in the order the calls
	 * ended: the records of one key (KEY mode), partition (PARTITION) or of the worker
	 * (SERIAL) appear in the order they were handled.
	 * @param workerId the worker's id
	 * @return the records
	 */
	public List<ConsumerRecord<?, ?>> handled(String workerId) {
		return this.calls.handled(workerId);
	}

	/**
	 * Return the values a worker's handler returned normally for, grouped by key in the
	 * order of the keys' first records, each key's values in the order handled.
	 * @param workerId the worker's id
	 * @return the values by key
	 */
	public Map<@Nullable Object, List<@Nullable Object>> handledValuesByKey(String workerId) {
		Map<@Nullable Object, List<@Nullable Object>> byKey = new LinkedHashMap<>();
		for (ConsumerRecord<?, ?> record : handled(workerId)) {
			byKey.computeIfAbsent(record.key(), (key) -> new ArrayList<>()).add(record.value());
		}
		return byKey;
	}

	/**
	 * Return every attempt of a worker's handler, successful or not, in the order they
	 * ended.
	 * @param workerId the worker's id
	 * @return the attempts
	 */
	public List<Attempt> attempts(String workerId) {
		return this.calls.attempts(workerId);
	}

	/**
	 * Return a group's committed offsets: for each partition, the offset of the next
	 * record the group would read.
	 * @param groupId the group
	 * @return the offsets by partition
	 */
	public Map<TopicPartition, Long> committed(String groupId) {
		return this.kafka.committedOffsets(groupId);
	}

	/**
	 * Return a group's committed offset of one partition.
	 * @param groupId the group
	 * @param topic the topic
	 * @param partition the partition
	 * @return the offset, 0 when nothing was committed
	 */
	public long committed(String groupId, String topic, int partition) {
		return committed(groupId).getOrDefault(new TopicPartition(topic, partition), 0L);
	}

	/**
	 * Return the records of a topic: what handlers sent (only what committed, for
	 * exactly-once workers), dead letters, or what the test sent.
	 * @param topic the topic
	 * @return its records, by time, partition and offset
	 */
	public List<ConsumerRecord<Object, Object>> records(String topic) {
		return this.kafka.records(topic);
	}

	/**
	 * Return the dead letters published to a topic.
	 * @param deadLetterTopic the dead-letter topic (by default the source topic with
	 * {@code -dlt} appended)
	 * @return the dead letters, with their headers
	 */
	public List<DeadLetter> deadLetters(String deadLetterTopic) {
		return records(deadLetterTopic).stream().map(DeadLetter::new).toList();
	}

	/**
	 * Return a row of a group table (or any table topic) as a read_committed reader of
	 * the topic sees it: the last value written for the key.
	 * @param <V> the type of the table's values
	 * @param tableTopic the table topic, {@code <group>-table} for a worker's group table
	 * @param key the key (a String, as the records' keys)
	 * @param valueType the type of the table's values
	 * @return the value, or null if the row does not exist
	 */
	public <V> @Nullable V row(String tableTopic, Object key, Class<V> valueType) {
		byte[] serializedKey = serializeKey(tableTopic, key);
		byte[] value = null;
		boolean found = false;
		for (ConsumerRecord<Object, Object> record : records(tableTopic)) {
			if (record.key() instanceof byte[] bytes && java.util.Arrays.equals(bytes, serializedKey)) {
				value = (byte[]) record.value();
				found = true;
			}
		}
		if (!found || value == null) {
			return null;
		}
		return valueType.cast(TableSerdes.forType(valueType).deserializer().deserialize(tableTopic, value));
	}

	/**
	 * Set a row of a group table, as if an earlier run had written it: the row is
	 * appended to the table topic and the workers restore their tables again (every group
	 * is {@link #rebalance() rebalanced}), then the tester runs until idle.
	 * @param tableTopic the table topic, {@code <group>-table} for a worker's group table
	 * @param key the key (a String, as the records' keys)
	 * @param value the value, or null to delete the row
	 * @return this tester
	 */
	public KafkaWorkerTester setRow(String tableTopic, Object key, @Nullable Object value) {
		byte[] serializedValue = (value != null)
				? TableSerdes.forType(value.getClass()).serializer().serialize(tableTopic, value) : null;
		this.kafka.append(tableTopic, null, serializeKey(tableTopic, key), serializedValue, null, null);
		return rebalance();
	}

	private static byte[] serializeKey(String topic, Object key) {
		return (key instanceof byte[] bytes) ? bytes
				: TableSerdes.forType(key.getClass()).serializer().serialize(topic, key);
	}

	/**
	 * Revoke every partition of every group and assign them again, as an eager rebalance
	 * does: in-flight records finish and commit, group tables are restored from their
	 * topics. Then run until idle.
	 * @return this tester
	 */
	public KafkaWorkerTester rebalance() {
		this.kafka.rebalanceAll();
		return runUntilIdle();
	}

	/**
	 * Return a worker's frozen records.
	 * @param workerId the worker
	 * @return the frozen records
	 */
	public List<FrozenRecord> frozen(String workerId) {
		return worker(workerId).snapshot().frozenRecords();
	}

	/**
	 * Retry a worker's frozen record now, as the actuator endpoint's resume does, then
	 * run until idle.
	 * @param workerId the worker
	 * @param record the frozen record
	 * @return this tester
	 */
	public KafkaWorkerTester resume(String workerId, FrozenRecord record) {
		worker(workerId).resumeFrozen(record.topic(), record.partition(), frozenKey(record));
		return runUntilIdle();
	}

	/**
	 * Skip a worker's frozen record, as the actuator endpoint's skip does, then run until
	 * idle.
	 * @param workerId the worker
	 * @param record the frozen record
	 * @param toDeadLetter whether to publish it to the dead-letter topic first
	 * @return this tester
	 */
	public KafkaWorkerTester skip(String workerId, FrozenRecord record, boolean toDeadLetter) {
		worker(workerId).skipFrozen(record.topic(), record.partition(), frozenKey(record), toDeadLetter);
		return runUntilIdle();
	}

	private static @Nullable String frozenKey(FrozenRecord record) {
		return "KEY".equals(record.scope()) ? record.key() : null;
	}

	/**
	 * Return a worker, for everything the actuator endpoint shows and does.
	 * @param workerId the worker's id
	 * @return the worker
	 */
	public WorkerView worker(String workerId) {
		WorkerView worker = registry().find(workerId);
		if (worker == null) {
			throw new IllegalArgumentException("No worker '" + workerId + "'; the workers are "
					+ registry().all().stream().map(WorkerView::id).toList());
		}
		return worker;
	}

	private WorkerRegistry registry() {
		return Objects.requireNonNull(this.context, "The tester is not attached to an application context")
			.getBean(WorkerRegistry.class);
	}

	/**
	 * Stop the workers and close the application context the tester started; a tester of
	 * a {@code @SpringBootTest} leaves its context to Spring.
	 */
	@Override
	public void close() {
		ConfigurableApplicationContext owned = this.context;
		if (this.ownsContext && owned != null) {
			owned.close();
		}
	}

	// Settled: each worker joined, and each of its partitions has everything fetched
	// (unless paused, by a freeze or back-pressure) and everything complete committed.
	private boolean settled() {
		for (WorkerView worker : registry().all()) {
			WorkerSnapshot snapshot = worker.snapshot();
			if (snapshot.state() == WorkerSnapshot.State.RUNNING && !snapshot.joined()) {
				return false;
			}
			for (PartitionSnapshot partition : snapshot.partitions()) {
				long end = this.kafka.endOffset(new TopicPartition(partition.topic(), partition.partition()));
				boolean fetched = partition.position() >= end || !partition.pausedFor().isEmpty();
				// Nothing is committable (-1) before the partition's first record
				// arrives.
				boolean committed = partition.committableOffset() < 0
						|| partition.committedOffset() == partition.committableOffset();
				if (!fetched || !committed) {
					return false;
				}
			}
		}
		return true;
	}

	private String state() {
		StringBuilder state = new StringBuilder("calls running ").append(this.calls.running())
			.append(", attempts ")
			.append(this.calls.attemptCount())
			.append(", scheduled ")
			.append(this.scheduler.dueTimes());
		for (WorkerView worker : registry().all()) {
			WorkerSnapshot snapshot = worker.snapshot();
			state.append("; worker '")
				.append(snapshot.id())
				.append("' ")
				.append(snapshot.state())
				.append(snapshot.joined() ? "" : " (not joined)")
				.append(", buffered ")
				.append(snapshot.bufferedRecords())
				.append(", frozen ")
				.append(snapshot.frozenRecords().size());
			for (PartitionSnapshot partition : snapshot.partitions()) {
				state.append(", ")
					.append(partition.topic())
					.append('-')
					.append(partition.partition())
					.append(" position ")
					.append(partition.position())
					.append(" of ")
					.append(this.kafka.endOffset(new TopicPartition(partition.topic(), partition.partition())))
					.append(" committed ")
					.append(partition.committedOffset())
					.append(" complete ")
					.append(partition.committableOffset())
					.append(partition.pausedFor().isEmpty() ? "" : " paused for " + partition.pausedFor());
			}
		}
		return state.toString();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the workers", ex);
		}
	}

	/**
	 * One attempt of a call of a worker's handler.
	 *
	 * @param records the records the call received
	 * @param attempt the attempt, from 1
	 * @param failure what the handler threw, or null when it returned normally
	 */
	public record Attempt(List<ConsumerRecord<?, ?>> records, int attempt, @Nullable Throwable failure) {

		/**
		 * Return whether the handler returned normally.
		 * @return true on success
		 */
		public boolean succeeded() {
			return this.failure == null;
		}

	}

	// Told by the engine about every attempt, on the lane threads.
	private static final class Calls implements WorkerObserver {

		private final AtomicInteger running = new AtomicInteger();

		private final Map<String, List<Attempt>> attempts = new java.util.concurrent.ConcurrentHashMap<>();

		@Override
		public void attemptStarted(String workerId, List<ConsumerRecord<?, ?>> records, int attempt) {
			this.running.incrementAndGet();
		}

		@Override
		public void attemptEnded(String workerId, List<ConsumerRecord<?, ?>> records, int attempt,
				@Nullable Throwable failure) {
			this.attempts.computeIfAbsent(workerId, (id) -> new CopyOnWriteArrayList<>())
				.add(new Attempt(List.copyOf(records), attempt, failure));
			this.running.decrementAndGet();
		}

		int running() {
			return this.running.get();
		}

		int attemptCount() {
			return this.attempts.values().stream().mapToInt(List::size).sum();
		}

		List<Attempt> attempts(String workerId) {
			return List.copyOf(this.attempts.getOrDefault(workerId, List.of()));
		}

		List<ConsumerRecord<?, ?>> handled(String workerId) {
			List<ConsumerRecord<?, ?>> handled = new ArrayList<>();
			for (Attempt attempt : attempts(workerId)) {
				if (attempt.succeeded()) {
					handled.addAll(attempt.records());
				}
			}
			return handled;
		}

	}

}
