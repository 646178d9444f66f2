package io.kafkaworker.delivery;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The records of one poll and their transaction: which partitions they came from, where
 * each partition goes back to if the unit aborts, and the first call that failed.
 */
final class TransactionalUnit {

	private static final long END_CHECK_MILLIS = 2;

	/**
	 * The progress of the unit's partitions; written by the consumer thread before the
	 * records are dispatched, read by lanes.
	 */
	final Map<TopicPartition, PartitionOffsets> partitions = new ConcurrentHashMap<>();

	/** The offset of each partition's first record in the unit. */
	final Map<TopicPartition, Long> firstOffsets = new LinkedHashMap<>();

	/** Partitions frozen while the unit was admitted. */
	final Set<TopicPartition> frozenHere = new HashSet<>();

	/** The first failed call, which aborts the unit. */
	final AtomicReference<@Nullable CallFailure> failure = new AtomicReference<>();

	/** Whether a lane woke the consumer thread for this unit. */
	final AtomicBoolean woken = new AtomicBoolean();

	/**
	 * Add a partition's records, before they are dispatched.
	 * @param partition the partition's progress
	 * @param firstOffset the offset of its first record in this poll
	 */
	void enter(PartitionOffsets partition, long firstOffset) {
		this.partitions.put(partition.topicPartition(), partition);
		this.firstOffsets.putIfAbsent(partition.topicPartition(), firstOffset);
	}

	/**
	 * Return whether every record of the unit is complete (records of partitions revoked
	 * meanwhile do not count).
	 * @return true if the unit may commit
	 */
	boolean isComplete() {
		for (PartitionOffsets partition : this.partitions.values()) {
			if (!partition.isRevoked() && partition.outstanding() > 0) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Note a failed call of this unit; the first one aborts it.
	 * @param items the call's records
	 * @param failure the failure
	 * @return true if the consumer thread should be woken to abort the unit now
	 */
	boolean fail(List<WorkItem> items, Throwable failure) {
		if (!this.partitions.containsValue(items.get(0).partition())) {
			return false;
		}
		this.failure.compareAndSet(null, new CallFailure(List.copyOf(items), failure));
		return this.woken.compareAndSet(false, true);
	}

	/**
	 * After a call: return whether it completed the unit, once.
	 * @return true if the consumer thread should be woken to commit the unit now
	 */
	boolean completedNow() {
		return !this.woken.get() && isComplete() && this.woken.compareAndSet(false, true);
	}

	/**
	 * Wait until the unit failed or completed, or the time is up.
	 * @param timeout the longest wait
	 */
	void awaitEnd(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.failure.get() == null && !isComplete() && System.nanoTime() - deadline < 0) {
			try {
				Thread.sleep(END_CHECK_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * A failed handler call.
	 *
	 * @param items the call's records
	 * @param failure the failure
	 */
	record CallFailure(List<WorkItem> items, Throwable failure) {

	}

}
