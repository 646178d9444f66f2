package io.kafkaworker.delivery;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.kafkaworker.dispatch.WorkItem;
import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The records of one transaction, at most one poll's batch of each partition: which
 * partitions they came from, where each partition goes back to if the unit aborts, and
 * the first call that failed.
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

	/** When the unit's transaction began ({@link System#nanoTime()}). */
	final long beganNanos = System.nanoTime();

	/** The records of the polls admitted into the unit; consumer thread only. */
	long admittedRecords;

	/** How long the consumer thread went without a unit before this one. */
	final long idleBeforeNanos;

	// When the call that finished the unit's last record ended; 0 if the consumer thread
	// saw the unit complete first.
	private volatile long completedNanos;

	/**
	 * Create a unit whose transaction began now.
	 * @param idleBeforeNanos how long the consumer thread went without a unit before it:
	 * the resume and fetch after the previous unit
	 */
	TransactionalUnit(long idleBeforeNanos) {
		this.idleBeforeNanos = idleBeforeNanos;
	}

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
	 * Note that a poll's records joined the unit (consumer thread, after they were
	 * tracked): the call that completes them must wake the consumer thread again, even if
	 * one woke it for the records before them.
	 */
	void joined() {
		if (this.failure.get() == null) {
			this.woken.set(false);
			this.completedNanos = 0;
		}
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
		if (!this.woken.get() && isComplete() && this.woken.compareAndSet(false, true)) {
			this.completedNanos = System.nanoTime();
			return true;
		}
		return false;
	}

	/**
	 * Describe where a committed unit's time went, for tuning exactly-once throughput.
	 * @param committed the committed offset of each partition
	 * @param commitStartNanos when the commit began
	 * @param commitEndNanos when it ended
	 * @return the description
	 */
	String timeline(Map<TopicPartition, OffsetAndMetadata> committed, long commitStartNanos, long commitEndNanos) {
		long records = records(committed);
		long completed = this.beganNanos + handlingNanos(commitStartNanos);
		return records + ((records == 1) ? " record of " : " records of ") + committed.size()
				+ ((committed.size() == 1) ? " partition: " : " partitions: ") + millis(this.idleBeforeNanos)
				+ " ms from the previous unit's end to this unit's poll, " + millis(completed - this.beganNanos)
				+ " ms to handle, " + millis(commitStartNanos - completed) + " ms until the commit began, "
				+ millis(commitEndNanos - commitStartNanos) + " ms to commit";
	}

	/**
	 * Return how many offsets the unit committed: transaction markers of a transactional
	 * input count too.
	 * @param committed the committed offset of each partition
	 * @return the offsets from each partition's first record in the unit to its commit
	 */
	long records(Map<TopicPartition, OffsetAndMetadata> committed) {
		long records = 0;
		for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
			Long first = this.firstOffsets.get(entry.getKey());
			records += (first != null) ? Math.max(0, entry.getValue().offset() - first) : 0;
		}
		return records;
	}

	/**
	 * Return how long the unit took from its transaction's beginning until its last
	 * record was complete.
	 * @param commitStartNanos when the commit began, the end if no call reported it
	 * @return the handling time
	 */
	long handlingNanos(long commitStartNanos) {
		return ((this.completedNanos != 0) ? this.completedNanos : commitStartNanos) - this.beganNanos;
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
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
