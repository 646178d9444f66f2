package io.kafkaworker.failure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import io.kafkaworker.dispatch.Ordering;
import io.kafkaworker.dispatch.PartitionPauses;
import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.error.FreezeScope;
import io.kafkaworker.event.KeyFrozenEvent;
import io.kafkaworker.event.KeyUnfrozenEvent;
import io.kafkaworker.event.PartitionFrozenEvent;
import io.kafkaworker.event.PartitionUnfrozenEvent;
import io.kafkaworker.event.Resolution;
import io.kafkaworker.event.WorkerEvents;
import io.kafkaworker.lane.LaneScheduler;
import io.kafkaworker.runtime.FrozenRecord;
import io.kafkaworker.runtime.WorkerObserver;
import io.kafkaworker.runtime.WorkerObserver.RecordOutcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DurationFormat;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.scheduling.TaskScheduler;

/**
 * The freezes of one worker: which lanes stopped at a failed record, and the operations
 * that release them.
 *
 * <p>
 * A freeze is registered on the lane thread once the scheduler has halted the failed
 * call's lane with its records back at the head, so an operator who sees the freeze
 * always finds the lane in that state. With scope PARTITION the freeze also holds every
 * record of the partition after the failed one (present and future; records before it
 * still run, so the committed offset reaches it exactly) and pauses the partition at the
 * consumer; with scope KEY (KEY mode only) it halts only the key's lane, and the consumer
 * thread pauses the partition if too many records wait behind its frozen keys.
 *
 * <p>
 * Releasing a freeze removes it first, atomically, so that two operators (or an operator
 * and the retry-after timer) never release it twice.
 */
public final class FreezeControl {

	private static final Log logger = LogFactory.getLog(FreezeControl.class);

	private final String workerId;

	private final FailureSettings settings;

	private final Ordering ordering;

	private final LaneScheduler<WorkItem> scheduler;

	private final PartitionPauses pauses;

	private final WorkerEvents events;

	private final @Nullable DeadLetterPublisher deadLetters;

	private final @Nullable TaskScheduler retryScheduler;

	private final WorkerObserver observer;

	/** Freezes by the key of the halted lane. */
	private final Map<Object, Freeze> freezes = new ConcurrentHashMap<>();

	/** Partitions paused because too many records wait behind their frozen keys. */
	private final Set<TopicPartition> backlogPaused = ConcurrentHashMap.newKeySet();

	public FreezeControl(String workerId, FailureSettings settings, Ordering ordering,
			LaneScheduler<WorkItem> scheduler, PartitionPauses pauses, WorkerEvents events,
			@Nullable DeadLetterPublisher deadLetters, @Nullable TaskScheduler retryScheduler,
			WorkerObserver observer) {
		this.workerId = workerId;
		this.settings = settings;
		this.ordering = ordering;
		this.scheduler = scheduler;
		this.pauses = pauses;
		this.events = events;
		this.deadLetters = deadLetters;
		this.retryScheduler = retryScheduler;
		this.observer = observer;
	}

	/**
	 * Freeze the lane of a call whose records failed for good. Runs on the lane thread,
	 * right after the scheduler halted the lane with the records back at its head.
	 * @param items the records of the failed call, in lane order
	 * @param failure the last failure
	 * @param attempts how many times the handler was called
	 */
	public void freeze(List<WorkItem> items, Throwable failure, int attempts) {
		WorkItem first = items.get(0);
		TopicPartition partition = first.partition().topicPartition();
		Object laneKey = this.ordering.laneKey(first.record(), partition);
		FreezeScope scope = (this.settings.freezeScope() == FreezeScope.KEY && this.ordering == Ordering.KEY)
				? FreezeScope.KEY : FreezeScope.PARTITION;
		FrozenRecord record = new FrozenRecord(scope.name(), partition.topic(), partition.partition(),
				first.record().offset(), keyText(first.record().key()), failure.getClass().getName(),
				failure.getMessage(), Instant.now(), attempts);
		Freeze freeze = new Freeze(scope, partition, laneKey, List.copyOf(items), record, failure);
		this.freezes.put(laneKey, freeze);
		if (scope == FreezeScope.PARTITION) {
			// Records of the partition after the failed one wait; records before it (of
			// other keys, in KEY mode) still run, so the committed offset reaches it.
			long failedOffset = first.record().offset();
			this.scheduler.hold(holdId(partition), (item) -> item.record().offset() > failedOffset
					&& partition.equals(item.partition().topicPartition()));
			this.pauses.pause(partition, PartitionPauses.Reason.FROZEN);
		}
		if (first.partition().isRevoked()) {
			// The partition left this consumer while the call failed: its next owner
			// starts
			// again at the record, so there is nothing to freeze here.
			release(freeze, null);
			return;
		}
		logger.error("Worker '" + this.workerId + "' froze " + describe(record) + " after " + attempts + " attempts: "
				+ failure + ". Resume or skip it with the kafkaworkers actuator endpoint"
				+ ((this.settings.freezeRetryAfter() != null) ? "; it is retried automatically after "
						+ DurationFormatterUtils.print(this.settings.freezeRetryAfter(), DurationFormat.Style.COMPOSITE)
						: ""));
		scheduleRetry(freeze);
		this.events.publish((scope == FreezeScope.KEY) ? new KeyFrozenEvent(this.events.source(), this.workerId, record)
				: new PartitionFrozenEvent(this.events.source(), this.workerId, record));
	}

