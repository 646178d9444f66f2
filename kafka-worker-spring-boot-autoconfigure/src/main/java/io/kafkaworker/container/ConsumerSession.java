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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.kafkaworker.delivery.CommitProtocol;
import io.kafkaworker.delivery.DeliveryGuarantee;
import io.kafkaworker.dispatch.Backpressure;
import io.kafkaworker.dispatch.Dispatcher;
import io.kafkaworker.dispatch.Ordering;
import io.kafkaworker.dispatch.PartitionPauses;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.event.PartitionsAssignedEvent;
import io.kafkaworker.event.PartitionsRevokedEvent;
import io.kafkaworker.event.Resolution;
import io.kafkaworker.event.WorkerEvents;
import io.kafkaworker.failure.FreezeRegistry;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.offset.PartitionOffsets;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.runtime.WorkerObserver.RebalanceChange;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.jspecify.annotations.Nullable;

/**
 * The engine's side of one Kafka consumer: the progress of the partitions assigned to it
 * and its committer. Every method except {@link #partitions()} runs on that consumer's
 * thread, called by the listener, the poll-cycle hook and the rebalance listener.
 */
final class ConsumerSession {

	private static final Log logger = LogFactory.getLog(ConsumerSession.class);

	private final String workerId;

	private final Consumer<?, ?> consumer;

	private final Dispatcher dispatcher;

	private final LaneScheduler<WorkItem> scheduler;

	private final Backpressure backpressure;

	/**
	 * How this consumer's progress is committed, chosen once by the worker's delivery
	 * guarantee.
	 */
	private final CommitProtocol commits;

	private final FreezeRegistry freezes;

	private final PartitionPauses pauses;

	private final WorkerEvents events;

	private final WorkerObserver observer;

	private final JoinWatch joinWatch;

	private volatile long lastPollNanos = System.nanoTime();

	// A poll cycle longer than max.poll.interval.ms plus the longest a poll may block
	// (the process was stopped, or starved) left a consumer that has left its group but
	// still holds its partitions until the next poll runs onPartitionsLost. With the
	// KIP-848 protocol its commits then go out without a member epoch, which the broker
	// accepts while the group is empty, overwriting what the partitions' next owner
	// committed (the chaos suite saw an offset go back from 977 to 958 that way). So
	// nothing is committed until the next poll has run: progress of partitions still
	// held is committed then.
	private final long staleAfterNanos;

	private boolean stale;

	private final GroupJoin join = new GroupJoin(System::nanoTime);

	/** Assigned partitions; written on the consumer thread, read by snapshots. */
	private final Map<TopicPartition, PartitionOffsets> partitions = new ConcurrentHashMap<>();

	/** Requests of other threads to run on the consumer thread, before the next poll. */
	private final ConsumerRequests requests = new ConsumerRequests();

	/**
	 * The offsets committed when partitions were let go, for a drain's commit that the
	 * session's end overtook.
	 */
	private final Map<TopicPartition, Long> committedOnRelease = new ConcurrentHashMap<>();

	private final PositionObserver positions;

	// Whether the consumer thread is in a poll: set when the duties before it are done,
	// cleared when the poll hands over records or runs a rebalance callback.
	private volatile boolean polling;

	// Whether a lane thread asked the consumer thread to come back from its poll (an
	// exactly-once unit that completed or failed) since the duties before the last poll
	// began: delivered at once while polling, else at the end of those duties or of the
	// rebalance callback the consumer is in.
	private final AtomicBoolean wakeUpAsked = new AtomicBoolean();

	private final PartitionStates states;

