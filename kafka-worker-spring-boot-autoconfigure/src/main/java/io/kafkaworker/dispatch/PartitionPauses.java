package io.kafkaworker.dispatch;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Pauses and resumes a worker's partitions for several independent reasons: a partition
 * is paused at the consumer while at least one reason holds, so back-pressure resuming a
 * partition never releases a freeze and the other way round.
 *
 * <p>
 * Requests go through Spring Kafka's container API, which applies them on the consumer
 * thread around the next poll and wakes a polling consumer on resume. Using the container
 * rather than the consumer keeps the container's own bookkeeping right: it re-pauses a
 * partition reassigned to the same consumer and does not resume our partitions when a
 * paused container is resumed.
 */
public final class PartitionPauses {

	private final Map<TopicPartition, EnumSet<Reason>> reasons = new HashMap<>();

	private volatile @Nullable Target container;

	/**
	 * Connect the pauses to the listener container that applies them.
	 * @param container the container
	 */
	public void attach(Target container) {
		this.container = container;
	}

	/**
	 * Pause a partition for a reason.
	 * @param partition the partition
	 * @param reason why
	 */
	public synchronized void pause(TopicPartition partition, Reason reason) {
		EnumSet<Reason> current = this.reasons.computeIfAbsent(partition, (key) -> EnumSet.noneOf(Reason.class));
		boolean wasPaused = !current.isEmpty();
		current.add(reason);
		Target target = this.container;
		if (!wasPaused && target != null) {
			target.pausePartition(partition);
		}
	}

	/**
	 * Lift one reason; the partition resumes when no reason is left.
	 * @param partition the partition
	 * @param reason the reason to lift
	 */
	public synchronized void resume(TopicPartition partition, Reason reason) {
		EnumSet<Reason> current = this.reasons.get(partition);
		if (current != null && current.remove(reason) && current.isEmpty()) {
			this.reasons.remove(partition);
			Target target = this.container;
			if (target != null) {
				target.resumePartition(partition);
			}
		}
	}

	/**
	 * Forget every reason of a partition that was revoked, so that it is not paused if it
	 * comes back.
	 * @param partition the partition
	 */
	public synchronized void forget(TopicPartition partition) {
		if (this.reasons.remove(partition) != null) {
			Target target = this.container;
			if (target != null) {
				target.resumePartition(partition);
			}
		}
	}

	/**
	 * Return why a partition is paused.
	 * @param partition the partition
	 * @return the reasons, empty if it is not paused
	 */
	public synchronized Set<Reason> reasons(TopicPartition partition) {
		EnumSet<Reason> current = this.reasons.get(partition);
		return (current != null) ? EnumSet.copyOf(current) : EnumSet.noneOf(Reason.class);
	}

	/**
	 * Return the pause control that back-pressure uses.
	 * @return pauses and resumes for {@link Reason#BACKPRESSURE}
	 */
	public Backpressure.PauseControl forBackpressure() {
		return new Backpressure.PauseControl() {

			@Override
			public void pause(TopicPartition partition) {
				PartitionPauses.this.pause(partition, Reason.BACKPRESSURE);
			}

			@Override
			public void resume(TopicPartition partition) {
				PartitionPauses.this.resume(partition, Reason.BACKPRESSURE);
			}

		};
	}

	/**
	 * Why a partition is paused.
	 */
	public enum Reason {

		/**
		 * The worker holds too much and this partition feeds the backlog.
		 */
		BACKPRESSURE,

		/**
		 * A record of the partition is frozen (freeze scope PARTITION).
		 */
		FROZEN,

		/**
		 * Too many records wait behind frozen keys of the partition (freeze scope KEY).
		 */
		FROZEN_KEYS_BACKLOG,

		/**
		 * A transaction of the partition's consumer runs or backs off before a retry
		 * (exactly-once delivery).
		 */
		TRANSACTION

	}

	/**
	 * Where pauses are applied: Spring Kafka's listener container, which pauses and
	 * resumes on the consumer thread around the next poll.
	 */
	public interface Target {

		/**
		 * Pause a partition.
		 * @param partition the partition
		 */
		void pausePartition(TopicPartition partition);

		/**
		 * Resume a partition.
		 * @param partition the partition
		 */
		void resumePartition(TopicPartition partition);

	}

}