	/**
	 * Release the freezes of a partition, or of one key of it, so the frozen records are
	 * tried again.
	 * @param topic the topic
	 * @param partition the partition
	 * @param key the key (as text), or null for every freeze of the partition
	 * @return the records released
	 */
	public List<FrozenRecord> resume(String topic, int partition, @Nullable String key) {
		List<FrozenRecord> released = new ArrayList<>();
		for (Freeze freeze : matching(topic, partition, key)) {
			if (release(freeze, Resolution.RESUMED)) {
				released.add(freeze.record);
			}
		}
		return released;
	}

	/**
	 * Skip the frozen records of a partition, or of one key of it: mark them complete
	 * without handling them, optionally after publishing them to the dead-letter topic,
	 * and release the freeze.
	 * @param topic the topic
	 * @param partition the partition
	 * @param key the key (as text), or null for every freeze of the partition
	 * @param toDeadLetter whether to publish the records to the dead-letter topic first
	 * @return the records skipped
	 */
	public List<FrozenRecord> skip(String topic, int partition, @Nullable String key, boolean toDeadLetter) {
		List<FrozenRecord> skipped = new ArrayList<>();
		for (Freeze freeze : matching(topic, partition, key)) {
			List<WorkItem> head = this.scheduler.peekHead(freeze.laneKey, freeze.items.size());
			if (!sameItems(head, freeze.items)) {
				continue;
			}
			if (toDeadLetter) {
				DeadLetterPublisher publisher = Objects.requireNonNull(this.deadLetters,
						"No dead-letter publisher: a KafkaTemplate bean is needed to skip to the dead-letter topic");
				for (WorkItem item : freeze.items) {
					publisher.publish(item.record(), freeze.failure, freeze.record.attempts());
				}
			}
			List<WorkItem> removed = this.scheduler.removeHead(freeze.laneKey, freeze.items.size());
			for (WorkItem item : removed) {
				item.complete();
			}
			FailureActions.countByTopic(this.observer, this.workerId, removed,
					toDeadLetter ? RecordOutcome.DEAD_LETTERED : RecordOutcome.SKIPPED);
			logger.warn("Worker '" + this.workerId + "' skipped " + describe(freeze.record)
					+ (toDeadLetter ? " to the dead-letter topic" : "") + " at an operator's request");
			if (release(freeze, toDeadLetter ? Resolution.SKIPPED_TO_DEAD_LETTER : Resolution.SKIPPED)) {
				skipped.add(freeze.record);
			}
		}
		return skipped;
	}

	/**
	 * Forget the freezes of a partition that was revoked or lost (its next owner starts
	 * at the committed offset, which is the frozen record) or moved by an operator.
	 * @param partition the partition
	 * @param resolution why the freezes end
	 */
	public void forget(TopicPartition partition, Resolution resolution) {
		for (Freeze freeze : List.copyOf(this.freezes.values())) {
			if (freeze.partition.equals(partition)) {
				release(freeze, resolution);
			}
		}
		this.backlogPaused.remove(partition);
	}

	/**
	 * With freeze scope KEY, pause a partition whose frozen keys hold too many records,
	 * and resume it once they hold half as many. Runs on consumer threads.
	 */
	public void enforceBacklogLimit() {
		int limit = this.settings.maxHeldRecords();
		Set<TopicPartition> partitions = ConcurrentHashMap.newKeySet();
		for (Freeze freeze : this.freezes.values()) {
			if (freeze.scope == FreezeScope.KEY) {
				partitions.add(freeze.partition);
			}
		}
		partitions.addAll(this.backlogPaused);
		for (TopicPartition partition : partitions) {
			int held = this.scheduler.stalledItems((key) -> partition.equals(Ordering.partitionOf(key)));
			if (held > limit && this.backlogPaused.add(partition)) {
				this.pauses.pause(partition, PartitionPauses.Reason.FROZEN_KEYS_BACKLOG);
				logger.warn("Worker '" + this.workerId + "' paused " + partition + ": " + held
						+ " records wait behind its frozen keys, more than freeze.max-held-records (" + limit + ")");
			}
			else if (held <= limit / 2 && this.backlogPaused.remove(partition)) {
				this.pauses.resume(partition, PartitionPauses.Reason.FROZEN_KEYS_BACKLOG);
				logger.info("Worker '" + this.workerId + "' resumed " + partition + ": " + held
						+ " records wait behind its frozen keys");
			}
		}
	}