	ConsumerSession(String workerId, Consumer<?, ?> consumer, Dispatcher dispatcher, LaneScheduler<WorkItem> scheduler,
			Backpressure backpressure, DeliveryGuarantee delivery, FreezeRegistry freezes, PartitionPauses pauses,
			WorkerEvents events, WorkerObserver observer, JoinWatch joinWatch, PartitionStates states,
			@Nullable Duration staleAfter) {
		this.staleAfterNanos = (staleAfter != null) ? staleAfter.toNanos() : Long.MAX_VALUE;
		this.workerId = workerId;
		this.consumer = consumer;
		this.dispatcher = dispatcher;
		this.scheduler = scheduler;
		this.backpressure = backpressure;
		this.freezes = freezes;
		this.pauses = pauses;
		this.events = events;
		this.observer = observer;
		this.joinWatch = joinWatch;
		this.states = states;
		this.positions = new PositionObserver(consumer);
		this.commits = delivery.open(consumer, this::rewind, this::wakeUpForLane);
	}

	/**
	 * Take a poll's records: track them, hand them to lanes, commit what is due and pause
	 * the partitions that feed too large a backlog.
	 * @param records the poll's records
	 */
	void onRecords(ConsumerRecords<Object, Object> records) {
		this.polling = false;
		this.stale |= System.nanoTime() - this.lastPollNanos > this.staleAfterNanos;
		records = held(records);
		if (!this.commits.admit(records)) {
			return;
		}
		for (TopicPartition topicPartition : records.partitions()) {
			List<ConsumerRecord<Object, Object>> partitionRecords = this.commits.cut(topicPartition,
					records.records(topicPartition));
			if (partitionRecords.isEmpty()) {
				continue;
			}
			long firstOffset = partitionRecords.get(0).offset();
			PartitionOffsets partition = partitionFor(topicPartition, firstOffset);
			this.commits.dispatching(partition, firstOffset);
			this.dispatcher.dispatch(topicPartition, WorkItem.receive(partition, partitionRecords));
		}
		if (!this.stale) {
			this.commits.afterDispatch(this.partitions.values());
		}
		this.backpressure.afterDispatch();
		this.freezes.enforceBacklogLimit();
	}

	/**
	 * Run the periodic duties before each poll, so that they happen even when no records
	 * arrive: resume drained partitions, commit what is due.
	 */
	void beforePoll() {
		// What a lane asked for before this point, the duties below see (a completed
		// unit commits there); what it asks for from here on is delivered at their end.
		this.wakeUpAsked.set(false);
		long now = System.nanoTime();
		long previous = this.lastPollNanos;
		this.stale |= now - previous > this.staleAfterNanos;
		this.lastPollNanos = now;
		if (!this.join.assignmentReceived()) {
			this.joinWatch.beforePoll(this.consumer);
		}
		this.requests.runQueued();
		this.backpressure.reconcile();
		this.freezes.enforceBacklogLimit();
		if (this.stale) {
			// The poll that follows runs the rebalance callbacks of the stale member.
			logger.warn(
					"Worker '" + this.workerId + "': its consumer polled " + Duration.ofNanos(now - previous).toMillis()
							+ " ms after the previous poll, past max.poll.interval.ms and the poll timeout; "
							+ "commits wait for the next poll, which tells whether the partitions are still held");
			this.stale = false;
		}
		else {
			this.commits.beforePoll(this.partitions.values());
		}
		this.positions.observe(this.partitions.values());
		this.polling = true;
		rearmSpentWakeUp();
	}

	/**
	 * Wake the consumer if a commit or a read of the committed offsets spent a wake-up
	 * that a lane thread meant for the poll (it was tried again), or if a lane thread
	 * asked for one while the consumer was not polling: at the end of the duties before a
	 * poll, and at the end of a rebalance callback, where no other consumer call of the
	 * worker's or the application's follows. Otherwise the poll would wait its timeout
	 * for what the wake-up asked for (an exactly-once unit's commit, a resumed
	 * partition).
	 */
	void rearmSpentWakeUp() {
		// Taken in one step: a request that comes after it was read is not cleared.
		boolean asked = this.wakeUpAsked.getAndSet(false);
		if (this.commits.takeSpentWakeUp() || asked) {
			this.consumer.wakeup();
		}
	}

