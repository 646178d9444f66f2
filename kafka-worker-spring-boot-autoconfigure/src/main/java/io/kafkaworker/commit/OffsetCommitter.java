package io.kafkaworker.commit;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.kafkaworker.offset.PartitionOffsets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
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

	/** The last offset committed per partition; written by the consumer thread only. */
	private final Map<TopicPartition, Long> lastCommitted = new ConcurrentHashMap<>();

	private long lastAttemptNanos;

	/**
	 * Create a committer for one consumer.
	 * @param workerId the worker, for log messages
	 * @param interval the time between periodic commits
	 * @param timeout the longest time one commit may block the consumer thread
	 * @param nanoClock the source of {@link System#nanoTime()}-like readings
	 * @param listener told about each commit attempt
	 */
	public OffsetCommitter(String workerId, Duration interval, Duration timeout, LongSupplier nanoClock,
			CommitListener listener) {
		this.workerId = workerId;
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
		if (this.nanoClock.getAsLong() - this.lastAttemptNanos >= this.intervalNanos) {
			commitNow(consumer, partitions);
		}
	}

	/**
	 * Commit the partitions' progress now.
	 * @param consumer the consumer that owns the partitions
	 * @param partitions the partitions' progress
	 * @return whether everything that needed a commit was committed
	 */
	public boolean commitNow(Consumer<?, ?> consumer, Collection<PartitionOffsets> partitions) {
		this.lastAttemptNanos = this.nanoClock.getAsLong();
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		for (PartitionOffsets partition : partitions) {
			long offset = committableOffset(consumer, partition);
			TopicPartition topicPartition = partition.topicPartition();
			if (offset > this.lastCommitted.getOrDefault(topicPartition, -1L)) {
				offsets.put(topicPartition, new OffsetAndMetadata(offset));
			}
		}
		return commit(consumer, offsets);
	}

	/**
	 * Commit the given offsets now, as given.
	 * @param consumer the consumer that owns the partitions
	 * @param offsets the offsets to commit
	 * @return whether the commit succeeded
	 */
	public boolean commit(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
		if (offsets.isEmpty()) {
			return true;
		}
		long start = this.nanoClock.getAsLong();
		try {
			commitSync(consumer, offsets);
			offsets.forEach((partition, offset) -> this.lastCommitted.put(partition, offset.offset()));
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
		catch (KafkaException ex) {
			this.listener.committed(offsets, Duration.ofNanos(this.nanoClock.getAsLong() - start), ex);
			logger.warn("Worker '" + this.workerId + "' could not commit " + offsets
					+ "; records after the last commit are committed later or redelivered: " + ex);
			return false;
		}
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
	 * Forget a partition that was revoked or lost.
	 * @param partition the partition
	 */
	public void forget(TopicPartition partition) {
		this.lastCommitted.remove(partition);
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

	private void commitSync(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
		for (int attempt = 1;; attempt++) {
			try {
				consumer.commitSync(offsets, this.timeout);
				return;
			}
			catch (WakeupException ex) {
				// Another thread woke the consumer (a resumed partition) while we were
				// not
				// polling: each wake-up is spent by the call it interrupts, so trying
				// again
				// goes through unless partitions keep resuming.
				if (attempt == MAX_WAKEUPS) {
					throw ex;
				}
			}
		}
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
