package io.kafkaworker.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkaworker.annotation.Delivery;
import io.kafkaworker.commit.OffsetCommitter;
import io.kafkaworker.dispatch.Backpressure;
import io.kafkaworker.dispatch.Dispatcher;
import io.kafkaworker.dispatch.Ordering;
import io.kafkaworker.dispatch.PartitionPauses;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.event.PartitionsAssignedEvent;
import io.kafkaworker.event.PartitionsRevokedEvent;
import io.kafkaworker.event.Resolution;
import io.kafkaworker.event.WorkerEvents;
import io.kafkaworker.failure.FreezeControl;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.runtime.WorkerObserver.RebalanceChange;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DurationFormat;
import org.springframework.format.datetime.standard.DurationFormatterUtils;

/**
 * The engine's side of one Kafka consumer: the progress of the partitions assigned to it
 * and its committer. Every method except {@link #partitions()} runs on that consumer's
 * thread, called by the listener, the poll-cycle hook and the rebalance listener.
 */
final class ConsumerSession {

	private static final Log logger = LogFactory.getLog(ConsumerSession.class);

	private static final long OBSERVE_INTERVAL_NANOS = Duration.ofMillis(500).toNanos();

	private final WorkerSettings settings;

	private final Consumer<?, ?> consumer;

	private final Dispatcher dispatcher;

	private final LaneScheduler<WorkItem> scheduler;

	private final Backpressure backpressure;

	private final OffsetCommitter committer;

	private final FreezeControl freezes;

	private final PartitionPauses pauses;

	private final WorkerEvents events;

	private final WorkerObserver observer;

	private final JoinWatch joinWatch;

	/** Kafka transactions for exactly-once delivery, or null. */
	private final @Nullable TransactionalUnits transactions;

	/** Which consumer's transactions a partition's records belong to, for the lanes. */
	private final Map<PartitionOffsets, TransactionalUnits> transactionRouting;

	private volatile long lastPollNanos = System.nanoTime();

	private volatile boolean assignmentReceived;

	/** Assigned partitions; written on the consumer thread, read by snapshots. */
	private final Map<TopicPartition, PartitionOffsets> partitions = new ConcurrentHashMap<>();

	/** Requests of other threads to run on the consumer thread, before the next poll. */
	private final ConsumerRequests requests = new ConsumerRequests();

	/**
	 * The offsets committed when partitions were let go, for a drain's commit that the
	 * session's end overtook.
	 */
	private final Map<TopicPartition, Long> committedOnRelease = new ConcurrentHashMap<>();

	private long lastObservedNanos;

	ConsumerSession(WorkerSettings settings, Consumer<?, ?> consumer, Dispatcher dispatcher,
			LaneScheduler<WorkItem> scheduler, Backpressure backpressure, OffsetCommitter committer,
			FreezeControl freezes, PartitionPauses pauses, WorkerEvents events, WorkerObserver observer,
			JoinWatch joinWatch, @Nullable TransactionalUnitsFactory transactionsFactory,
			Map<PartitionOffsets, TransactionalUnits> transactionRouting) {
		this.settings = settings;
		this.consumer = consumer;
		this.dispatcher = dispatcher;
		this.scheduler = scheduler;
		this.backpressure = backpressure;
		this.committer = committer;
		this.freezes = freezes;
		this.pauses = pauses;
		this.events = events;
		this.observer = observer;
		this.joinWatch = joinWatch;
		this.transactionRouting = transactionRouting;
		this.transactions = (transactionsFactory != null) ? transactionsFactory.create(this::rewind,
				(offsets, duration, failure) -> committer.recordCommitted(offsets, duration, failure), consumer::wakeup)
				: null;
	}

