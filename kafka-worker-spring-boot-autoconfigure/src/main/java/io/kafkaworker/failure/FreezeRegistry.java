package io.kafkaworker.failure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DurationFormat;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.scheduling.TaskScheduler;

/**
 * The freezes of one worker, whatever its delivery guarantee: which records stopped their
 * partition or key, and the operations that release them (resume, skip, the retry-after
 * timer, a revocation). The operator surface, the read model and the events see every
 * freeze through this one object.
 *
 * <p>
 * Two paths register freezes, each with its own {@link FreezeHold} (how its records wait
 * and how they are let go): a record retried in place freezes its halted lane
 * ({@link #freezeLane}, with {@link LaneFreeze}); a record of a transactional unit
 * freezes its partition at the record, which the consumer thread keeps from being
 * dispatched ({@link #freezePartition}). With scope PARTITION the freeze also pauses the
 * partition at the consumer; with scope KEY (KEY mode only) it halts only the key's lane,
 * and the consumer thread pauses the partition if too many records wait behind its frozen
 * keys.
 *
 * <p>
 * Releasing a freeze removes it first, atomically, so that two operators (or an operator
 * and the retry-after timer) never release it twice.
 */
public final class FreezeRegistry {

	private static final Log logger = LogFactory.getLog(FreezeRegistry.class);

	private final String workerId;

	private final FailureSettings settings;

	private final Ordering ordering;

	private final LaneScheduler<WorkItem> scheduler;

	private final PartitionPauses pauses;

	private final WorkerEvents events;

	private final @Nullable TaskScheduler retryScheduler;

	/** Freezes by the key of the halted lane, or by {@link Freeze.PartitionKey}. */
	private final Map<Object, Freeze> freezes = new ConcurrentHashMap<>();

	/** Partitions paused because too many records wait behind their frozen keys. */
	private final Set<TopicPartition> backlogPaused = ConcurrentHashMap.newKeySet();

	/**
	 * Create the freezes of one worker.
	 * @param workerId the worker
	 * @param settings the worker's failure handling
	 * @param ordering the worker's mode
	 * @param scheduler the worker's lanes
	 * @param pauses the worker's partition pauses
	 * @param events publishes the freeze events
	 * @param retryScheduler runs the retry-after timers, or null
	 */
	public FreezeRegistry(String workerId, FailureSettings settings, Ordering ordering,
			LaneScheduler<WorkItem> scheduler, PartitionPauses pauses, WorkerEvents events,
			@Nullable TaskScheduler retryScheduler) {
		this.workerId = workerId;
		this.settings = settings;
		this.ordering = ordering;
		this.scheduler = scheduler;
		this.pauses = pauses;
		this.events = events;
		this.retryScheduler = retryScheduler;
	}

