package io.kafkaworker.delivery;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kafkaworker.commit.OffsetCommitter;
import io.kafkaworker.delivery.DeliveryGuarantee.Rewind;
import io.kafkaworker.delivery.TransactionalUnit.CallFailure;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.event.Resolution;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.runtime.FrozenRecord;
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

/**
 * The commit protocol of one consumer with Kafka transactions ({@code delivery =
 * EXACTLY_ONCE}, store KAFKA).
 *
 * <p>
 * A unit begins with a poll: the consumer thread begins a transaction, hands the records
 * to the lanes (ordering and concurrency as the mode says) and pauses their partitions;
 * it keeps polling the others, whose records join the unit (at most one batch of each
 * partition), until every record of the unit is complete, then sends the unit's offsets
 * to the transaction with the consumer's group metadata and commits, and resumes the
 * partitions. What handlers sent through the {@code TransactionalSender} and the input
 * offsets become visible together.
 *
 * <p>
 * A handler failure aborts the unit: nothing of it becomes visible, every partition of
 * the unit goes back to its first record of the unit, and the records are fetched and
 * handled again after the retry back-off. Attempts are counted per record across these
 * re-runs ({@link RecordAttempts}); once a record's retries are exhausted the worker's
 * failure policy applies on the next run: SKIP and DEAD_LETTER on the lane instead of the
 * handler (the dead letter is sent inside the transaction), FREEZE here, by ending the
 * partition's share of the run just before the record (the transaction commits up to it,
 * and the partition stays frozen there), STOP at once. Retries never happen in place,
 * because the sends of a failed attempt cannot be taken back without aborting.
 *
 * <p>
 * Runs on the consumer thread, except {@link #fail}, {@link #afterCall},
 * {@link #attempts} and the handler's sends (lane threads).
 */
final class TransactionalUnits implements CommitProtocol {

	private static final Log logger = LogFactory.getLog(TransactionalUnits.class);

	private static final Duration AFTER_BROKER_FAILURE = Duration.ofSeconds(1);

	private final DeliveryContext context;

	private final Map<PartitionOffsets, TransactionalUnits> routing;

	private final String workerId;

	private final KafkaTransaction transaction;

	private final Runnable onClose;

	private final UnitPauses pauses;

	private final Consumer<?, ?> consumer;

	private final Rewind rewind;

	// Lane threads' way to bring the consumer thread back from its poll: only while it
	// polls, so that a wake-up never fails another consumer call (the application's
	// rebalance listener's, Spring Kafka's).
	private final Runnable wakeUp;

	private final OffsetCommitter committer;

	private final RecordAttempts attempts;

	private volatile @Nullable TransactionalUnit unit;

	// How many records may join a unit after its first poll (consumer thread).
	private final UnitPace pace = new UnitPace(UnitPace.TARGET);

	// Whether the poll being dispatched joins the open unit (consumer thread).
	private boolean joining;

	// When the last unit ended (consumer thread), for the debug timeline of the next.
	private long lastUnitEndNanos = System.nanoTime();

	TransactionalUnits(DeliveryContext context, Map<PartitionOffsets, TransactionalUnits> routing,
			KafkaTransaction transaction, Runnable onClose, Consumer<?, ?> consumer, Rewind rewind, Runnable wakeUp,
			OffsetCommitter committer) {
		this.context = context;
		this.routing = routing;
		this.workerId = context.workerId();
		this.attempts = new RecordAttempts(context.workerId());
		this.pauses = new UnitPauses(context.pauses(), consumer, context.retryScheduler());
		this.transaction = transaction;
		this.onClose = onClose;
		this.consumer = consumer;
		this.rewind = rewind;
		this.wakeUp = wakeUp;
		this.committer = committer;
	}

	/**
	 * Return the transaction that handlers of this consumer's records send in.
	 * @return the transaction
	 */
	KafkaTransaction transaction() {
		return this.transaction;
	}

	/**
	 * Return the failed attempts of this consumer's records.
	 * @return the attempts
	 */
	RecordAttempts attempts() {
		return this.attempts;
	}

	// ---- consumer thread: the commit protocol