	/**
	 * Take a poll's records: track them, hand them to lanes, commit what is due and pause
	 * the partitions that feed too large a backlog.
	 * @param records the poll's records
	 */
	void onRecords(ConsumerRecords<Object, Object> records) {
		if (this.settings.delivery() == Delivery.AT_MOST_ONCE && !commitBeforeHandling(records)) {
			return;
		}
		TransactionalUnits units = this.transactions;
		if (units != null && !units.admit(records, this.consumer)) {
			return;
		}
		for (TopicPartition topicPartition : records.partitions()) {
			List<ConsumerRecord<Object, Object>> partitionRecords = records.records(topicPartition);
			if (units != null) {
				partitionRecords = units.cut(topicPartition, partitionRecords, this.consumer);
				if (partitionRecords.isEmpty()) {
					continue;
				}
			}
			PartitionOffsets partition = partitionFor(topicPartition, partitionRecords.get(0).offset());
			if (units != null) {
				this.transactionRouting.put(partition, units);
				units.enter(topicPartition, partition, partitionRecords.get(0).offset());
			}
			this.dispatcher.dispatch(topicPartition, track(partition, partitionRecords));
		}
		if (units != null) {
			units.afterDispatch(this.partitions.keySet());
		}
		else {
			this.committer.commitIfDue(this.consumer, this.partitions.values());
		}
		this.backpressure.afterDispatch();
		this.freezes.enforceBacklogLimit();
	}

	/**
	 * Run the periodic duties before each poll, so that they happen even when no records
	 * arrive: resume drained partitions, commit what is due.
	 */
	void beforePoll() {
		this.lastPollNanos = System.nanoTime();
		if (!this.assignmentReceived) {
			this.joinWatch.beforePoll(this.consumer);
		}
		this.requests.runQueued();
		this.backpressure.reconcile();
		this.freezes.enforceBacklogLimit();
		if (this.transactions != null) {
			this.transactions.beforePoll(this.consumer);
		}
		else {
			this.committer.commitIfDue(this.consumer, this.partitions.values());
		}
		observePositions();
	}

	/**
	 * Ask the consumer thread to commit every partition's progress now, synchronously
	 * with the commit timeout; the future completes when it did, before the next poll.
	 * @return completes with the offsets committed last, by partition; exceptionally if
	 * the commit failed
	 */
	CompletableFuture<Map<TopicPartition, Long>> commitNow() {
		CompletableFuture<Map<TopicPartition, Long>> done = new CompletableFuture<>();
		this.requests.submit(new ConsumerRequests.Request() {

			@Override
			public void run() {
				try {
					if (!commitEverything()) {
						throw new IllegalStateException("the broker did not accept the commit");
					}
					Map<TopicPartition, Long> committed = new HashMap<>();
					for (TopicPartition topicPartition : ConsumerSession.this.partitions.keySet()) {
						committed.put(topicPartition, ConsumerSession.this.committer.lastCommitted(topicPartition));
					}
					done.complete(committed);
				}
				catch (RuntimeException ex) {
					done.completeExceptionally(ex);
				}
			}

			@Override
			public void sessionEnded() {
				// A revocation let every partition go first, and committed them.
				done.complete(Map.copyOf(ConsumerSession.this.committedOnRelease));
			}

		});
		return done;
	}