	/**
	 * Freeze the lane of a call whose records failed for good. Runs on the lane thread,
	 * right after the scheduler halted the lane with the records back at its head.
	 * @param items the records of the failed call, in lane order
	 * @param failure the last failure
	 * @param attempts how many times the handler was called
	 * @param hold lets the lane's records go
	 */
	void freezeLane(List<WorkItem> items, Throwable failure, int attempts, LaneFreeze hold) {
		WorkItem first = items.get(0);
		TopicPartition partition = first.partition().topicPartition();
		FreezeScope scope = (this.settings.freezeScope() == FreezeScope.KEY && this.ordering == Ordering.KEY)
				? FreezeScope.KEY : FreezeScope.PARTITION;
		Freeze freeze = new Freeze(scope, partition, hold.laneKey(),
				record(scope, first.record(), failure, attempts, now()), hold);
		this.freezes.put(freeze.key, freeze);
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
			// starts again at the record, so there is nothing to freeze here.
			release(freeze, null, true);
			return;
		}
		frozen(freeze, failure);
	}

	/**
	 * Freeze a partition at a record that the consumer thread keeps from being dispatched
	 * (a transactional unit commits up to it). Runs on the consumer thread.
	 * @param partition the partition
	 * @param record the failed record
	 * @param failure the last failure
	 * @param attempts how many times the handler was called
	 * @param since when the record first failed
	 * @param hold lets the record go
	 */
	public void freezePartition(TopicPartition partition, ConsumerRecord<?, ?> record, Throwable failure, int attempts,
			Instant since, FreezeHold hold) {
		Freeze freeze = new Freeze(FreezeScope.PARTITION, partition, new Freeze.PartitionKey(partition),
				record(FreezeScope.PARTITION, record, failure, attempts, since), hold);
		this.freezes.put(freeze.key, freeze);
		this.pauses.pause(partition, PartitionPauses.Reason.FROZEN);
		frozen(freeze, failure);
	}

	/**
	 * Return the record a partition is frozen at by {@link #freezePartition}.
	 * @param partition the partition
	 * @return the frozen record, or null
	 */
	public @Nullable FrozenRecord frozenAt(TopicPartition partition) {
		Freeze freeze = this.freezes.get(new Freeze.PartitionKey(partition));
		return (freeze != null) ? freeze.record : null;
	}

	/**
	 * End a freeze of {@link #freezePartition} quietly, without letting its record go or
	 * publishing an event: the unit that froze it aborted, and its next run freezes the
	 * partition again at the same record.
	 * @param partition the partition
	 */
	public void withdraw(TopicPartition partition) {
		Freeze freeze = this.freezes.get(new Freeze.PartitionKey(partition));
		if (freeze != null) {
			release(freeze, null, false);
		}
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
			if (release(freeze, Resolution.RESUMED, true)) {
				released.add(freeze.record);
			}
		}
		return released;
	}

	/**
	 * Skip the frozen records of a partition, or of one key of it: complete them without
	 * handling them, optionally after publishing them to the dead-letter topic, and
	 * release the freeze.
	 * @param topic the topic
	 * @param partition the partition
	 * @param key the key (as text), or null for every freeze of the partition
	 * @param toDeadLetter whether to publish the records to the dead-letter topic first
	 * @return the records skipped
	 */
	public List<FrozenRecord> skip(String topic, int partition, @Nullable String key, boolean toDeadLetter) {
		List<FrozenRecord> skipped = new ArrayList<>();
		for (Freeze freeze : matching(topic, partition, key)) {
			if (!freeze.hold.skip(toDeadLetter)) {
				continue;
			}
			logger.warn("Worker '" + this.workerId + "' skipped " + describe(freeze.record)
					+ (toDeadLetter ? " to the dead-letter topic" : "") + " at an operator's request");
			Resolution resolution = toDeadLetter ? Resolution.SKIPPED_TO_DEAD_LETTER : Resolution.SKIPPED;
			if (!release(freeze, resolution, false)) {
				// Skipped all the same: another call of the lane (a PARALLEL lane runs
				// several) froze it again in between and took the registry's entry. The
				// operator and the listeners must still hear of this skip.
				unfrozen(freeze, resolution);
			}
			skipped.add(freeze.record);
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
				release(freeze, resolution, true);
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

	private FrozenRecord record(FreezeScope scope, ConsumerRecord<?, ?> record, Throwable failure, int attempts,
			Instant since) {
		return new FrozenRecord(scope.name(), record.topic(), record.partition(), record.offset(),
				keyText(record.key()), failure.getClass().getName(), failure.getMessage(), since, attempts);
	}

	// The scheduler's clock: a test that controls the scheduler sees its own time in the
	// frozen records and decides when retry-after ends.
	private Instant now() {
		TaskScheduler scheduler = this.retryScheduler;
		return (scheduler != null) ? scheduler.getClock().instant() : Instant.now();
	}

	private void frozen(Freeze freeze, Throwable failure) {
		Duration retryAfter = this.settings.freezeRetryAfter();
		logger.error(
				"Worker '" + this.workerId + "' froze " + describe(freeze.record) + " after " + freeze.record.attempts()
						+ " attempts: " + failure + ". Resume or skip it with the kafkaworkers actuator endpoint"
						+ ((retryAfter != null)
								? "; it is retried automatically after "
										+ DurationFormatterUtils.print(retryAfter, DurationFormat.Style.COMPOSITE)
								: ""));
		if (this.retryScheduler != null && retryAfter != null) {
			freeze.retry = this.retryScheduler.schedule(() -> release(freeze, Resolution.RETRIED_AFTER_DELAY, true),
					now().plus(retryAfter));
		}
		this.events.publish((freeze.scope == FreezeScope.KEY)
				? new KeyFrozenEvent(this.events.source(), this.workerId, freeze.record)
				: new PartitionFrozenEvent(this.events.source(), this.workerId, freeze.record));
	}

	// End a freeze: lift the partition's hold and pause once no freeze of it is left,
	// let its records go if asked, and tell listeners why it ended (nothing when the
	// resolution is null).
	private boolean release(Freeze freeze, @Nullable Resolution resolution, boolean letGo) {
		if (!this.freezes.remove(freeze.key, freeze)) {
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
		if (letGo) {
			freeze.hold.release();
		}
		if (resolution != null) {
			unfrozen(freeze, resolution);
		}
		return true;
	}

	private void unfrozen(Freeze freeze, Resolution resolution) {
		if (resolution == Resolution.RESUMED || resolution == Resolution.RETRIED_AFTER_DELAY) {
			logger.info("Worker '" + this.workerId + "' retries " + describe(freeze.record) + " (" + resolution + ")");
		}
		this.events.publish((freeze.scope == FreezeScope.KEY)
				? new KeyUnfrozenEvent(this.events.source(), this.workerId, freeze.record, resolution)
				: new PartitionUnfrozenEvent(this.events.source(), this.workerId, freeze.record, resolution));
	}

	private boolean hasPartitionFreeze(TopicPartition partition) {
		for (Freeze other : this.freezes.values()) {
			if (other.scope == FreezeScope.PARTITION && other.partition.equals(partition)) {
				return true;
			}
		}
		return false;
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

	private static String holdId(TopicPartition partition) {
		return "frozen:" + partition;
	}

	private static String describe(FrozenRecord record) {
		return record.topic() + "-" + record.partition() + "@" + record.offset()
				+ ((record.key() != null) ? " (key '" + record.key() + "')" : "") + " [freeze scope " + record.scope()
				+ "]";
	}

	private static @Nullable String keyText(@Nullable Object key) {
		if (key == null) {
			return null;
		}
		return (key instanceof byte[] bytes) ? HexFormat.of().formatHex(bytes) : key.toString();
	}

}
