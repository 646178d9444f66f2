package io.kafkaworker.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.annotation.WorkerMethod;
import io.kafkaworker.delivery.DeliveryGuarantee;
import io.kafkaworker.delivery.ReaderEnd;
import io.kafkaworker.delivery.RevocationWait;
import io.kafkaworker.dispatch.Backpressure;
import io.kafkaworker.dispatch.Dispatcher;
import io.kafkaworker.dispatch.PartitionPauses;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.event.ReaderFinishedEvent;
import io.kafkaworker.event.WorkerEvents;
import io.kafkaworker.failure.FreezeRegistry;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.lane.LaneSnapshot;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.runtime.PartitionSnapshot;
import io.kafkaworker.runtime.ReaderSnapshot;
import io.kafkaworker.runtime.TableSnapshot;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.runtime.WorkerView;
import io.kafkaworker.state.GroupTable;
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

	private static final long SEEK_TIMEOUT_SECONDS = 10;

	/** Most records per call of a single-record handler, handled one after another. */
	private static final int MAX_CHUNK = 32;

	private final WorkerSettings settings;

	// A poll cycle longer than this left a stale consumer (null for share groups).
	// A poll blocks for at most the poll timeout, itself at most the commit interval;
	// a revocation for less than max.poll.interval.ms, checked at startup. Only a
	// process stopped or starved for longer than max.poll.interval.ms takes longer.
	private final @Nullable Duration staleAfter;

	private final WorkerServices services;

	private final LaneScheduler<WorkItem> scheduler;

	private final Dispatcher dispatcher;

	private final Backpressure backpressure;

	private final PartitionPauses pauses;

	private final RevocationWait revocationWait;

	private final FreezeRegistry freezes;

	private final WorkerEvents events;

	private final WorkerExecutor executor;

	private final RecordHandler handler;

	private final DeliveryGuarantee delivery;

	private final PartitionStates states;

	private final @Nullable GroupTable table;

	// Routes finished records to their share consumers; null for other workers.
	private final @Nullable ShareAcks shareAcks;

	private final Map<Consumer<?, ?>, ConsumerSession> sessions = new ConcurrentHashMap<>();

	private volatile @Nullable MessageListenerContainer container;

	private volatile boolean joined;

	// Set when a reader reached its end; a new start reads again from its start position.
	private volatile boolean finished;

	// Where a reader's partitions start and end, once its consumer took them.
	private volatile @Nullable Map<TopicPartition, ReaderFinishedEvent.ReadPartition> readerBounds;

	/**
	 * Create the engine of one worker.
	 * @param settings the resolved settings
	 * @param method the user's method
	 * @param converter the converter for payloads that need one, or null
	 * @param services the application's shared infrastructure
	 * @param maxPollInterval the consumers' {@code max.poll.interval.ms}, or null for a
	 * share-group worker
	 */
	public Worker(WorkerSettings settings, WorkerMethod method, @Nullable RecordMessageConverter converter,
			WorkerServices services, @Nullable Duration maxPollInterval) {
		this.settings = settings;
		this.staleAfter = (maxPollInterval != null) ? maxPollInterval.plus(settings.commitInterval()) : null;
		this.services = services;
		WorkerAssembly parts = new WorkerAssembly(settings, method, converter, services, this, this::stopAsync,
				new ReaderEnd() {

					@Override
					public void started(Map<TopicPartition, ReaderFinishedEvent.ReadPartition> partitions) {
						Worker.this.readerBounds = Map.copyOf(partitions);
					}

					@Override
					public void reached(Map<TopicPartition, ReaderFinishedEvent.ReadPartition> partitions) {
						readerReached(partitions);
					}

				});
		this.executor = parts.executor;
		this.events = parts.events;
		this.pauses = parts.pauses;
		this.revocationWait = parts.revocationWait;
		this.scheduler = parts.scheduler;
		this.backpressure = parts.backpressure;
		this.freezes = parts.freezes;
		this.delivery = parts.delivery;
		this.handler = parts.handler;
		this.dispatcher = parts.dispatcher;
		this.states = parts.states;
		this.table = parts.table;
		this.shareAcks = parts.shareAcks;
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
		this.pauses.attach(new PartitionPauses.Target() {

			@Override
			public void pausePartition(TopicPartition partition) {
				container.pausePartition(partition);
			}

			@Override
			public void resumePartition(TopicPartition partition) {
				container.resumePartition(partition);
			}

		});

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
	 * Before each poll of a consumer, on its thread: the session's periodic duties. A
	 * reader's consumer is assigned its partitions by the container, which calls no
	 * rebalance listener for an explicit assignment: its session takes them on the first
	 * poll, when the container has made its initial seeks.
	 * @param consumer the consumer
	 */
	void beforePoll(Consumer<?, ?> consumer) {
		ConsumerSession session = session(consumer);
		if (this.settings.reader() != null && !session.hasPartitions() && !consumer.assignment().isEmpty()) {
			// A reader has one consumer: other sessions belong to consumers of earlier
			// starts.
			this.sessions.keySet().removeIf((other) -> other != consumer);
			this.finished = false;
			session.assigned(consumer.assignment());
		}
		session.beforePoll();
	}

	// A reader's consumer handled everything below its end offsets: report what it read
	// and
	// stop, off the consumer thread (stopping waits for it).
	private void readerReached(Map<TopicPartition, ReaderFinishedEvent.ReadPartition> read) {
		this.finished = true;
		ReaderFinishedEvent event = new ReaderFinishedEvent(this.events.source(), this.settings.id(), read);
		logger.info("Worker '" + this.settings.id() + "' read " + event.getRecords() + " records to the end of "
				+ read.keySet() + " and stops");
		this.events.publish(event);
		stopAsync();
	}

	/**
	 * Forget a consumer's session once it holds no partition, so stopped consumers do not
	 * accumulate.
	 * @param consumer the consumer
	 */
	void endSessionIfIdle(Consumer<?, ?> consumer) {
		ConsumerSession session = this.sessions.get(consumer);
		if (session != null && !session.hasPartitions() && this.sessions.remove(consumer, session)) {
			session.close();
		}
	}

	private ConsumerSession newSession(Consumer<?, ?> consumer) {
		return new ConsumerSession(
				this.settings.id(), consumer, this.dispatcher, this.scheduler, this.backpressure, this.delivery,
				this.freezes, this.pauses, this.events, this.services.observer(), new JoinWatch(this.settings.id(),
						this.settings.groupId(), this.services.bootstrapServers(), System::nanoTime),
				this.states, this.staleAfter);
	}

	/**
	 * Shut the worker down gracefully: stop fetching, finish records, commit, leave the
	 * group, all within the timeout. Does nothing if the worker does not run.
	 * @param drain which records to finish
	 * @param timeout the longest time the whole sequence may take
	 * @throws InterruptedException if the thread is interrupted
	 */
	public void shutdown(DrainMode drain, Duration timeout) throws InterruptedException {
		new WorkerDrain(this, drain, timeout).run();
	}

	@Nullable MessageListenerContainer listenerContainer() {
		return this.container;
	}

	Dispatcher dispatcher() {
		return this.dispatcher;
	}

	ShareAcks shareAcks() {
		return Objects.requireNonNull(this.shareAcks, "not a share-group worker");
	}

	WorkerObserver observer() {
		return this.services.observer();
	}

	LaneScheduler<WorkItem> scheduler() {
		return this.scheduler;
	}

	RecordHandler handler() {
		return this.handler;
	}

	RevocationWait revocationWait() {
		return this.revocationWait;
	}

	DeliveryGuarantee delivery() {
		return this.delivery;
	}

	Collection<ConsumerSession> sessions() {
		return this.sessions.values();
	}

	@Override
	public void pause() {
		container().pause();
		logger.warn("Worker '" + this.settings.id() + "' paused at an operator's request");
	}

	@Override
	public void resume() {
		container().resume();
		logger.warn("Worker '" + this.settings.id() + "' resumed at an operator's request");
	}

	@Override
	public List<FrozenRecord> resumeFrozen(String topic, int partition, @Nullable String key) {
		return this.freezes.resume(topic, partition, key);
	}

	@Override
	public List<FrozenRecord> skipFrozen(String topic, int partition, @Nullable String key, boolean toDeadLetter) {
		return this.freezes.skip(topic, partition, key, toDeadLetter);
	}

	@Override
	public void seek(String topic, int partition, long offset) {
		MessageListenerContainer current = container();
		if (!current.isPauseRequested()) {
			throw new IllegalStateException("Worker '" + this.settings.id() + "' must be paused before a seek");
		}
		if (offset < 0) {
			throw new IllegalArgumentException("The offset must not be negative");
		}
		TopicPartition topicPartition = new TopicPartition(topic, partition);
		ConsumerSession owner = null;
		for (ConsumerSession session : this.sessions.values()) {
			if (session.holds(topicPartition)) {
				owner = session;
			}
		}
		if (owner == null) {
			throw new IllegalStateException(
					"Worker '" + this.settings.id() + "' holds no partition " + topicPartition + " in this instance");
		}
		try {
			owner.seek(topicPartition, offset).get(SEEK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new IllegalStateException("Seek of " + topicPartition + " failed: " + cause.getMessage(), cause);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("The consumer did not perform the seek within " + SEEK_TIMEOUT_SECONDS
					+ " seconds; it runs before the next poll");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the seek", ex);
		}
	}

	/**
	 * Return the records that froze their partition or key.
	 * @return the frozen records, oldest first
	 */
	public List<FrozenRecord> frozenRecords() {
		return this.freezes.frozenRecords();
	}

	private MessageListenerContainer container() {
		MessageListenerContainer current = this.container;
		if (current == null) {
			throw new IllegalStateException("Worker '" + this.settings.id() + "' has no listener container yet");
		}
		return current;
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
		for (ConsumerSession session : this.sessions.values()) {
			for (PartitionOffsets partition : session.partitions()) {
				partitions.add(snapshot(session, partition));
			}
		}
		partitions.sort(Comparator.comparing(PartitionSnapshot::topic).thenComparingInt(PartitionSnapshot::partition));
		return new WorkerSnapshot(this.settings.id(), this.settings.groupId(), this.settings.topics(),
				this.settings.mode().name(), this.settings.delivery().name(), state(), this.settings.autoStartup(),
				this.settings.consumers(), lanes.concurrency(), lanes.runningCalls(), lanes.lanes(),
				lanes.haltedLanes(), lanes.bufferedItems(), this.settings.maxBufferedRecords(), partitions,
				frozenRecords(), joined(), sinceLastPoll(), this.handler.longestRunning(), tableSnapshot(),
				readerSnapshot(partitions), this.settings.shareGroup());
	}

	private @Nullable ReaderSnapshot readerSnapshot(List<PartitionSnapshot> partitions) {
		Map<TopicPartition, ReaderFinishedEvent.ReadPartition> bounds = this.readerBounds;
		if (bounds == null) {
			return null;
		}
		Map<TopicPartition, Long> positions = new HashMap<>();
		partitions.forEach((partition) -> positions.put(new TopicPartition(partition.topic(), partition.partition()),
				partition.position()));
		List<ReaderSnapshot.ReaderPartition> reading = new ArrayList<>();
		bounds.forEach((partition, bound) -> reading
			.add(new ReaderSnapshot.ReaderPartition(partition.topic(), partition.partition(), bound.startOffset(),
					bound.endOffset(), positions.getOrDefault(partition, -1L))));
		reading.sort(Comparator.comparing(ReaderSnapshot.ReaderPartition::topic)
			.thenComparingInt(ReaderSnapshot.ReaderPartition::partition));
		return new ReaderSnapshot(this.finished, reading);
	}

	private @Nullable TableSnapshot tableSnapshot() {
		GroupTable groupTable = this.table;
		if (groupTable == null) {
			return null;
		}
		List<TableSnapshot.RestoringPartition> restoring = new ArrayList<>();
		groupTable.restoring()
			.forEach((progress) -> restoring.add(new TableSnapshot.RestoringPartition(progress.partition(),
					progress.position(), progress.endOffset())));
		return new TableSnapshot(groupTable.topic(), groupTable.store().keepsCheckpoints(), restoring);
	}

	private PartitionSnapshot snapshot(ConsumerSession session, PartitionOffsets partition) {
		TopicPartition topicPartition = partition.topicPartition();
		long lastCommitted = session.lastCommitted(topicPartition);
		long committed = (lastCommitted >= 0) ? lastCommitted : partition.firstPosition();
		long endOffset = partition.endOffset();
		long lag = (committed >= 0 && endOffset >= 0) ? Math.max(0, endOffset - committed) : -1;
		int inFlight = partition.inFlight();
		List<String> pausedFor = new ArrayList<>();
		for (PartitionPauses.Reason reason : this.pauses.reasons(topicPartition)) {
			pausedFor.add(reason.name());
		}
		return new PartitionSnapshot(topicPartition.topic(), topicPartition.partition(), committed,
				partition.committableOffset(), partition.position(), endOffset, lag, inFlight,
				Math.max(0, partition.outstanding() - inFlight), pausedFor);
	}

	// Every consumer of the container joined its group (GroupJoin): as many sessions as
	// consumers, all joined. Once true it stays true, so readiness does not flap while a
	// later rebalance moves partitions.
	private boolean joined() {
		if (this.joined) {
			return true;
		}
		if (this.container instanceof ShareWorkerContainer share) {
			this.joined = share.joined();
			return this.joined;
		}
		int assigned = 0;
		for (ConsumerSession session : this.sessions.values()) {
			if (session.joined()) {
				assigned++;
			}
		}
		this.joined = assigned >= this.settings.consumers();
		return this.joined;
	}

	private Duration sinceLastPoll() {
		Duration longest = (this.container instanceof ShareWorkerContainer share) ? share.sinceLastPoll()
				: Duration.ZERO;
		for (ConsumerSession session : this.sessions.values()) {
			Duration since = session.sinceLastPoll();
			if (since.compareTo(longest) > 0) {
				longest = since;
			}
		}
		return longest;
	}

	private WorkerSnapshot.State state() {
		MessageListenerContainer current = this.container;
		if (current == null || !current.isRunning()) {
			return this.finished ? WorkerSnapshot.State.FINISHED : WorkerSnapshot.State.STOPPED;
		}
		return current.isPauseRequested() ? WorkerSnapshot.State.PAUSED : WorkerSnapshot.State.RUNNING;
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
		for (ConsumerSession session : this.sessions.values()) {
			session.close();
		}
		if (this.table != null) {
			this.table.close();
		}
	}

}