	// For lane threads (see DeliveryGuarantee#open). Noted first, then delivered if the
	// consumer polls: either the lane sees the poll's flag or the consumer thread, which
	// sets that flag before it looks at this one, sees the request.
	private void wakeUpForLane() {
		this.wakeUpAsked.set(true);
		wakeIfPolling();
	}

	// Wake the consumer thread from its poll, for a lane thread: only while it polls
	// (as Spring Kafka's container does when it resumes a partition), since elsewhere the
	// wake-up would interrupt another consumer call, and the duties before the next poll
	// come anyway.
	private void wakeIfPolling() {
		if (this.polling) {
			this.consumer.wakeup();
		}
	}

	/**
	 * Ask the consumer thread to commit every partition's progress now, synchronously
	 * with the commit timeout; the future completes when it did, before the next poll.
	 * @return completes with the offsets committed last, by partition; exceptionally if
	 * the commit failed
	 */
	CompletableFuture<Map<TopicPartition, Long>> commitNow() {
		return this.requests.call(this::commitEverything,
				// A revocation let every partition go first, and committed them.
				() -> Map.copyOf(this.committedOnRelease));
	}

	/**
	 * Ask the consumer thread to move a partition's position; the future completes when
	 * it did, before the next poll.
	 * @param topicPartition the partition
	 * @param offset the offset to fetch next
	 * @return completes when the seek is done, exceptionally if it failed
	 */
	CompletableFuture<Boolean> seek(TopicPartition topicPartition, long offset) {
		return this.requests.call(() -> seekNow(topicPartition, offset), () -> {
			throw new IllegalStateException(topicPartition
					+ " was revoked from this consumer before the seek ran; its next owner starts at the committed offset");
		});
	}

	private Map<TopicPartition, Long> commitEverything() {
		if (!this.commits.commitNow(this.partitions.values())) {
			if (this.commits.failedForRebalance()) {
				throw new RebalanceInProgressException(
						"the group is rebalancing; the commit can go through after " + "the consumer's next poll");
			}
			throw new IllegalStateException("the broker did not accept the commit");
		}
		Map<TopicPartition, Long> committed = new HashMap<>();
		// Partitions with nothing committed since their assignment (-1) are left out: the
		// group's offset there is what an earlier owner committed.
		for (TopicPartition topicPartition : this.partitions.keySet()) {
			long last = this.commits.lastCommitted(topicPartition);
			if (last >= 0) {
				committed.put(topicPartition, last);
			}
		}
		return committed;
	}

	private boolean seekNow(TopicPartition topicPartition, long offset) {
		if (!this.partitions.containsKey(topicPartition)) {
			throw new IllegalStateException(topicPartition + " is no longer assigned to this consumer");
		}
		this.commits.settle();
		this.consumer.seek(topicPartition, offset);
		// Start tracking afresh: records fetched before the seek are dropped,
		// and the next commit records the new position.
		release(List.of(topicPartition), false, Resolution.SEEK);
		track(topicPartition);
		logger.warn("Worker '" + this.workerId + "' moved " + topicPartition + " to offset " + offset
				+ " at an operator's request");
		return true;
	}

	/**
	 * End the session: requests still queued, and any submitted later, end at once (see
	 * {@link ConsumerRequests}); the commit protocol closes.
	 */
	void close() {
		this.requests.end();
		this.commits.close();
	}

	/**
	 * Return whether this session holds a partition now. Safe from any thread.
	 * @param topicPartition the partition
	 * @return true if assigned to this session's consumer
	 */
	boolean holds(TopicPartition topicPartition) {
		return this.partitions.containsKey(topicPartition);
	}

