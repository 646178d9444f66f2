package io.kafkaworker.container;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.kafkaworker.dispatch.PartitionPauses;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.error.FailurePolicy;
import io.kafkaworker.error.RetryPolicy;
import io.kafkaworker.event.PartitionFrozenEvent;
import io.kafkaworker.event.PartitionUnfrozenEvent;
import io.kafkaworker.event.RecordFailedEvent;
import io.kafkaworker.event.Resolution;
import io.kafkaworker.event.WorkerEvents;
import io.kafkaworker.failure.DeadLetterPublisher;
import io.kafkaworker.failure.FailureActions;
import io.kafkaworker.failure.FreezeControl;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.runtime.WorkerObserver.RecordOutcome;
import io.kafkaworker.transaction.KafkaTransaction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.scheduling.TaskScheduler;

/**
 * The Kafka transactions of one consumer ({@code delivery = EXACTLY_ONCE}, store KAFKA).
 *
 * <p>
 * A unit is the records of one poll: the consumer thread begins a transaction, hands the
 * records to the lanes (ordering and concurrency as the mode says) and pauses its
 * partitions; it keeps polling (nothing arrives) until every record of the unit is
 * complete, then sends the unit's offsets to the transaction with the consumer's group
 * metadata and commits, and resumes the partitions. What handlers sent through the
 * {@code TransactionalSender} and the input offsets become visible together.
 *
 * <p>
 * A handler failure aborts the unit: nothing of it becomes visible, every partition of
 * the unit goes back to its first record of the unit, and the records are fetched and
 * handled again after the retry back-off. Attempts are counted per record across these
 * re-runs; once a record's retries are exhausted the failure policy applies on the next
 * run: SKIP completes it without calling the handler, DEAD_LETTER sends it to the
 * dead-letter topic inside the transaction, FREEZE ends the partition's share of the run
 * just before it (the transaction commits up to the frozen record, and the partition
 * stays paused there), STOP stops the worker. Retries never happen in place, because the
 * sends of a failed attempt cannot be taken back without aborting.
 *
 * <p>
 * Runs on the consumer thread, except {@link #fail}, {@link #exhaustedFailure} and the
 * handler's sends (lane threads) and the freeze operations (operator threads).
 */
final class TransactionalUnits {

	private static final Log logger = LogFactory.getLog(TransactionalUnits.class);

	private static final Duration AFTER_BROKER_FAILURE = Duration.ofSeconds(1);

	private static final long FINISH_CHECK_MILLIS = 2;

	private final WorkerSettings settings;

	private final KafkaTransaction transaction;

	private final Runnable onClose;

	private final PartitionPauses pauses;

	private final WorkerEvents events;

	private final WorkerObserver observer;

	private final Runnable stopWorker;

	private final @Nullable TaskScheduler retryScheduler;

	private final @Nullable DeadLetterPublisher deadLetters;

	private final Rewind rewind;

	private final Committed committed;

	private final Runnable wakeConsumer;

	private final Map<RecordId, Failure> failures = new ConcurrentHashMap<>();

	private final Map<TopicPartition, Frozen> frozen = new ConcurrentHashMap<>();

	/** Partitions this object paused while a unit runs or a back-off lasts. */
	private final Set<TopicPartition> pausedForUnit = new HashSet<>();

	private volatile @Nullable Unit unit;

	private long backoffUntilNanos = System.nanoTime();

	TransactionalUnits(WorkerSettings settings, KafkaTransaction transaction, Runnable onClose, PartitionPauses pauses,
			WorkerEvents events, WorkerObserver observer, Runnable stopWorker, @Nullable TaskScheduler retryScheduler,
			@Nullable KafkaAdmin admin, Rewind rewind, Committed committed, Runnable wakeConsumer) {
		this.settings = settings;
		this.transaction = transaction;
		this.onClose = onClose;
		this.pauses = pauses;
		this.events = events;
		this.observer = observer;
		this.stopWorker = stopWorker;
		this.retryScheduler = retryScheduler;
		this.rewind = rewind;
		this.committed = committed;
		this.wakeConsumer = wakeConsumer;
		ProducerFactory<Object, Object> sendingView = transaction::sendingView;
		this.deadLetters = new DeadLetterPublisher(settings.failure(), settings.groupId(),
				new KafkaTemplate<>(sendingView), admin);
	}

