package io.kafkaworker.commit;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.kafkaworker.offset.CompletedOffsets;
import io.kafkaworker.offset.PartitionOffsets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.OffsetMetadataTooLarge;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;

/**
 * Commits the committable offsets of one consumer's partitions, on that consumer's
 * thread.
 *
 * <p>
 * A {@code KafkaConsumer} may only be used by the thread that polls it, so every method
 * here must be called on the consumer thread. Commits are synchronous with their own
 * timeout: a commit made at revocation or stop must really reach the broker before the
 * partition is let go. A partition is only committed when its committable offset moved
 * since the last successful commit.
 *
 * <p>
 * Failures are logged and reported, never thrown: the offsets stay uncommitted and are
 * committed by the next attempt, or redelivered to the partition's next owner, which is
 * the at-least-once contract.
 */
public final class OffsetCommitter {

	private static final Log logger = LogFactory.getLog(OffsetCommitter.class);

	private static final int MAX_WAKEUPS = 5;

	private final String workerId;

	private final long intervalNanos;

	private final Duration timeout;

	private final LongSupplier nanoClock;

	private final CommitListener listener;

	/**
	 * Most characters of the metadata that lists the records complete above each
	 * committed offset; 0 when no metadata is written or read.
	 */
	private int metadataLimit;

	/** The last offset committed per partition; written by the consumer thread only. */
	private final Map<TopicPartition, Long> lastCommitted = new ConcurrentHashMap<>();

	/** The metadata committed with it, empty if none; consumer thread only. */
	private final Map<TopicPartition, String> lastMetadata = new HashMap<>();

	/** Partitions whose completed records did not fit the metadata limit; warned once. */
	private final Set<TopicPartition> overLimit = new HashSet<>();

	private long lastAttemptNanos;

	// Whether a call spent a wake-up meant for the poll; consumer thread only.
	private boolean spentWakeUp;

	private boolean failedForRebalance;

	/**
	 * Create a committer for one consumer. With a metadata limit, it commits with each
	 * offset which records above it are complete already, and has a partition's next
	 * owner skip them ({@link #resume}).
	 * @param workerId the worker, for log messages
	 * @param interval the time between periodic commits
	 * @param timeout the longest time one commit may block the consumer thread
	 * @param metadataLimit the most characters of metadata per partition (the broker
	 * refuses more than its {@code offset.metadata.max.bytes}); 0 for none
	 * @param nanoClock the source of {@link System#nanoTime()}-like readings
	 * @param listener told about each commit attempt
	 */
	public OffsetCommitter(String workerId, Duration interval, Duration timeout, int metadataLimit,
			LongSupplier nanoClock, CommitListener listener) {
		this.workerId = workerId;
		this.metadataLimit = metadataLimit;
		this.intervalNanos = interval.toNanos();
		this.timeout = timeout;
		this.nanoClock = nanoClock;
		this.listener = listener;
		this.lastAttemptNanos = nanoClock.getAsLong();
	}

	/**
	 * Commit the partitions' progress if the commit interval has passed since the last
	 * attempt.
	 * @param consumer the consumer that owns the partitions
	 * @param partitions the partitions' progress
	 */
	public void commitIfDue(Consumer<?, ?> consumer, Collection<PartitionOffsets> partitions) {
		commitIfDue(consumer, partitions, this.timeout);
	}

	/**
	 * Commit the partitions' progress if the commit interval has passed since the last
	 * attempt, blocking for no longer than the given time nor than the commit timeout.
	 * @param consumer the consumer that owns the partitions
	 * @param partitions the partitions' progress
	 * @param atMost the longest the commit may block; nothing is committed if not
	 * positive
	 */
	public void commitIfDue(Consumer<?, ?> consumer, Collection<PartitionOffsets> partitions, Duration atMost) {
		if (!atMost.isNegative() && !atMost.isZero()
				&& this.nanoClock.getAsLong() - this.lastAttemptNanos >= this.intervalNanos) {
			commitNow(consumer, partitions, (atMost.compareTo(this.timeout) < 0) ? atMost : this.timeout);
		}
	}

	/**
	 * Commit the partitions' progress now.
	 * @param consumer the consumer that owns the partitions
	 * @param partitions the partitions' progress
	 * @return whether everything that needed a commit was committed
	 */
	public boolean commitNow(Consumer<?, ?> consumer, Collection<PartitionOffsets> partitions) {
		return commitNow(consumer, partitions, this.timeout);
	}

