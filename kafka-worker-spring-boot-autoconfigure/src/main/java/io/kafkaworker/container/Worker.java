package io.kafkaworker.container;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.annotation.WorkerMethod;
import io.kafkaworker.commit.CommitListener;
import io.kafkaworker.commit.OffsetCommitter;
import io.kafkaworker.dispatch.Backpressure;
import io.kafkaworker.dispatch.Dispatcher;
import io.kafkaworker.dispatch.Ordering;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.lane.LaneSnapshot;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.runtime.PartitionSnapshot;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.runtime.WorkerView;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.converter.RecordMessageConverter;

/**
 * The engine of one worker: its lanes, back-pressure, and one {@link ConsumerSession} per
 * Kafka consumer of its listener container. Shared by the container's consumer threads,
 * whose callbacks find their session by consumer.
 */
public final class Worker implements WorkerView {

	private static final Log logger = LogFactory.getLog(Worker.class);

	private final WorkerSettings settings;

	private final LaneScheduler<WorkItem> scheduler;

	private final Dispatcher dispatcher;

	private final Backpressure backpressure;

	private final ContainerPauseControl pauseControl = new ContainerPauseControl();

	private final WorkerExecutor executor;

	private final CommitListener commitListener;

	private final Map<Consumer<?, ?>, ConsumerSession> sessions = new ConcurrentHashMap<>();

	private volatile @Nullable MessageListenerContainer container;

	/**
	 * Create the engine of one worker.
	 * @param settings the resolved settings
	 * @param method the user's method
	 * @param converter the converter for payloads that need one, or null
	 * @param executor the executor that runs lanes, owned by this worker from now on
	 * @param commitListener told about each commit
	 */
	public Worker(WorkerSettings settings, WorkerMethod method, @Nullable RecordMessageConverter converter,
			WorkerExecutor executor, CommitListener commitListener) {
		this.settings = settings;
		this.executor = executor;
		this.commitListener = commitListener;
		this.backpressure = new Backpressure(settings.maxBufferedRecords(), this.pauseControl);
		HandlerMethodInvoker invoker = new HandlerMethodInvoker(method, converter);
		RecordHandler handler = new RecordHandler(settings.id(), settings.delivery(), invoker, this.backpressure);
		int callSize = method.signature().isBatch() ? settings.batchSize() : 1;
		this.scheduler = new LaneScheduler<>(settings.concurrency(), callSize, executor.executor(), handler);
		this.dispatcher = new Dispatcher(Ordering.valueOf(settings.mode().name()), this.scheduler);
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
		this.pauseControl.attach(container);
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
				this.settings.commitTimeout(), System::nanoTime, this.commitListener);
		return new ConsumerSession(this.settings, consumer, this.dispatcher, this.scheduler, this.backpressure,
				committer);
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
				this.backpressure.maxRecords(), partitions);
	}

	/**
	 * Stop the lanes and the executor. Called when the application context closes, after
	 * the listener container stopped.
	 */
	public void close() {
		List<WorkItem> dropped = this.scheduler.close();
		if (!dropped.isEmpty() && this.settings.delivery() == Delivery.AT_LEAST_ONCE) {
			logger.debug("Worker '" + this.settings.id() + "' closed with " + dropped.size()
					+ " buffered records; they are redelivered after restart");
		}
		this.executor.close();
	}

}