	/**
	 * Return the transaction that handlers of this consumer's records send in.
	 * @return the transaction
	 */
	KafkaTransaction transaction() {
		return this.transaction;
	}

	// ---- consumer thread

	/**
	 * Prepare the producer when partitions are assigned, before their committed offsets
	 * are fetched: a pending transaction of a killed predecessor with the same
	 * transactional id keeps those offsets unstable until it is aborted, and nothing else
	 * would abort it before records arrive, which they cannot without the offsets.
	 */
	void prepare() {
		try {
			this.transaction.prepare();
		}
		catch (KafkaException ex) {
			logger.warn("Worker '" + this.settings.id() + "' could not initialize transactional producer '"
					+ this.transaction.transactionalId() + "'; trying again with the next transaction: " + ex);
		}
	}

	/**
	 * Decide whether a poll's records start a unit. Records that arrive while a unit runs
	 * or a back-off lasts (a partition assigned meanwhile, or a pause that took effect
	 * one poll late) are put back: their partitions go back to the first of them.
	 * @param records the poll's records
	 * @param consumer the consumer
	 * @return true if a transaction began and the records may be dispatched
	 */
	boolean admit(ConsumerRecords<Object, Object> records, Consumer<?, ?> consumer) {
		if (this.unit != null || System.nanoTime() - this.backoffUntilNanos < 0) {
			putBack(records, consumer);
			return false;
		}
		try {
			this.transaction.begin();
		}
		catch (KafkaException ex) {
			logger.warn("Worker '" + this.settings.id() + "' could not begin a transaction with producer '"
					+ this.transaction.transactionalId() + "'; trying again in " + AFTER_BROKER_FAILURE.toMillis()
					+ " ms: " + ex);
			putBack(records, consumer);
			this.backoffUntilNanos = System.nanoTime() + AFTER_BROKER_FAILURE.toNanos();
			return false;
		}
		this.unit = new Unit();
		return true;
	}

	/**
	 * Return the records of a partition that this unit may handle: none of a frozen
	 * partition, and only those before a record whose retries are exhausted under the
	 * FREEZE policy, which freezes the partition there.
	 * @param topicPartition the partition
	 * @param records the poll's records of the partition
	 * @param consumer the consumer
	 * @return the records to dispatch, possibly empty
	 */
	List<ConsumerRecord<Object, Object>> cut(TopicPartition topicPartition,
			List<ConsumerRecord<Object, Object>> records, Consumer<?, ?> consumer) {
		Frozen alreadyFrozen = this.frozen.get(topicPartition);
		if (alreadyFrozen != null) {
			seek(consumer, topicPartition, alreadyFrozen.record.offset());
			return List.of();
		}
		for (int i = 0; i < records.size(); i++) {
			ConsumerRecord<Object, Object> record = records.get(i);
			Failure failure = this.failures.get(new RecordId(topicPartition, record.offset()));
			if (failure != null && failure.exhaustedPolicy == FailurePolicy.FREEZE) {
				freeze(topicPartition, record, failure);
				seek(consumer, topicPartition, record.offset());
				return records.subList(0, i);
			}
		}
		return records;
	}

	/**
	 * Add a partition's records to the open unit, before they are dispatched.
	 * @param topicPartition the partition
	 * @param partition its progress
	 * @param firstOffset the offset of its first record in this poll
	 */
	void enter(TopicPartition topicPartition, PartitionOffsets partition, long firstOffset) {
		Unit current = this.unit;
		if (current != null) {
			current.partitions.put(topicPartition, partition);
			current.firstOffsets.putIfAbsent(topicPartition, firstOffset);
		}
	}

	/**
	 * Pause every assigned partition until the open unit commits or aborts.
	 * @param assigned the partitions assigned to the consumer
	 */
	void afterDispatch(Collection<TopicPartition> assigned) {
		pauseAll(assigned);
	}