	/**
	 * Return the frozen records, oldest first.
	 * @return the frozen records
	 */
	public List<FrozenRecord> frozenRecords() {
		List<FrozenRecord> records = new ArrayList<>();
		for (Freeze freeze : this.freezes.values()) {
			records.add(freeze.record);
		}
		records.sort(Comparator.comparing(FrozenRecord::since));
		return records;
	}

	/**
	 * Return whether a partition is paused because of its frozen keys' backlog.
	 * @param partition the partition
	 * @return true if paused for that reason
	 */
	public boolean isBacklogPaused(TopicPartition partition) {
		return this.backlogPaused.contains(partition);
	}

	private boolean release(Freeze freeze, @Nullable Resolution resolution) {
		if (!this.freezes.remove(freeze.laneKey, freeze)) {
			return false;
		}
		ScheduledFuture<?> retry = freeze.retry;
		if (retry != null) {
			retry.cancel(false);
		}
		if (freeze.scope == FreezeScope.PARTITION && !hasPartitionFreeze(freeze.partition)) {
			this.scheduler.unhold(holdId(freeze.partition));
			this.pauses.resume(freeze.partition, PartitionPauses.Reason.FROZEN);
		}
		this.scheduler.release(freeze.laneKey::equals);
		if (resolution != null) {
			if (resolution == Resolution.RESUMED || resolution == Resolution.RETRIED_AFTER_DELAY) {
				logger.info(
						"Worker '" + this.workerId + "' retries " + describe(freeze.record) + " (" + resolution + ")");
			}
			this.events.publish((freeze.scope == FreezeScope.KEY)
					? new KeyUnfrozenEvent(this.events.source(), this.workerId, freeze.record, resolution)
					: new PartitionUnfrozenEvent(this.events.source(), this.workerId, freeze.record, resolution));
		}
		return true;
	}

	private boolean hasPartitionFreeze(TopicPartition partition) {
		for (Freeze other : this.freezes.values()) {
			if (other.scope == FreezeScope.PARTITION && other.partition.equals(partition)) {
				return true;
			}
		}
		return false;
	}

	private void scheduleRetry(Freeze freeze) {
		if (this.retryScheduler != null && this.settings.freezeRetryAfter() != null) {
			freeze.retry = this.retryScheduler.schedule(() -> release(freeze, Resolution.RETRIED_AFTER_DELAY),
					Instant.now().plus(this.settings.freezeRetryAfter()));
		}
	}

	private List<Freeze> matching(String topic, int partition, @Nullable String key) {
		TopicPartition topicPartition = new TopicPartition(topic, partition);
		List<Freeze> matching = new ArrayList<>();
		for (Freeze freeze : this.freezes.values()) {
			if (freeze.partition.equals(topicPartition) && (key == null || key.equals(freeze.record.key()))) {
				matching.add(freeze);
			}
		}
		return matching;
	}

	private static boolean sameItems(List<WorkItem> head, List<WorkItem> items) {
		if (head.size() != items.size()) {
			return false;
		}
		for (int i = 0; i < head.size(); i++) {
			if (head.get(i) != items.get(i)) {
				return false;
			}
		}
		return true;
	}

	private static String holdId(TopicPartition partition) {
		return "frozen:" + partition;
	}

	private static String describe(FrozenRecord record) {
		return record.topic() + "-" + record.partition() + "@" + record.offset()
				+ ((record.key() != null) ? " (key '" + record.key() + "')" : "") + " [freeze scope " + record.scope()
				+ "]";
	}

	public static @Nullable String keyText(@Nullable Object key) {
		if (key == null) {
			return null;
		}
		return (key instanceof byte[] bytes) ? HexFormat.of().formatHex(bytes) : key.toString();
	}

	/**
	 * One frozen lane.
	 */
	private static final class Freeze {

		final FreezeScope scope;

		final TopicPartition partition;

		final Object laneKey;

		final List<WorkItem> items;

		final FrozenRecord record;

		final Throwable failure;

		volatile @Nullable ScheduledFuture<?> retry;

		Freeze(FreezeScope scope, TopicPartition partition, Object laneKey, List<WorkItem> items, FrozenRecord record,
				Throwable failure) {
			this.scope = scope;
			this.partition = partition;
			this.laneKey = laneKey;
			this.items = items;
			this.record = record;
			this.failure = failure;
		}

	}

}