	/**
	 * Ask the consumer thread to move a partition's position; the future completes when
	 * it did, before the next poll.
	 * @param topicPartition the partition
	 * @param offset the offset to fetch next
	 * @return completes when the seek is done, exceptionally if it failed
	 */
	CompletableFuture<Void> seek(TopicPartition topicPartition, long offset) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.requests.submit(new ConsumerRequests.Request() {

			@Override
			public void run() {
				try {
					seekNow(topicPartition, offset);
					done.complete(null);
				}
				catch (RuntimeException ex) {
					done.completeExceptionally(ex);
				}
			}

			@Override
			public void sessionEnded() {
				done.completeExceptionally(new IllegalStateException(topicPartition
						+ " was revoked from this consumer before the seek ran; its next owner starts at the committed offset"));
			}

		});
		return done;
	}

	private void seekNow(TopicPartition topicPartition, long offset) {
		if (!this.partitions.containsKey(topicPartition)) {
			throw new IllegalStateException(topicPartition + " is no longer assigned to this consumer");
		}
		if (this.transactions != null) {
			this.transactions.finish(this.consumer, this.settings.revokeTimeout());
		}
		this.consumer.seek(topicPartition, offset);
		// Start tracking afresh: records fetched before the seek are dropped,
		// and the next commit records the new position.
		release(List.of(topicPartition), false, Resolution.SEEK);
		track(topicPartition);
		logger.warn("Worker '" + this.settings.id() + "' moved " + topicPartition + " to offset " + offset
				+ " at an operator's request");
	}

	private boolean commitEverything() {
		if (this.transactions != null) {
			return this.transactions.finish(this.consumer, this.settings.revokeTimeout());
		}
		return this.committer.commitNow(this.consumer, this.partitions.values());
	}

	/**
	 * Return the transactions of this session.
	 * @return the transactions, or null unless the worker uses Kafka transactions
	 */
	@Nullable TransactionalUnits transactions() {
		return this.transactions;
	}

	/**
	 * End the session: requests still queued, and any submitted later, end at once (see
	 * {@link ConsumerRequests}); the transactional producer, if any, is closed.
	 */
	void close() {
		this.requests.end();
		if (this.transactions != null) {
			this.transactions.close();
		}
	}

	/**
	 * Return whether this session holds a partition now. Safe from any thread.
	 * @param topicPartition the partition
	 * @return true if assigned to this session's consumer
	 */
	boolean holds(TopicPartition topicPartition) {
		return this.partitions.containsKey(topicPartition);
	}

	// The position and log end of each partition for the read model, at most a few times
	// a second: both are local to the consumer, no request to the broker.
	private void observePositions() {
		long now = System.nanoTime();
		if (now - this.lastObservedNanos < OBSERVE_INTERVAL_NANOS) {
			return;
		}
		this.lastObservedNanos = now;
		for (PartitionOffsets partition : this.partitions.values()) {
			try {
				long position = this.consumer.position(partition.topicPartition(), Duration.ZERO);
				OptionalLong lag = this.consumer.currentLag(partition.topicPartition());
				partition.observe(position, lag.isPresent() ? position + lag.getAsLong() : -1);
			}
			catch (RuntimeException ex) {
				// Unknown yet, or moving: the read model keeps its last view.
			}
		}
	}

	/**
	 * Start tracking newly assigned partitions.
	 * @param assigned the partitions
	 */
	void assigned(Collection<TopicPartition> assigned) {
		if (this.transactions != null && !assigned.isEmpty()) {
			this.transactions.prepare();
		}
		for (TopicPartition topicPartition : assigned) {
			PartitionOffsets previous = this.partitions.get(topicPartition);
			if (previous != null) {
				release(List.of(topicPartition), false);
			}
			track(topicPartition);
		}
		this.assignmentReceived = true;
		if (!assigned.isEmpty()) {
			this.observer.rebalanced(this.settings.id(), RebalanceChange.ASSIGNED, assigned.size());
			this.events.publish(new PartitionsAssignedEvent(this.events.source(), this.settings.id(), assigned));
		}
	}

	/**
	 * Let partitions go after a revocation: stop dispatching their buffered records, wait
	 * (bounded) for their in-flight records, and commit.
	 * @param revoked the partitions
	 */
	void revoked(Collection<TopicPartition> revoked) {
		if (this.transactions != null && !revoked.isEmpty()) {
			// A transaction covers all of the consumer's partitions: finish it while the
			// consumer still owns them, so its offsets can still be committed.
			this.transactions.finish(this.consumer, this.settings.revokeTimeout());
		}
		if (release(revoked, this.transactions == null)) {
			this.observer.rebalanced(this.settings.id(), RebalanceChange.REVOKED, revoked.size());
			this.events.publish(new PartitionsRevokedEvent(this.events.source(), this.settings.id(), revoked, false));
		}
	}

	/**
	 * Let partitions go that were lost: they may already belong to another consumer, so
	 * nothing is committed and nothing is waited for.
	 * @param lost the partitions
	 */
	void lost(Collection<TopicPartition> lost) {
		if (this.transactions != null && !lost.isEmpty()) {
			this.transactions.abandon(this.consumer);
		}
		if (release(lost, false)) {
			this.observer.rebalanced(this.settings.id(), RebalanceChange.LOST, lost.size());
			this.events.publish(new PartitionsRevokedEvent(this.events.source(), this.settings.id(), lost, true));
		}
	}

	/**
	 * Return the progress of the partitions assigned now. Safe from any thread.
	 * @return the partitions' progress
	 */
	Collection<PartitionOffsets> partitions() {
		return Collections.unmodifiableCollection(this.partitions.values());
	}

	/**
	 * Return the last offset this session committed for a partition. Safe from any
	 * thread.
	 * @param topicPartition the partition
	 * @return the offset, or -1
	 */
	long lastCommitted(TopicPartition topicPartition) {
		return this.committer.lastCommitted(topicPartition);
	}

	/**
	 * Return how long ago the consumer thread last came back to poll.
	 * @return the time since the last poll
	 */
	Duration sinceLastPoll() {
		return Duration.ofNanos(System.nanoTime() - this.lastPollNanos);
	}

	/**
	 * Return whether the consumer received an assignment, even an empty one: it joined
	 * its group.
	 * @return true after the first assignment
	 */
	boolean assignmentReceived() {
		return this.assignmentReceived;
	}

	boolean hasPartitions() {
		return !this.partitions.isEmpty();
	}

	private PartitionOffsets track(TopicPartition topicPartition) {
		PartitionOffsets partition = new PartitionOffsets(topicPartition);
		this.partitions.put(topicPartition, partition);
		this.backpressure.track(partition);
		return partition;
	}

	private static List<WorkItem> track(PartitionOffsets partition, List<ConsumerRecord<Object, Object>> records) {
		int count = records.size();
		long[] offsets = new long[count];
		int[] bytes = new int[count];
		for (int i = 0; i < count; i++) {
			ConsumerRecord<Object, Object> record = records.get(i);
			offsets[i] = record.offset();
			bytes[i] = WorkItem.estimateBytes(record);
		}
		long sequence = partition.receive(offsets, bytes, count);
		List<WorkItem> items = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			items.add(new WorkItem(records.get(i), partition, sequence + i));
		}
		return items;
	}

	// Return the progress of a partition that records arrived for. Normally it was
	// created on assignment; it is created here if Spring Kafka skipped our assignment
	// callback, and replaced if the consumer went back to an earlier offset (an offset
	// reset), since offsets must only grow within one progress object.
	private PartitionOffsets partitionFor(TopicPartition topicPartition, long firstOffset) {
		PartitionOffsets partition = this.partitions.get(topicPartition);
		if (partition == null) {
			return track(topicPartition);
		}
		if (firstOffset <= partition.lastReceivedOffset()) {
			logger.warn("Worker '" + this.settings.id() + "' received " + topicPartition + " at offset " + firstOffset
					+ ", at or before offset " + partition.lastReceivedOffset()
					+ " received earlier; the consumer went back (offset reset). Tracking the partition afresh");
			release(List.of(topicPartition), false);
			return track(topicPartition);
		}
		return partition;
	}

	private boolean release(Collection<TopicPartition> topicPartitions, boolean commit) {
		return release(topicPartitions, commit, Resolution.REVOKED);
	}

	private boolean release(Collection<TopicPartition> topicPartitions, boolean commit, Resolution resolution) {
		List<PartitionOffsets> released = new ArrayList<>();
		List<WorkItem> dropped = retire(topicPartitions, released);
		if (released.isEmpty()) {
			return false;
		}
		if (!dropped.isEmpty() && this.settings.delivery() == Delivery.AT_MOST_ONCE) {
			logger.warn("Worker '" + this.settings.id() + "' dropped " + dropped.size()
					+ " fetched records of revoked partitions " + topicPartitions
					+ " before handling them; their offsets were committed (at-most-once)");
		}
		if (commit) {
			awaitInFlight(released);
			this.committer.commitNow(this.consumer, released);
		}
		for (PartitionOffsets partition : released) {
			long committed = this.committer.lastCommitted(partition.topicPartition());
			if (committed >= 0) {
				this.committedOnRelease.put(partition.topicPartition(), committed);
			}
			untrack(partition);
			this.committer.forget(partition.topicPartition());
			this.freezes.forget(partition.topicPartition(), resolution);
			this.pauses.forget(partition.topicPartition());
			if (this.transactions != null) {
				this.transactions.forget(partition.topicPartition(), resolution);
			}
		}
		return true;
	}

	// After an aborted transaction: drop the progress of the unit's partitions (calls
	// still running see it revoked and abandon their records) and what was fetched after
	// their first record of the unit, then fetch again from there.
	private void rewind(Map<TopicPartition, Long> firstOffsets) {
		List<PartitionOffsets> retired = new ArrayList<>();
		retire(firstOffsets.keySet(), retired);
		Map<TopicPartition, Long> held = new HashMap<>();
		for (PartitionOffsets partition : retired) {
			untrack(partition);
			// retired from the unit's partitions, so the unit knows its first offset
			held.put(partition.topicPartition(), Objects.requireNonNull(firstOffsets.get(partition.topicPartition())));
		}
		this.scheduler.release((laneKey) -> {
			TopicPartition lanePartition = Ordering.partitionOf(laneKey);
			return lanePartition == null || held.containsKey(lanePartition);
		});
		held.forEach((topicPartition, offset) -> {
			try {
				this.consumer.seek(topicPartition, offset);
			}
			catch (IllegalStateException ex) {
				// No longer assigned: the next owner starts from the last commit.
			}
			track(topicPartition);
		});
	}

	// Stop tracking the held ones of these partitions: their progress is revoked (calls
	// still running see it and abandon their records) and their buffered records are
	// dropped. Adds the retired progress to the list; returns the dropped records.
	private List<WorkItem> retire(Collection<TopicPartition> topicPartitions, List<PartitionOffsets> retired) {
		for (TopicPartition topicPartition : topicPartitions) {
			PartitionOffsets partition = this.partitions.remove(topicPartition);
			if (partition != null) {
				partition.revoke();
				retired.add(partition);
			}
		}
		if (retired.isEmpty()) {
			return List.of();
		}
		Set<PartitionOffsets> retiredSet = Collections.newSetFromMap(new IdentityHashMap<>());
		retiredSet.addAll(retired);
		return this.scheduler.discard((item) -> retiredSet.contains(item.partition()));
	}

	private void untrack(PartitionOffsets partition) {
		this.backpressure.untrack(partition);
		this.transactionRouting.remove(partition);
	}

	private void awaitInFlight(List<PartitionOffsets> partitions) {
		long deadline = System.nanoTime() + this.settings.revokeTimeout().toNanos();
		List<TopicPartition> unfinished = new ArrayList<>();
		try {
			for (PartitionOffsets partition : partitions) {
				Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
				if (!partition.awaitNothingInFlight(remaining)) {
					unfinished.add(partition.topicPartition());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!unfinished.isEmpty()) {
			logger.warn("Worker '" + this.settings.id() + "' stopped waiting for in-flight records of " + unfinished
					+ " after "
					+ DurationFormatterUtils.print(this.settings.revokeTimeout(), DurationFormat.Style.COMPOSITE)
					+ "; records not complete by then are redelivered to the partitions' next owner");
		}
	}

	// At-most-once: commit the offsets past the poll's records before any is handled. If
	// the commit fails, nothing is handled and the consumer goes back to the poll's first
	// records, so they are fetched and committed again rather than lost or handled twice.
	private boolean commitBeforeHandling(ConsumerRecords<Object, Object> records) {
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		for (TopicPartition topicPartition : records.partitions()) {
			List<ConsumerRecord<Object, Object>> partitionRecords = records.records(topicPartition);
			offsets.put(topicPartition,
					new OffsetAndMetadata(partitionRecords.get(partitionRecords.size() - 1).offset() + 1));
		}
		if (this.committer.commit(this.consumer, offsets)) {
			return true;
		}
		for (TopicPartition topicPartition : records.partitions()) {
			try {
				this.consumer.seek(topicPartition, records.records(topicPartition).get(0).offset());
			}
			catch (IllegalStateException ex) {
				// No longer assigned: the next owner starts from the last commit.
			}
		}
		return false;
	}

	/**
	 * Creates the transactions of a session, given what only the session can do.
	 */
	@FunctionalInterface
	interface TransactionalUnitsFactory {

		TransactionalUnits create(TransactionalUnits.Rewind rewind, TransactionalUnits.Committed committed,
				Runnable wakeConsumer);

	}

}