	private boolean commitNow(Consumer<?, ?> consumer, Collection<PartitionOffsets> partitions, Duration timeout) {
		this.lastAttemptNanos = this.nanoClock.getAsLong();
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		for (PartitionOffsets partition : partitions) {
			long offset = committableOffset(consumer, partition);
			TopicPartition topicPartition = partition.topicPartition();
			long last = this.lastCommitted.getOrDefault(topicPartition, -1L);
			if (offset < last) {
				continue;
			}
			String metadata = metadata(partition, offset);
			// The same offset is committed again when more records above it completed:
			// what a restart would handle twice stays within one commit interval.
			if (offset > last || !metadata.equals(this.lastMetadata.getOrDefault(topicPartition, ""))) {
				offsets.put(topicPartition, new OffsetAndMetadata(offset, metadata));
			}
		}
		return commit(consumer, offsets, timeout);
	}

	/**
	 * Read the committed offsets of newly assigned partitions, before any of their
	 * records arrived. With a metadata limit, tell each partition which records above its
	 * committed offset an earlier owner completed, so that they are not handled again. A
	 * partition with no committed offset at all gets its position committed now.
	 *
	 * <p>
	 * That commit is what Spring Kafka's container makes on assignment by default
	 * ({@code AssignmentCommitOption.LATEST_ONLY_NO_TX}): without it, a consumer that
	 * received records and ended before its first commit leaves the next owner to reset
	 * to the log end ({@code auto.offset.reset=latest}), past records nobody handled. A
	 * worker's container does not make it (the option is {@code NEVER}): its reads there
	 * fail on a wake-up, which a lane thread may send while the consumer is in the
	 * assignment callback, and the failure skips the worker's own callback, leaving the
	 * partitions untracked. Here every call is tried again after a wake-up. Committed
	 * whatever the reset policy: under {@code earliest} it is the offset a reset would
	 * give anyway.
	 * @param consumer the consumer the partitions were assigned to
	 * @param partitions the partitions' progress, before any of their records arrived
	 */
	public void resume(Consumer<?, ?> consumer, Collection<PartitionOffsets> partitions) {
		readOnAssignment(consumer, partitions, this.metadataLimit > 0);
	}

	/**
	 * Commit the position of newly assigned partitions with no committed offset, as
	 * {@link #resume} does, for a protocol that writes no metadata and so skips nothing
	 * (exactly-once).
	 * @param consumer the consumer the partitions were assigned to
	 * @param partitions the partitions' progress, before any of their records arrived
	 */
	public void commitUncommittedPositions(Consumer<?, ?> consumer, Collection<PartitionOffsets> partitions) {
		readOnAssignment(consumer, partitions, false);
	}

	/**
	 * Return whether a call of this committer spent a wake-up (and was tried again) since
	 * the last time this was asked: the wake-up was meant for the poll (a lane thread
	 * asking for an exactly-once commit, a resumed partition), so the caller asks for it
	 * again where no other consumer call can spend it.
	 * @return true once per spent wake-up, or several
	 */
	public boolean takeSpentWakeUp() {
		boolean spent = this.spentWakeUp;
		this.spentWakeUp = false;
		return spent;
	}

	private void readOnAssignment(Consumer<?, ?> consumer, Collection<PartitionOffsets> partitions,
			boolean skipHandled) {
		if (partitions.isEmpty()) {
			return;
		}
		Set<TopicPartition> topicPartitions = new HashSet<>();
		partitions.forEach((partition) -> topicPartitions.add(partition.topicPartition()));
		Map<TopicPartition, OffsetAndMetadata> committed;
		try {
			committed = despiteWakeups(() -> consumer.committed(topicPartitions, this.timeout));
		}
		catch (KafkaException ex) {
			logger.warn("Worker '" + this.workerId + "' could not read the committed offsets of " + topicPartitions
					+ " on assignment" + (skipHandled ? "; records completed above them before are handled again" : "")
					+ "; a partition with nothing committed gets its first commit at the next commit interval: " + ex);
			return;
		}
		Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
		boolean positionsKnown = true;
		for (PartitionOffsets partition : partitions) {
			OffsetAndMetadata offset = committed.get(partition.topicPartition());
			if (offset == null) {
				// After one failure (no broker, no reset policy) the others are
				// not asked: each would block the callback for the commit timeout.
				positionsKnown = positionsKnown && position(consumer, partition.topicPartition(), positions);
			}
			else if (skipHandled) {
				skipHandled(partition, offset);
			}
		}
		if (!positions.isEmpty()) {
			commitPositions(consumer, positions);
		}
	}