	/**
	 * Prepare the producer when partitions are assigned, before their committed offsets
	 * are fetched: a pending transaction of a killed predecessor with the same
	 * transactional id keeps those offsets unstable until it is aborted, and nothing else
	 * would abort it before records arrive, which they cannot without the offsets.
	 */
	@Override
	public void assigned(Collection<TopicPartition> partitions) {
		if (partitions.isEmpty()) {
			return;
		}
		try {
			this.transaction.prepare();
		}
		catch (KafkaException ex) {
			logger.warn("Worker '" + this.workerId + "' could not initialize transactional producer '"
					+ this.transaction.transactionalId() + "'; trying again with the next transaction: " + ex);
		}
	}

	/**
	 * Read the new partitions' committed offsets once the producer aborted what a
	 * predecessor left open, and commit the position of those with none (see
	 * {@link OffsetCommitter#resume}); units write no metadata, so nothing is skipped.
	 */
	@Override
	public void resumed(Collection<PartitionOffsets> partitions) {
		this.committer.commitUncommittedPositions(this.consumer, partitions);
	}

	@Override
	public boolean takeSpentWakeUp() {
		return this.committer.takeSpentWakeUp();
	}

	/**
	 * Decide whether a poll's records start a unit or join the open one. A unit gathers
	 * the polls that arrive while it runs, one batch per partition ({@link #cut} puts
	 * back a partition's second batch): a poll's records mostly come from one partition,
	 * whose few key lanes each hold many of them, and the unit lasted as long as its
	 * deepest lane (P1 of the harness: 2,000 records of one partition, about 170 key
	 * lanes, 200 to 290 ms of handling for 80 ms of work at the worker's concurrency).
	 * Records join while, at the pace of the units before, the unit still ends within a
	 * second ({@link UnitPace}). Records that may not join, arrive once the unit failed,
	 * or while a back-off lasts, are put back: their partitions go back to the first of
	 * them, paused until the unit ends; once a poll may not join, every partition pauses,
	 * as when units were one poll, so that no partition's fetched records are thrown away
	 * poll after poll while another keeps starting the units.
	 */
	@Override
	public boolean admit(ConsumerRecords<Object, Object> records) {
		TransactionalUnit current = this.unit;
		if (current != null && current.failure.get() == null && mayJoin(current, records.count())) {
			this.joining = true;
			return true;
		}
		if (current != null) {
			this.pauses.putBack(records);
			this.pauses.pauseAll();
			return false;
		}
		if (this.pauses.backingOff()) {
			this.pauses.putBack(records);
			return false;
		}
		try {
			this.transaction.begin();
		}
		catch (KafkaException ex) {
			logger.warn("Worker '" + this.workerId + "' could not begin a transaction with producer '"
					+ this.transaction.transactionalId() + "'; trying again in " + AFTER_BROKER_FAILURE.toMillis()
					+ " ms: " + ex);
			this.pauses.putBack(records);
			this.pauses.backOff(AFTER_BROKER_FAILURE);
			return false;
		}
		this.unit = new TransactionalUnit(System.nanoTime() - this.lastUnitEndNanos);
		return true;
	}

	private boolean mayJoin(TransactionalUnit current, int joining) {
		long unfinished = 0;
		for (PartitionOffsets partition : current.partitions.values()) {
			unfinished += partition.outstanding();
		}
		return this.pace.mayJoin(System.nanoTime() - current.beganNanos, unfinished, joining);
	}

	/**
	 * Return the records of a partition that this unit may handle: none of a frozen
	 * partition, and only those before a record whose retries are exhausted under the
	 * FREEZE policy, which freezes the partition there.
	 */
	@Override
	public List<ConsumerRecord<Object, Object>> cut(TopicPartition topicPartition,
			List<ConsumerRecord<Object, Object>> records) {
		List<ConsumerRecord<Object, Object>> kept = keep(topicPartition, records);
		TransactionalUnit current = this.unit;
		if (current != null) {
			current.records += kept.size();
		}
		return kept;
	}