	/**
	 * Start tracking newly assigned partitions.
	 * @param assigned the partitions
	 */
	void assigned(Collection<TopicPartition> assigned) {
		this.polling = false;
		this.commits.assigned(assigned);
		List<PartitionOffsets> tracked = new ArrayList<>(assigned.size());
		for (TopicPartition topicPartition : assigned) {
			PartitionOffsets previous = this.partitions.get(topicPartition);
			if (previous != null) {
				release(List.of(topicPartition), false);
			}
			tracked.add(track(topicPartition));
		}
		this.commits.resumed(tracked);
		// Before the poll returns the partitions' first records. Partitions whose state
		// could not be built stay paused: none of their records runs without it.
		try {
			this.states.assigned(assigned);
		}
		catch (RuntimeException ex) {
			this.consumer.pause(assigned);
			throw ex;
		}
		this.join.assigned(assigned.size());
		if (!assigned.isEmpty()) {
			this.observer.rebalanced(this.workerId, RebalanceChange.ASSIGNED, assigned.size());
			this.events.publish(new PartitionsAssignedEvent(this.events.source(), this.workerId, assigned));
		}
	}

	/**
	 * Let partitions go after a revocation: stop dispatching their buffered records, wait
	 * (bounded) for their in-flight records, and commit.
	 * @param revoked the partitions
	 */
	void revoked(Collection<TopicPartition> revoked) {
		this.polling = false;
		if (!revoked.isEmpty()) {
			this.commits.settle();
		}
		List<PartitionOffsets> released = release(revoked, true, Resolution.REVOKED);
		if (!released.isEmpty()) {
			this.states.released(revoked, settled(released));
			this.observer.rebalanced(this.workerId, RebalanceChange.REVOKED, revoked.size());
			this.events.publish(new PartitionsRevokedEvent(this.events.source(), this.workerId, revoked, false));
		}
	}