	/**
	 * Commit the open unit once it is complete, or abort it once a handler failed; lift
	 * the pauses once nothing runs and no back-off lasts.
	 * @param consumer the consumer
	 */
	void beforePoll(Consumer<?, ?> consumer) {
		Unit current = this.unit;
		if (current != null) {
			if (current.failure.get() != null) {
				abortAfterFailure(current, consumer);
			}
			else if (current.isComplete()) {
				commit(current, consumer);
			}
		}
		if (this.unit == null && !this.pausedForUnit.isEmpty() && System.nanoTime() - this.backoffUntilNanos >= 0) {
			for (TopicPartition topicPartition : this.pausedForUnit) {
				this.pauses.resume(topicPartition, PartitionPauses.Reason.TRANSACTION);
			}
			this.pausedForUnit.clear();
		}
	}

	/**
	 * Finish the open unit now, for a revocation or a shutdown: wait (bounded) for its
	 * records, then commit it, or abort it if a handler failed or time ran out.
	 * @param consumer the consumer
	 * @param timeout the longest wait for the unit's records
	 * @return whether nothing is left uncommitted
	 */
	boolean finish(Consumer<?, ?> consumer, Duration timeout) {
		Unit current = this.unit;
		if (current == null) {
			return true;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		while (current.failure.get() == null && !current.isComplete() && System.nanoTime() - deadline < 0) {
			try {
				Thread.sleep(FINISH_CHECK_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		if (current.failure.get() != null) {
			abortAfterFailure(current, consumer);
			return false;
		}
		if (current.isComplete()) {
			return commit(current, consumer);
		}
		logger.warn("Worker '" + this.settings.id() + "' aborted a transaction whose records did not finish within "
				+ timeout.toMillis() + " ms; they are handled again");
		abort(current, consumer);
		return false;
	}

	/**
	 * Abort the open unit without waiting: its partitions were lost, and their offsets
	 * may no longer be committed by this consumer.
	 * @param consumer the consumer
	 */
	void abandon(Consumer<?, ?> consumer) {
		Unit current = this.unit;
		if (current != null) {
			abort(current, consumer);
		}
	}

	/**
	 * Forget what is known about a partition that left this consumer.
	 * @param topicPartition the partition
	 * @param resolution how a freeze of it ends
	 */
	void forget(TopicPartition topicPartition, Resolution resolution) {
		this.failures.keySet().removeIf((id) -> id.partition.equals(topicPartition));
		this.pausedForUnit.remove(topicPartition);
		Frozen removed = this.frozen.remove(topicPartition);
		if (removed != null) {
			removed.cancelRetry();
			this.events.publish(new PartitionUnfrozenEvent(this.events.source(), this.settings.id(),
					removed.frozenRecord, resolution));
		}
	}

	/**
	 * Abort what is open and close the producer.
	 */
	void close() {
		this.unit = null;
		try {
			this.transaction.close();
		}
		finally {
			this.onClose.run();
		}
	}

	private boolean commit(Unit current, Consumer<?, ?> consumer) {
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		current.partitions.forEach((topicPartition, partition) -> {
			if (!partition.isRevoked()) {
				offsets.put(topicPartition, new OffsetAndMetadata(partition.committableOffset()));
			}
		});
		long start = System.nanoTime();
		RuntimeException failure;
		try {
			failure = this.transaction.commit(offsets, consumer.groupMetadata());
		}
		catch (RuntimeException ex) {
			this.transaction.abort();
			failure = ex;
		}
		this.unit = null;
		this.committed.committed(offsets, Duration.ofNanos(System.nanoTime() - start), failure);
		if (failure != null) {
			logger.warn("Worker '" + this.settings.id() + "' could not commit the transaction of " + offsets
					+ " (aborted; the records are handled again): " + failure);
			rewind(current, consumer);
			backOff(this.settings.failure().retry().start().next());
			return false;
		}
		offsets.forEach((topicPartition, offset) -> this.failures.keySet()
			.removeIf((id) -> id.partition.equals(topicPartition) && id.offset < offset.offset()));
		return true;
	}

	private void abort(Unit current, Consumer<?, ?> consumer) {
		this.unit = null;
		this.transaction.abort();
		rewind(current, consumer);
	}

	private void abortAfterFailure(Unit current, Consumer<?, ?> consumer) {
		CallFailure callFailure = current.failure.get();
		abort(current, consumer);
		if (callFailure == null) {
			return;
		}
		Throwable ex = callFailure.failure;
		RetryPolicy retry = this.settings.failure().retry();
		int attempts = 0;
		for (WorkItem item : callFailure.items) {
			Failure failure = this.failures.computeIfAbsent(RecordId.of(item), (id) -> new Failure(item.record()));
			failure.attempts++;
			failure.last = ex;
			attempts = Math.max(attempts, failure.attempts);
		}
		if (retry.shouldRetry(ex, attempts)) {
			RetryPolicy.Backoffs backoffs = retry.start();
			Duration wait = Duration.ZERO;
			for (int i = 0; i < attempts; i++) {
				wait = backoffs.next();
			}
			backOff(wait);
			FailureActions.countByTopic(this.observer, this.settings.id(), callFailure.items, RecordOutcome.RETRY);
			if (logger.isDebugEnabled()) {
				logger.debug("Worker '" + this.settings.id() + "' aborted a transaction: attempt " + attempts + " of "
						+ retry.maxAttempts() + " for " + callFailure.items + " failed (" + ex + "); running again in "
						+ wait.toMillis() + " ms");
			}
			return;
		}
		FailurePolicy policy = this.settings.failure().onFailure();
		for (WorkItem item : callFailure.items) {
			Failure failure = this.failures.computeIfAbsent(RecordId.of(item), (id) -> new Failure(item.record()));
			// A dead letter that could not be published turned into FREEZE: keep it, or
			// the record would go back to dead-lettering forever.
			if (failure.exhaustedPolicy != FailurePolicy.FREEZE) {
				failure.exhaustedPolicy = policy;
			}
			this.events.publish(new RecordFailedEvent(this.events.source(), this.settings.id(), item.record(), ex,
					attempts, policy));
		}
		logger.warn("Worker '" + this.settings.id() + "' aborted a transaction: " + callFailure.items + " failed after "
				+ attempts + " attempts (" + ex + "); on-failure " + policy + " applies when the records run again");
		if (policy == FailurePolicy.STOP || policy == FailurePolicy.FREEZE) {
			FailureActions.countByTopic(this.observer, this.settings.id(), callFailure.items, RecordOutcome.FAILURE);
		}
		if (policy == FailurePolicy.STOP) {
			logger.error("Worker '" + this.settings.id() + "' is stopping (on-failure STOP): " + callFailure.items
					+ " failed after " + attempts + " attempts; nothing of its transaction was committed", ex);
			this.stopWorker.run();
		}
	}

	// The consumer waits in a poll of paused partitions: wake it when the back-off ends,
	// so the records run again then rather than after the poll timeout.
	private void backOff(Duration wait) {
		this.backoffUntilNanos = System.nanoTime() + wait.toNanos();
		TaskScheduler scheduler = this.retryScheduler;
		if (scheduler != null && !wait.isZero()) {
			scheduler.schedule(this.wakeConsumer, Instant.now().plus(wait));
		}
	}

	private void rewind(Unit current, Consumer<?, ?> consumer) {
		for (TopicPartition topicPartition : current.frozenHere) {
			// Frozen during this run: the next run freezes it again at the same record.
			Frozen removed = this.frozen.remove(topicPartition);
			if (removed != null) {
				removed.cancelRetry();
				this.pauses.resume(topicPartition, PartitionPauses.Reason.FROZEN);
			}
		}
		this.rewind.rewind(current.firstOffsets);
	}

	private void pauseAll(Collection<TopicPartition> partitions) {
		for (TopicPartition topicPartition : partitions) {
			if (this.pausedForUnit.add(topicPartition)) {
				this.pauses.pause(topicPartition, PartitionPauses.Reason.TRANSACTION);
			}
		}
	}

	private void putBack(ConsumerRecords<Object, Object> records, Consumer<?, ?> consumer) {
		for (TopicPartition topicPartition : records.partitions()) {
			seek(consumer, topicPartition, records.records(topicPartition).get(0).offset());
		}
		pauseAll(records.partitions());
	}

	private static void seek(Consumer<?, ?> consumer, TopicPartition topicPartition, long offset) {
		try {
			consumer.seek(topicPartition, offset);
		}
		catch (IllegalStateException ex) {
			// No longer assigned: the next owner starts from the last commit.
		}
	}

	private void freeze(TopicPartition topicPartition, ConsumerRecord<Object, Object> record, Failure failure) {
		Throwable last = failure.last;
		FrozenRecord frozenRecord = new FrozenRecord("PARTITION", topicPartition.topic(), topicPartition.partition(),
				record.offset(), FreezeControl.keyText(record.key()), last.getClass().getName(), last.getMessage(),
				failure.since, failure.attempts);
		Frozen entry = new Frozen(record, frozenRecord);
		this.frozen.put(topicPartition, entry);
		Unit current = this.unit;
		if (current != null) {
			current.frozenHere.add(topicPartition);
		}
		this.pauses.pause(topicPartition, PartitionPauses.Reason.FROZEN);
		logger.error("Worker '" + this.settings.id() + "' froze " + topicPartition + " at offset " + record.offset()
				+ " after " + failure.attempts + " attempts; the transaction commits up to it", last);
		this.events.publish(new PartitionFrozenEvent(this.events.source(), this.settings.id(), frozenRecord));
		Duration retryAfter = this.settings.failure().freezeRetryAfter();
		TaskScheduler scheduler = this.retryScheduler;
		if (retryAfter != null && scheduler != null) {
			entry.retry = scheduler.schedule(() -> resume(topicPartition, Resolution.RETRIED_AFTER_DELAY),
					Instant.now().plus(retryAfter));
		}
	}

	// ---- lane threads

	/**
	 * Return the failure of a record whose retries are exhausted under the SKIP or
	 * DEAD_LETTER policy, which the handler applies instead of calling the method.
	 * @param item the record
	 * @return the failure, or null to call the handler
	 */
	@Nullable Failure exhaustedFailure(WorkItem item) {
		Failure failure = this.failures.get(RecordId.of(item));
		if (failure == null) {
			return null;
		}
		FailurePolicy policy = failure.exhaustedPolicy;
		return (policy == FailurePolicy.SKIP || policy == FailurePolicy.DEAD_LETTER) ? failure : null;
	}

	/**
	 * Return the dead-letter publisher that sends inside the transaction.
	 * @return the publisher
	 */
	@Nullable DeadLetterPublisher deadLetters() {
		return this.deadLetters;
	}

	/**
	 * Report a failed handler call: the unit aborts before the next poll. Calls of an
	 * earlier unit that finish late are ignored (that unit already ended).
	 * @param items the call's records
	 * @param failure the failure
	 */
	void fail(List<WorkItem> items, Throwable failure) {
		Unit current = this.unit;
		if (current != null && current.partitions.containsValue(items.get(0).partition())) {
			current.failure.compareAndSet(null, new CallFailure(List.copyOf(items), failure));
			wakeOnce(current);
		}
	}

	/**
	 * After a call: if it finished the unit, wake the consumer thread, which waits in a
	 * poll of paused partitions, so the transaction commits now rather than after the
	 * poll timeout.
	 */
	void afterCall() {
		Unit current = this.unit;
		if (current != null && !current.woken.get() && current.isComplete()) {
			wakeOnce(current);
		}
	}

	private void wakeOnce(Unit current) {
		if (current.woken.compareAndSet(false, true)) {
			this.wakeConsumer.run();
		}
	}

	// ---- operator threads

	List<FrozenRecord> frozenRecords() {
		List<FrozenRecord> records = new ArrayList<>();
		for (Frozen entry : this.frozen.values()) {
			records.add(entry.frozenRecord);
		}
		return records;
	}

	/**
	 * Release a frozen partition; its frozen record is tried again with fresh attempts.
	 * @param topicPartition the partition
	 * @param resolution why
	 * @return the released record, or null if the partition was not frozen here
	 */
	@Nullable FrozenRecord resume(TopicPartition topicPartition, Resolution resolution) {
		Frozen entry = this.frozen.remove(topicPartition);
		if (entry == null) {
			return null;
		}
		entry.cancelRetry();
		this.failures.remove(new RecordId(topicPartition, entry.record.offset()));
		this.pauses.resume(topicPartition, PartitionPauses.Reason.FROZEN);
		this.events.publish(
				new PartitionUnfrozenEvent(this.events.source(), this.settings.id(), entry.frozenRecord, resolution));
		return entry.frozenRecord;
	}

	/**
	 * Release a frozen partition, skipping its frozen record (to the dead-letter topic if
	 * asked) in the next transaction.
	 * @param topicPartition the partition
	 * @param toDeadLetter whether to send the record to the dead-letter topic
	 * @return the skipped record, or null if the partition was not frozen here
	 */
	@Nullable FrozenRecord skip(TopicPartition topicPartition, boolean toDeadLetter) {
		Frozen entry = this.frozen.remove(topicPartition);
		if (entry == null) {
			return null;
		}
		entry.cancelRetry();
		Failure failure = this.failures.computeIfAbsent(new RecordId(topicPartition, entry.record.offset()),
				(id) -> new Failure(entry.record));
		failure.exhaustedPolicy = toDeadLetter ? FailurePolicy.DEAD_LETTER : FailurePolicy.SKIP;
		this.pauses.resume(topicPartition, PartitionPauses.Reason.FROZEN);
		this.events.publish(new PartitionUnfrozenEvent(this.events.source(), this.settings.id(), entry.frozenRecord,
				toDeadLetter ? Resolution.SKIPPED_TO_DEAD_LETTER : Resolution.SKIPPED));
		return entry.frozenRecord;
	}

	/**
	 * Goes back to the first record of the unit in each of its partitions, dropping what
	 * was fetched after: implemented by the consumer session.
	 */
	@FunctionalInterface
	interface Rewind {

		void rewind(Map<TopicPartition, Long> firstOffsets);

	}

	/**
	 * Told about each transaction commit, for the committed-offset view and metrics.
	 */
	@FunctionalInterface
	interface Committed {

		void committed(Map<TopicPartition, OffsetAndMetadata> offsets, Duration duration, @Nullable Exception failure);

	}

	private record RecordId(TopicPartition partition, long offset) {

		static RecordId of(WorkItem item) {
			ConsumerRecord<?, ?> record = item.record();
			return new RecordId(new TopicPartition(record.topic(), record.partition()), record.offset());
		}

	}

	/**
	 * The failed attempts of one record.
	 */
	static final class Failure {

		final ConsumerRecord<?, ?> record;

		final Instant since = Instant.now();

		volatile int attempts;

		volatile Throwable last = new IllegalStateException("skipped by an operator");

		volatile @Nullable FailurePolicy exhaustedPolicy;

		Failure(ConsumerRecord<?, ?> record) {
			this.record = record;
		}

	}

	private record CallFailure(List<WorkItem> items, Throwable failure) {

	}

	private static final class Frozen {

		final ConsumerRecord<Object, Object> record;

		final FrozenRecord frozenRecord;

		volatile @Nullable ScheduledFuture<?> retry;

		Frozen(ConsumerRecord<Object, Object> record, FrozenRecord frozenRecord) {
			this.record = record;
			this.frozenRecord = frozenRecord;
		}

		void cancelRetry() {
			ScheduledFuture<?> scheduled = this.retry;
			if (scheduled != null) {
				scheduled.cancel(false);
			}
		}

	}

	/**
	 * The records of one poll and their transaction.
	 */
	private static final class Unit {

		// Written by the consumer thread before the records are dispatched; read by
		// lanes.
		final Map<TopicPartition, PartitionOffsets> partitions = new ConcurrentHashMap<>();

		final Map<TopicPartition, Long> firstOffsets = new LinkedHashMap<>();

		final Set<TopicPartition> frozenHere = new HashSet<>();

		final AtomicReference<@Nullable CallFailure> failure = new AtomicReference<>();

		final java.util.concurrent.atomic.AtomicBoolean woken = new java.util.concurrent.atomic.AtomicBoolean();

		boolean isComplete() {
			for (PartitionOffsets partition : this.partitions.values()) {
				if (!partition.isRevoked() && partition.outstanding() > 0) {
					return false;
				}
			}
			return true;
		}

	}

}
