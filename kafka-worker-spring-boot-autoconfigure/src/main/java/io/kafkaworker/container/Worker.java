package io.kafkaworker.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.annotation.WorkerMethod;
import io.kafkaworker.commit.OffsetCommitter;
import io.kafkaworker.dispatch.Backpressure;
import io.kafkaworker.dispatch.Dispatcher;
import io.kafkaworker.dispatch.Ordering;
import io.kafkaworker.dispatch.PartitionPauses;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.event.Resolution;
import io.kafkaworker.event.WorkerEvents;
import io.kafkaworker.failure.DeadLetterPublisher;
import io.kafkaworker.failure.FailureActions;
import io.kafkaworker.failure.FreezeControl;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.lane.LaneSnapshot;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.runtime.PartitionSnapshot;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.runtime.WorkerSnapshot;
import io.kafkaworker.runtime.WorkerView;
import io.kafkaworker.transaction.KafkaTransaction;
import io.kafkaworker.transaction.TransactionalIds;
import io.kafkaworker.transaction.TransactionalProducers;
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

	private final WorkerServices services;

	private final LaneScheduler<WorkItem> scheduler;

	private final Dispatcher dispatcher;

	private final Backpressure backpressure;

	private final PartitionPauses pauses = new PartitionPauses();

	private final FreezeControl freezes;

	private final WorkerEvents events;

	private final WorkerExecutor executor;

	private final RecordHandler handler;

	private final Map<Consumer<?, ?>, ConsumerSession> sessions = new ConcurrentHashMap<>();

	private final InvocationDecorator decorator;

	/** Kafka transactions: the ids of the consumers' producers, or null. */
	private final @Nullable TransactionalIds transactionalIds;

	/** Kafka transactions: which consumer's transaction a partition's records use. */
	private final Map<PartitionOffsets, TransactionalUnits> transactionRouting = new ConcurrentHashMap<>();

	private volatile @Nullable MessageListenerContainer container;

	private volatile boolean joined;

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
		Ordering ordering = Ordering.valueOf(settings.mode().name());
		boolean batch = method.signature().isBatch();
		HandlerHolder holder = new HandlerHolder();
		this.scheduler = new LaneScheduler<>(settings.concurrency(), batch ? settings.batchSize() : MAX_CHUNK, !batch,
				this.executor.executor(), (items) -> Objects.requireNonNull(holder.handler).handle(items));
		LaneScheduler<WorkItem> lanes = this.scheduler;
		this.backpressure = new Backpressure(settings.maxBufferedRecords(), settings.maxBufferedBytes(),
				this.pauses.forBackpressure(),
				(ordering == Ordering.KEY)
						? (partition) -> lanes.deepestLane((key) -> partition.equals(Ordering.partitionOf(key)))
						: (partition) -> 0);
		DeadLetterPublisher deadLetters = (services.deadLetterTemplate() != null) ? new DeadLetterPublisher(
				settings.failure(), settings.groupId(), services.deadLetterTemplate(), services.admin()) : null;
		this.freezes = new FreezeControl(settings.id(), settings.failure(), ordering, this.scheduler, this.pauses,
				this.events, deadLetters, services.taskScheduler(), services.observer());
		FailureActions failureActions = new FailureActions(settings.id(), settings.failure(), this.freezes, deadLetters,
				this.events, this::stopAsync, services.observer());
		this.decorator = services.invocationDecorators().apply(settings);
		HandlerMethodInvoker invoker = new HandlerMethodInvoker(method, converter);
		TransactionalProducers producers = services.transactionalProducers();
		if (settings.kafkaTransactions() && producers == null) {
			throw new IllegalStateException("Worker '" + settings.id() + "' uses delivery EXACTLY_ONCE with Kafka "
					+ "transactions but the application has no ProducerFactory; configure spring.kafka.producer.*");
		}
		this.transactionalIds = (settings.kafkaTransactions() && producers != null)
				? new TransactionalIds(producers.prefix(), settings.id()) : null;
		Map<PartitionOffsets, TransactionalUnits> routing = this.transactionRouting;
		this.handler = new RecordHandler(settings, batch, this.decorator.decorate(invoker::invoke), this.backpressure,
				failureActions, this.scheduler::isHeld, services.observer(), services.observations(),
				(this.transactionalIds != null) ? (item) -> routing.get(item.partition()) : null);
		holder.handler = this.handler;
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
		WorkerObserver observer = this.services.observer();
		OffsetCommitter committer = new OffsetCommitter(this.settings.id(), this.settings.commitInterval(),
				this.settings.commitTimeout(), System::nanoTime, (offsets, duration, failure) -> {
					observer.committed(this.settings.id(), failure == null, duration);
					if (failure == null) {
						this.decorator.committed(this.settings.groupId(), offsets);
					}
				});
		return new ConsumerSession(this.settings, consumer, this.dispatcher, this.scheduler, this.backpressure,
				committer, this.freezes, this.pauses, this.events, observer, new JoinWatch(this.settings.id(),
						this.settings.groupId(), this.services.bootstrapServers(), System::nanoTime),
				transactionsFactory(), this.transactionRouting);
	}

	private ConsumerSession.@Nullable TransactionalUnitsFactory transactionsFactory() {
		TransactionalIds ids = this.transactionalIds;
		TransactionalProducers producers = this.services.transactionalProducers();
		if (ids == null || producers == null) {
			return null;
		}
		return (rewind, committed, wake) -> {
			int slot = ids.acquire();
			KafkaTransaction transaction = new KafkaTransaction(ids.idOf(slot), producers.factory());
			return new TransactionalUnits(this.settings, transaction, () -> ids.release(slot), this.pauses, this.events,
					this.services.observer(), this::stopAsync, this.services.taskScheduler(), this.services.admin(),
					rewind, committed, wake);
		};
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

	LaneScheduler<WorkItem> scheduler() {
		return this.scheduler;
	}

	RecordHandler handler() {
		return this.handler;
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
		List<FrozenRecord> resumed = new ArrayList<>(this.freezes.resume(topic, partition, key));
		for (TransactionalUnits units : transactionalUnits()) {
			FrozenRecord record = units.resume(new TopicPartition(topic, partition), Resolution.RESUMED);
			if (record != null && (key == null || key.equals(record.key()))) {
				resumed.add(record);
			}
		}
		return resumed;
	}

	@Override
	public List<FrozenRecord> skipFrozen(String topic, int partition, @Nullable String key, boolean toDeadLetter) {
		List<FrozenRecord> skipped = new ArrayList<>(this.freezes.skip(topic, partition, key, toDeadLetter));
		for (TransactionalUnits units : transactionalUnits()) {
			FrozenRecord record = units.skip(new TopicPartition(topic, partition), toDeadLetter);
			if (record != null) {
				skipped.add(record);
			}
		}
		return skipped;
	}

	private List<TransactionalUnits> transactionalUnits() {
		List<TransactionalUnits> all = new ArrayList<>();
		for (ConsumerSession session : this.sessions.values()) {
			TransactionalUnits units = session.transactions();
			if (units != null) {
				all.add(units);
			}
		}
		return all;
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
		List<FrozenRecord> frozen = new ArrayList<>(this.freezes.frozenRecords());
		for (TransactionalUnits units : transactionalUnits()) {
			frozen.addAll(units.frozenRecords());
		}
		return frozen;
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
				frozenRecords(), joined(), sinceLastPoll(), this.handler.longestRunning());
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

	// Every consumer of the container received an assignment: as many sessions as
	// consumers, all assigned. Once true it stays true, so readiness does not flap while
	// a later rebalance moves partitions.
	private boolean joined() {
		if (this.joined) {
			return true;
		}
		int assigned = 0;
		for (ConsumerSession session : this.sessions.values()) {
			if (session.assignmentReceived()) {
				assigned++;
			}
		}
		this.joined = assigned >= this.settings.consumers();
		return this.joined;
	}

	private Duration sinceLastPoll() {
		Duration longest = Duration.ZERO;
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
			return WorkerSnapshot.State.STOPPED;
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
	}

	// The scheduler needs the handler and the handler needs what the scheduler feeds:
	// the holder breaks the cycle during construction only.
	private static final class HandlerHolder {

		@Nullable RecordHandler handler;

	}

}
