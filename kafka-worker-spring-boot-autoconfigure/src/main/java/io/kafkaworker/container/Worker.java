package io.kafkaworker.container;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.annotation.WorkerMethod;
import io.kafkaworker.commit.OffsetCommitter;
import io.kafkaworker.dispatch.Backpressure;
import io.kafkaworker.dispatch.Dispatcher;
import io.kafkaworker.dispatch.Ordering;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.lane.LaneSnapshot;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.runtime.PartitionSnapshot;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.runtime.WorkerView;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.converter.RecordMessageConverter;

/**
 * The engine of one worker: its lanes, back-pressure, freezes, and one
 * {@link ConsumerSession} per Kafka consumer of its listener container. Shared by the
 * container's consumer threads, whose callbacks find their session by consumer.
 */
public final class Worker implements WorkerView {

	private static final Log logger = LogFactory.getLog(Worker.class);

	/** Most records per call of a single-record handler, handled one after another. */
	private static final int MAX_CHUNK = 32;

	private final WorkerSettings settings;

	private final WorkerServices services;

	private final LaneScheduler<WorkItem> scheduler;

	private final Dispatcher dispatcher;

	private final Backpressure backpressure;

	private final PartitionPauses pauses = new PartitionPauses();

	private final FreezeControl freezes;

	private final WorkerEvents events;

	private final WorkerExecutor executor;

	private final Map<Consumer<?, ?>, ConsumerSession> sessions = new ConcurrentHashMap<>();

	private volatile @Nullable MessageListenerContainer container;

	/**
	 * Create the engine of one worker.
	 * @param settings the resolved settings
	 * @param method the user's method
	 * @param converter the converter for payloads that need one, or null
	 * @param services the application's shared infrastructure
	 */
	public Worker(WorkerSettings settings, WorkerMethod method, @Nullable RecordMessageConverter converter,
			WorkerServices services) {
		this.settings = settings;
		this.services = services;
		this.executor = services.executors().apply(settings);
		this.events = new WorkerEvents(services.eventPublisher());
		this.events.setSource(this);
		this.backpressure = new Backpressure(settings.maxBufferedRecords(), settings.maxBufferedBytes(),
				this.pauses.forBackpressure());
		Ordering ordering = Ordering.valueOf(settings.mode().name());
		boolean batch = method.signature().isBatch();
		HandlerHolder holder = new HandlerHolder();
		this.scheduler = new LaneScheduler<>(settings.concurrency(), batch ? settings.batchSize() : MAX_CHUNK, !batch,
				this.executor.executor(), (items) -> Objects.requireNonNull(holder.handler).handle(items));
		DeadLetterPublisher deadLetters = (services.deadLetterTemplate() != null) ? new DeadLetterPublisher(
				settings.failure(), settings.groupId(), services.deadLetterTemplate(), services.admin()) : null;
		this.freezes = new FreezeControl(settings, ordering, this.scheduler, this.pauses, this.events, deadLetters,
				services.taskScheduler());
		FailureActions failureActions = new FailureActions(settings, this.freezes, deadLetters, this.events,
				this::stopAsync, FailureActions.FailureListener.NONE);
		holder.handler = new RecordHandler(settings, batch, new HandlerMethodInvoker(method, converter),
				this.backpressure, failureActions);
		this.dispatcher = new Dispatcher(ordering, this.scheduler);
	}

	@Override
	public String id() {
		return this.settings.id();
	}

	/**
	 * Return the worker's settings.
	 * @return the settings
	 */
	public WorkerSettings settings() {
		return this.settings;
	}

	/**
	 * Connect the worker to its listener container, which pauses and resumes partitions.
	 * @param container the container
	 */
	void attach(MessageListenerContainer container) {
		this.container = container;
		this.pauses.attach(container);
	}

	/**
	 * Return the session of a consumer, creating it on first use.
	 * @param consumer a consumer of this worker's container
	 * @return the session
	 */
	ConsumerSession session(Consumer<?, ?> consumer) {
		ConsumerSession session = this.sessions.get(consumer);
		return (session != null) ? session : this.sessions.computeIfAbsent(consumer, this::newSession);
	}