	private List<ConsumerRecord<Object, Object>> keep(TopicPartition topicPartition,
			List<ConsumerRecord<Object, Object>> records) {
		TransactionalUnit current = this.unit;
		if (current != null && current.partitions.containsKey(topicPartition)) {
			// A partition in the unit already (its pause took effect one poll late): a
			// second batch could keep the unit from ever completing.
			this.pauses.seek(topicPartition, records.get(0).offset());
			this.pauses.pause(topicPartition);
			return List.of();
		}
		FrozenRecord alreadyFrozen = this.context.freezes().frozenAt(topicPartition);
		if (alreadyFrozen != null) {
			this.pauses.seek(topicPartition, alreadyFrozen.offset());
			return List.of();
		}
		for (int i = 0; i < records.size(); i++) {
			ConsumerRecord<Object, Object> record = records.get(i);
			RecordAttempts.Failure failure = this.attempts.toFreeze(record);
			if (failure != null) {
				freeze(topicPartition, record, failure);
				this.pauses.seek(topicPartition, record.offset());
				return records.subList(0, i);
			}
		}
		return records;
	}

	@Override
	public void dispatching(PartitionOffsets partition, long firstOffset) {
		this.routing.put(partition, this);
		TransactionalUnit current = this.unit;
		if (current != null) {
			current.enter(partition, firstOffset);
		}
	}

	/**
	 * Pause the open unit's partitions until it commits or aborts; the others go on
	 * fetching, and their records join the unit, unless no record may join any more: then
	 * they pause too.
	 */
	@Override
	public void afterDispatch(Collection<PartitionOffsets> assigned) {
		TransactionalUnit current = this.unit;
		if (current == null) {
			return;
		}
		if (this.joining) {
			this.joining = false;
			current.joined();
		}
		if (mayJoin(current, 1)) {
			for (TopicPartition topicPartition : current.partitions.keySet()) {
				this.pauses.pause(topicPartition);
			}
		}
		else {
			for (PartitionOffsets partition : assigned) {
				this.pauses.pause(partition.topicPartition());
			}
		}
	}

	/**
	 * Commit the open unit once it is complete, or abort it once a handler failed; lift
	 * the pauses once nothing runs and no back-off lasts.
	 */
	@Override
	public void beforePoll(Collection<PartitionOffsets> assigned) {
		TransactionalUnit current = this.unit;
		if (current != null) {
			if (current.failure.get() != null) {
				abortAfterFailure(current);
			}
			else if (current.isComplete()) {
				commit(current);
			}
		}
		if (this.unit == null) {
			this.pauses.resumeAll();
		}
	}

	@Override
	public boolean commitNow(Collection<PartitionOffsets> assigned) {
		return finish();
	}

	// A transaction covers all of the consumer's partitions: finish it while the
	// consumer still owns them, so its offsets can still be committed.
	@Override
	public void settle() {
		finish();
	}

	/**
	 * Abort the open unit without waiting: its partitions were lost, and their offsets
	 * may no longer be committed by this consumer.
	 */
	@Override
	public void lost(Collection<TopicPartition> partitions) {
		TransactionalUnit current = this.unit;
		if (current != null && !partitions.isEmpty()) {
			abort(current);
		}
	}

	@Override
	public void released(List<PartitionOffsets> partitions, Collection<PartitionOffsets> kept, int droppedRecords,
			boolean revoked) {
		partitions.forEach(this.routing::remove);
	}

	@Override
	public void forget(TopicPartition topicPartition, Resolution resolution) {
		this.committer.forget(topicPartition);
		this.attempts.forget(topicPartition);
		this.pauses.forget(topicPartition);
	}

	@Override
	public long lastCommitted(TopicPartition topicPartition) {
		return this.committer.lastCommitted(topicPartition);
	}

	/**
	 * Abort what is open and close the producer.
	 */
	@Override
	public void close() {
		this.unit = null;
		try {
			this.transaction.close();
		}
		finally {
			this.onClose.run();
		}
	}

	// Finish the open unit now, for a revocation, a seek or a shutdown: wait (bounded by
	// the revoke timeout) for its records, then commit it, or abort it if a handler
	// failed or time ran out. Returns whether nothing is left uncommitted.
	private boolean finish() {
		TransactionalUnit current = this.unit;
		if (current == null) {
			return true;
		}
		Duration timeout = this.context.revocationWait().fromNow();
		current.awaitEnd(timeout);
		if (current.failure.get() != null) {
			abortAfterFailure(current);
			return false;
		}
		if (current.isComplete()) {
			return commit(current);
		}
		logger.warn("Worker '" + this.workerId + "' aborted a transaction whose records did not finish within "
				+ timeout.toMillis() + " ms; they are handled again");
		abort(current);
		return false;
	}