	/**
	 * Let partitions go that were lost: they may already belong to another consumer, so
	 * nothing is committed and nothing is waited for.
	 * @param lost the partitions
	 */
	void lost(Collection<TopicPartition> lost) {
		this.polling = false;
		this.commits.lost(lost);
		if (release(lost, false)) {
			this.states.released(lost, List.of());
			this.observer.rebalanced(this.workerId, RebalanceChange.LOST, lost.size());
			this.events.publish(new PartitionsRevokedEvent(this.events.source(), this.workerId, lost, true));
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
		return this.commits.lastCommitted(topicPartition);
	}

	/**
	 * Return how long ago the consumer thread last came back to poll.
	 * @return the time since the last poll
	 */
	Duration sinceLastPoll() {
		return Duration.ofNanos(System.nanoTime() - this.lastPollNanos);
	}

	/**
	 * Return whether the consumer joined its group, as readiness sees it.
	 * @return true once it received partitions, or held an empty assignment a moment
	 * @see GroupJoin
	 */
	boolean joined() {
		return this.join.joined();
	}

	boolean hasPartitions() {
		return !this.partitions.isEmpty();
	}

	private PartitionOffsets track(TopicPartition topicPartition) {
		PartitionOffsets partition = new PartitionOffsets(topicPartition);
		this.partitions.put(topicPartition, partition);
		this.backpressure.track(partition, this::wakeIfPolling);
		return partition;
	}

	// The records of the partitions this session holds. Records of another partition
	// arrive when it was lost or revoked and the consumer still returns records it had
	// fetched before: kafka-clients 4.2's consumer for the KIP-848 protocol does so after
	// onPartitionsLost (KAFKA-20321). Tracking them afresh would commit past the records
	// the lost progress had not finished (the chaos suite lost records that way), so they
	// are dropped: the partition's next owner, this consumer again included, starts from
	// the group's committed offset, after its assignment callback.
	private ConsumerRecords<Object, Object> held(ConsumerRecords<Object, Object> records) {
		boolean allHeld = true;
		for (TopicPartition topicPartition : records.partitions()) {
			allHeld &= this.partitions.containsKey(topicPartition);
		}
		if (allHeld) {
			return records;
		}
		Map<TopicPartition, List<ConsumerRecord<Object, Object>>> held = new HashMap<>();
		for (TopicPartition topicPartition : records.partitions()) {
			if (this.partitions.containsKey(topicPartition)) {
				held.put(topicPartition, records.records(topicPartition));
			}
			else {
				dropNotHeld(topicPartition, records.records(topicPartition));
			}
		}
		return new ConsumerRecords<>(held, Map.of());
	}

	private void dropNotHeld(TopicPartition topicPartition, List<ConsumerRecord<Object, Object>> records) {
		if (records.isEmpty()) {
			return;
		}
		logger.warn("Worker '" + this.workerId + "' dropped " + records.size() + " records of " + topicPartition
				+ " (offsets " + records.get(0).offset() + " to " + records.get(records.size() - 1).offset()
				+ ") that the consumer returned after the partition was revoked or lost; its next owner "
				+ "handles them from the group's committed offset");
	}

	// Return the progress of a partition that records arrived for, created on assignment;
	// replaced if the consumer went back to an earlier offset (an offset reset), since
	// offsets must only grow within one progress object.
	private PartitionOffsets partitionFor(TopicPartition topicPartition, long firstOffset) {
		PartitionOffsets partition = Objects.requireNonNull(this.partitions.get(topicPartition));
		if (firstOffset <= partition.lastReceivedOffset()) {
			logger.warn("Worker '" + this.workerId + "' received " + topicPartition + " at offset " + firstOffset
					+ ", at or before offset " + partition.lastReceivedOffset()
					+ " received earlier; the consumer went back (offset reset). Tracking the partition afresh");
			release(List.of(topicPartition), false);
			return track(topicPartition);
		}
		return partition;
	}

	private boolean release(Collection<TopicPartition> topicPartitions, boolean revoked) {
		return !release(topicPartitions, revoked, Resolution.REVOKED).isEmpty();
	}

	// Revoked partitions with nothing left in flight once their commit was made: no
	// change
	// of their records is still on its way to the worker's state.
	private static List<TopicPartition> settled(List<PartitionOffsets> released) {
		List<TopicPartition> settled = new ArrayList<>();
		for (PartitionOffsets partition : released) {
			if (partition.inFlight() == 0) {
				settled.add(partition.topicPartition());
			}
		}
		return settled;
	}

	// Stop tracking partitions; with revoked, the commit protocol commits what they
	// finished first (after their in-flight records, for watermark commits). Returns the
	// progress of the partitions released.
	private List<PartitionOffsets> release(Collection<TopicPartition> topicPartitions, boolean revoked,
			Resolution resolution) {
		List<PartitionOffsets> released = new ArrayList<>();
		List<WorkItem> dropped = retire(topicPartitions, released);
		if (released.isEmpty()) {
			return released;
		}
		this.commits.released(released, this.partitions.values(), dropped.size(), revoked);
		for (PartitionOffsets partition : released) {
			TopicPartition topicPartition = partition.topicPartition();
			long committed = this.commits.lastCommitted(topicPartition);
			if (committed >= 0) {
				this.committedOnRelease.put(topicPartition, committed);
			}
			this.backpressure.untrack(partition);
			this.commits.forget(topicPartition, resolution);
			this.freezes.forget(topicPartition, resolution);
			this.pauses.forget(topicPartition);
		}
		return released;
	}

	// After an aborted transaction: drop the progress of the unit's partitions (calls
	// still running see it revoked and abandon their records) and what was fetched after
	// their first record of the unit, then fetch again from there.
	private void rewind(Map<TopicPartition, Long> firstOffsets) {
		List<PartitionOffsets> retired = new ArrayList<>();
		retire(firstOffsets.keySet(), retired);
		Map<TopicPartition, Long> held = new HashMap<>();
		for (PartitionOffsets partition : retired) {
			this.backpressure.untrack(partition);
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

}
