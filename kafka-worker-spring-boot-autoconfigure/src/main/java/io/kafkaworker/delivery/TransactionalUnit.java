package io.kafkaworker.delivery;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

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

	/**
	 * Whether a lane woke the consumer thread for this unit (the lowest bit), and how
	 * often polls joined it (the rest): a lane that saw the unit complete just before
	 * records joined must not spend the wake-up that their completion needs.
	 */
	private final AtomicLong wakeState = new AtomicLong();

	/** When the unit's transaction began ({@link System#nanoTime()}). */
	final long beganNanos = System.nanoTime();

	/** The records dispatched in the unit; consumer thread only. */
	long records;

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
		this.completedNanos = 0;
		this.wakeState.updateAndGet((state) -> ((state >>> 1) + 1) << 1);
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
		return claimWakeUp(() -> true);
	}

	/**
	 * After a call: return whether it completed the unit, once.
	 * @return true if the consumer thread should be woken to commit the unit now
	 */
	boolean completedNow() {
		long now = System.nanoTime();
		if (claimWakeUp(this::isComplete)) {
			this.completedNanos = now;
			return true;
		}
		return false;
	}

	// Claim the one wake-up of the unit since polls last joined it, if the condition
	// holds; a join between the read and the claim makes the claim fail, and the
	// condition is looked at again.
	private boolean claimWakeUp(BooleanSupplier condition) {
		while (true) {
			long state = this.wakeState.get();
			if ((state & 1) != 0 || !condition.getAsBoolean()) {
				return false;
			}
			if (this.wakeState.compareAndSet(state, state | 1)) {
				return true;
			}
		}
	}

	/**
	 * Describe where a committed unit's time went, for tuning exactly-once throughput.
	 * @param committed the committed offset of each partition
	 * @param commitStartNanos when the commit began
	 * @param commitEndNanos when it ended
	 * @return the description
	 */
	String timeline(Map<TopicPartition, OffsetAndMetadata> committed, long commitStartNanos, long commitEndNanos) {
		long records = 0;
		for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
			Long first = this.firstOffsets.get(entry.getKey());
			records += (first != null) ? Math.max(0, entry.getValue().offset() - first) : 0;
		}
		long completed = (this.completedNanos != 0) ? this.completedNanos : commitStartNanos;
		return records + ((records == 1) ? " record of " : " records of ") + committed.size()
				+ ((committed.size() == 1) ? " partition: " : " partitions: ") + millis(this.idleBeforeNanos)
				+ " ms from the previous unit's end to this unit's poll, " + millis(completed - this.beganNanos)
				+ " ms to handle, " + millis(commitStartNanos - completed) + " ms until the commit began, "
				+ millis(commitEndNanos - commitStartNanos) + " ms to commit";
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