	private void skipHandled(PartitionOffsets partition, OffsetAndMetadata offset) {
		CompletedOffsets handled = CompletedOffsets.decode(offset.offset(), offset.metadata());
		if (!handled.isEmpty()) {
			partition.skipHandled(handled);
			logger.info("Worker '" + this.workerId + "' resumes " + partition.topicPartition() + " at offset "
					+ offset.offset() + " and skips the records up to offset " + handled.highest()
					+ " that were complete when it was committed (" + handled.span() + " offsets)");
		}
	}

	private boolean position(Consumer<?, ?> consumer, TopicPartition topicPartition,
			Map<TopicPartition, OffsetAndMetadata> positions) {
		try {
			long position = despiteWakeups(() -> consumer.position(topicPartition, this.timeout));
			positions.put(topicPartition, new OffsetAndMetadata(position));
			return true;
		}
		catch (KafkaException | IllegalStateException ex) {
			// No position (auto.offset.reset=none, which the poll reports), no broker, or
			// no longer assigned: the next periodic commit commits what there is.
			logger.debug("Worker '" + this.workerId + "' has no position for " + topicPartition
					+ " to commit on assignment: " + ex);
			return false;
		}
	}

	private void commitPositions(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> positions) {
		try {
			commitSync(consumer, positions, this.timeout);
			logger.debug("Worker '" + this.workerId + "' committed the positions of partitions with no committed "
					+ "offset: " + positions);
		}
		catch (KafkaException ex) {
			logger.warn("Worker '" + this.workerId + "' could not commit the positions " + positions
					+ " of partitions with no committed offset; the next periodic commit does: " + ex);
		}
	}

	/**
	 * Commit the given offsets now, as given.
	 * @param consumer the consumer that owns the partitions
	 * @param offsets the offsets to commit
	 * @return whether the commit succeeded
	 */
	public boolean commit(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
		return commit(consumer, offsets, this.timeout);
	}

	private boolean commit(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
		if (offsets.isEmpty()) {
			return true;
		}
		long start = this.nanoClock.getAsLong();
		try {
			commitSync(consumer, offsets, timeout);
			this.failedForRebalance = false;
			offsets.forEach((partition, offset) -> {
				this.lastCommitted.put(partition, offset.offset());
				this.lastMetadata.put(partition, offset.metadata());
			});
			this.listener.committed(offsets, Duration.ofNanos(this.nanoClock.getAsLong() - start), null);
			if (logger.isDebugEnabled()) {
				logger.debug("Worker '" + this.workerId + "' committed " + offsets);
			}
			return true;
		}
		catch (InterruptException ex) {
			this.listener.committed(offsets, Duration.ofNanos(this.nanoClock.getAsLong() - start), ex);
			throw ex;
		}
		catch (OffsetMetadataTooLarge ex) {
			if (this.metadataLimit == 0) {
				return failed(offsets, start, ex);
			}
			// The broker allows less than kafka.worker's limit: commit offsets alone from
			// now on, as before this feature, rather than fail every commit.
			logger.warn("Worker '" + this.workerId + "': the broker refused commit metadata of up to "
					+ this.metadataLimit + " characters (its offset.metadata.max.bytes is lower); committing offsets "
					+ "without the records complete above them from now on. Lower "
					+ "kafka.worker.defaults.commit-metadata-limit to keep them");
			this.metadataLimit = 0;
			Map<TopicPartition, OffsetAndMetadata> plain = new HashMap<>();
			offsets.forEach((partition, offset) -> plain.put(partition, new OffsetAndMetadata(offset.offset())));
			return commit(consumer, plain, timeout);
		}
		catch (KafkaException ex) {
			return failed(offsets, start, ex);
		}
	}

	private boolean failed(Map<TopicPartition, OffsetAndMetadata> offsets, long start, KafkaException ex) {
		this.failedForRebalance = ex instanceof RebalanceInProgressException;
		this.listener.committed(offsets, Duration.ofNanos(this.nanoClock.getAsLong() - start), ex);
		logger.warn("Worker '" + this.workerId + "' could not commit " + offsets
				+ "; records after the last commit are committed later or redelivered: " + ex);
		return false;
	}