	/**
	 * Forget a consumer's session once it holds no partition, so stopped consumers do not
	 * accumulate.
	 * @param consumer the consumer
	 */
	void endSessionIfIdle(Consumer<?, ?> consumer) {
		this.sessions.computeIfPresent(consumer, (key, session) -> session.hasPartitions() ? session : null);
	}

	private ConsumerSession newSession(Consumer<?, ?> consumer) {
		OffsetCommitter committer = new OffsetCommitter(this.settings.id(), this.settings.commitInterval(),
				this.settings.commitTimeout(), System::nanoTime, this.services.commitListener());
		return new ConsumerSession(this.settings, consumer, this.dispatcher, this.scheduler, this.backpressure,
				committer, this.freezes, this.pauses, this.events);
	}

	/**
	 * Release the freezes of a partition, or of one key of it, so that the frozen records
	 * are tried again.
	 * @param topic the topic
	 * @param partition the partition
	 * @param key the key as text, or null for every freeze of the partition
	 * @return the records released
	 */
	public List<FrozenRecord> resumeFrozen(String topic, int partition, @Nullable String key) {
		return this.freezes.resume(topic, partition, key);
	}

	/**
	 * Skip the frozen records of a partition, or of one key of it.
	 * @param topic the topic
	 * @param partition the partition
	 * @param key the key as text, or null for every freeze of the partition
	 * @param toDeadLetter whether to publish the records to the dead-letter topic first
	 * @return the records skipped
	 */
	public List<FrozenRecord> skipFrozen(String topic, int partition, @Nullable String key, boolean toDeadLetter) {
		return this.freezes.skip(topic, partition, key, toDeadLetter);
	}

	/**
	 * Return the records that froze their partition or key.
	 * @return the frozen records, oldest first
	 */
	public List<FrozenRecord> frozenRecords() {
		return this.freezes.frozenRecords();
	}

	// Stopping a container waits for its consumers, which wait for in-flight records: it
	// must not run on a lane thread.
	private void stopAsync() {
		MessageListenerContainer current = this.container;
		if (current != null) {
			new SimpleAsyncTaskExecutor("kafka-worker-stop-").execute(current::stop);
		}
	}

	@Override
	public WorkerSnapshot snapshot() {
		LaneSnapshot lanes = this.scheduler.snapshot();
		List<PartitionSnapshot> partitions = new ArrayList<>();
		Set<TopicPartition> paused = this.backpressure.pausedPartitions();
		for (ConsumerSession session : this.sessions.values()) {
			for (PartitionOffsets partition : session.partitions()) {
				TopicPartition topicPartition = partition.topicPartition();
				partitions.add(new PartitionSnapshot(topicPartition.topic(), topicPartition.partition(),
						partition.committableOffset(), session.lastCommitted(topicPartition),
						partition.lastReceivedOffset(), partition.outstanding(), partition.inFlight(),
						paused.contains(topicPartition)));
			}
		}
		partitions.sort(Comparator.comparing(PartitionSnapshot::topic).thenComparingInt(PartitionSnapshot::partition));
		MessageListenerContainer current = this.container;
		return new WorkerSnapshot(this.settings.id(), this.settings.groupId(), this.settings.topics(),
				this.settings.mode().name(), this.settings.delivery().name(), current != null && current.isRunning(),
				lanes.concurrency(), lanes.runningCalls(), lanes.lanes(), lanes.haltedLanes(), lanes.bufferedItems(),
				this.settings.maxBufferedRecords(), partitions);
	}

	/**
	 * Stop the lanes and the executor. Called when the application context closes, after
	 * the listener container stopped.
	 */
	public void close() {
		List<WorkItem> dropped = this.scheduler.close();
		if (!dropped.isEmpty() && this.settings.delivery() == Delivery.AT_LEAST_ONCE && logger.isDebugEnabled()) {
			logger.debug("Worker '" + this.settings.id() + "' closed with " + dropped.size()
					+ " buffered records; they are redelivered after restart");
		}
		this.executor.close();
	}

	// The scheduler needs the handler and the handler needs what the scheduler feeds:
	// the holder breaks the cycle during construction only.
	private static final class HandlerHolder {

		@Nullable RecordHandler handler;

	}

}