	private boolean commit(TransactionalUnit current) {
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		current.partitions.forEach((topicPartition, partition) -> {
			if (!partition.isRevoked()) {
				offsets.put(topicPartition, new OffsetAndMetadata(partition.committableOffset()));
			}
		});
		long start = System.nanoTime();
		RuntimeException failure;
		try {
			failure = this.transaction.commit(offsets, this.consumer.groupMetadata());
		}
		catch (RuntimeException ex) {
			this.transaction.abort();
			failure = ex;
		}
		this.unit = null;
		long end = System.nanoTime();
		this.lastUnitEndNanos = end;
		this.committer.recordCommitted(offsets, Duration.ofNanos(end - start), failure);
		if (failure == null && logger.isDebugEnabled()) {
			logger.debug("Worker '" + this.workerId + "' committed a transaction of "
					+ current.timeline(offsets, start, end));
		}
		if (failure != null) {
			logger.warn("Worker '" + this.workerId + "' could not commit the transaction of " + offsets
					+ " (aborted; the records are handled again): " + failure);
			this.pace.aborted(current.records, end - current.beganNanos);
			rewind(current);
			Duration wait = this.context.failure().retry().waitAfter(1);
			this.pauses.backOff((wait != null) ? wait : Duration.ZERO);
			return false;
		}
		offsets.forEach((topicPartition, offset) -> this.attempts.committed(topicPartition, offset.offset()));
		this.pace.committed(current.records, start - current.beganNanos);
		return true;
	}

	private void abort(TransactionalUnit current) {
		this.unit = null;
		this.lastUnitEndNanos = System.nanoTime();
		this.pace.aborted(current.records, this.lastUnitEndNanos - current.beganNanos);
		this.transaction.abort();
		rewind(current);
	}

	// The failure policy, for a unit that a failed call aborted: count an attempt for
	// each of the call's records, back off and run them again while the retry policy
	// allows; past that the policy applies when they come round again.
	private void abortAfterFailure(TransactionalUnit current) {
		CallFailure callFailure = current.failure.get();
		abort(current);
		if (callFailure == null) {
			return;
		}
		Duration wait = this.attempts.afterAbort(callFailure.items(), callFailure.failure(),
				this.context.failure().retry(), this.context.actions());
		if (wait != null) {
			this.pauses.backOff(wait);
		}
	}

	private void rewind(TransactionalUnit current) {
		for (TopicPartition topicPartition : current.frozenHere) {
			// Frozen during this run: the next run freezes it again at the same record.
			this.context.freezes().withdraw(topicPartition);
		}
		this.rewind.rewind(current.firstOffsets);
		current.partitions.values().forEach(this.routing::remove);
	}

	private void freeze(TopicPartition topicPartition, ConsumerRecord<Object, Object> record,
			RecordAttempts.Failure failure) {
		TransactionalUnit current = this.unit;
		if (current != null) {
			current.frozenHere.add(topicPartition);
		}
		this.context.freezes()
			.freezePartition(topicPartition, record, failure.last, failure.attempts, failure.since,
					this.attempts.holdOf(record));
	}

	// ---- lane threads

	/**
	 * Report a failed handler call: the unit aborts before the next poll. Calls of an
	 * earlier unit that finish late are ignored (that unit already ended).
	 * @param items the call's records
	 * @param failure the failure
	 */
	void fail(List<WorkItem> items, Throwable failure) {
		TransactionalUnit current = this.unit;
		if (current != null && current.fail(items, failure)) {
			this.wakeUp.run();
		}
	}

	/**
	 * After a call: if it finished the unit, wake the consumer thread, which waits in a
	 * poll of paused partitions, so the transaction commits now rather than after the
	 * poll timeout.
	 */
	void afterCall() {
		TransactionalUnit current = this.unit;
		if (current != null && current.completedNow()) {
			this.wakeUp.run();
		}
	}

}