	/**
	 * Record offsets that were committed another way (inside a Kafka transaction), for
	 * {@link #lastCommitted} and the listener.
	 * @param offsets the offsets
	 * @param duration how long the commit took
	 * @param failure why it failed, or null if it succeeded
	 */
	public void recordCommitted(Map<TopicPartition, OffsetAndMetadata> offsets, Duration duration,
			@Nullable Exception failure) {
		this.lastAttemptNanos = this.nanoClock.getAsLong();
		if (failure == null) {
			offsets.forEach((partition, offset) -> this.lastCommitted.put(partition, offset.offset()));
		}
		this.listener.committed(offsets, duration, failure);
	}

	/**
	 * Return whether the last commit failed because the consumer's group is rebalancing:
	 * the classic protocol refuses commits until the consumer rejoined in its next poll,
	 * after which the same commit goes through.
	 * @return true if the last attempt failed with a {@link RebalanceInProgressException}
	 */
	public boolean failedForRebalance() {
		return this.failedForRebalance;
	}

	/**
	 * Forget a partition that was revoked or lost.
	 * @param partition the partition
	 */
	public void forget(TopicPartition partition) {
		this.lastCommitted.remove(partition);
		this.lastMetadata.remove(partition);
		this.overLimit.remove(partition);
	}

	/**
	 * Return the last offset committed for a partition by this committer. Safe from any
	 * thread.
	 * @param partition the partition
	 * @return the offset, or -1 if none was committed
	 */
	public long lastCommitted(TopicPartition partition) {
		return this.lastCommitted.getOrDefault(partition, -1L);
	}

	private void commitSync(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
		despiteWakeups(() -> {
			consumer.commitSync(offsets, timeout);
			return null;
		});
	}

	// Another thread woke the consumer (a resumed partition, a stop) while it was not
	// polling: each wake-up is spent by the call it interrupts, so trying again goes
	// through unless partitions keep resuming. A commit must not fail for it, nor a new
	// assignment's read of the committed offsets, which would make this owner handle
	// again, and commit without, the records its predecessor finished (the chaos suite
	// saw that during a drain).
	private <T extends @Nullable Object> T despiteWakeups(Supplier<T> call) {
		for (int attempt = 1;; attempt++) {
			try {
				return call.get();
			}
			catch (WakeupException ex) {
				this.spentWakeUp = true;
				if (attempt == MAX_WAKEUPS) {
					throw ex;
				}
			}
		}
	}

	// The records complete above the offset, as metadata; empty when there are none, or
	// when they do not fit the limit (then the offset is committed alone, as it would be
	// without this feature, and a restart handles them again).
	private String metadata(PartitionOffsets partition, long offset) {
		if (this.metadataLimit == 0) {
			return "";
		}
		CompletedOffsets completed = partition.completedAbove();
		if (completed.isEmpty() || completed.base() != offset) {
			return "";
		}
		String metadata = completed.encode(this.metadataLimit);
		if (metadata == null) {
			if (this.overLimit.add(partition.topicPartition())) {
				logger.warn("Worker '" + this.workerId + "' commits " + partition.topicPartition() + " at offset "
						+ offset + " without the " + completed.span() + " offsets complete above it: they do not "
						+ "fit in " + this.metadataLimit + " characters of commit metadata "
						+ "(kafka.worker.defaults.commit-metadata-limit), so a restart handles them again");
			}
			return "";
		}
		return metadata;
	}

	// The committable offset, moved up to the consumer's position when no received record
	// is outstanding: the position may be past the last record because of transaction
	// markers or aborted records, and committing it lets the group's offset reach the log
	// end even on a partition that returned no record at all.
	private long committableOffset(Consumer<?, ?> consumer, PartitionOffsets partition) {
		long offset = partition.committableOffset();
		if (partition.outstanding() == 0) {
			try {
				offset = Math.max(offset, consumer.position(partition.topicPartition(), Duration.ZERO));
			}
			catch (KafkaException | IllegalStateException ex) {
				// The position is unknown or the partition is being reassigned: keep what
				// the tracker knows.
			}
		}
		return offset;
	}

}
