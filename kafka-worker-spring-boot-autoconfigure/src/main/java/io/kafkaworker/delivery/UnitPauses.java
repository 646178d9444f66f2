package io.kafkaworker.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import io.kafkaworker.dispatch.PartitionPauses;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

/**
 * Keeps one consumer's partitions from delivering while a transactional unit runs or a
 * back-off before its re-run lasts: paused for
 * {@link PartitionPauses.Reason#TRANSACTION}, and sent back to records that arrived
 * anyway. Runs on the consumer thread.
 */
final class UnitPauses {

	private final PartitionPauses pauses;

	private final Consumer<?, ?> consumer;

	private final @Nullable TaskScheduler retryScheduler;

	/** Partitions paused while a unit runs or a back-off lasts. */
	private final Set<TopicPartition> paused = new HashSet<>();

	// The scheduler's clock, so that a test that controls the scheduler controls the
	// back-off too.
	private final Clock clock;

	private Instant backoffUntil;

	UnitPauses(PartitionPauses pauses, Consumer<?, ?> consumer, @Nullable TaskScheduler retryScheduler) {
		this.pauses = pauses;
		this.consumer = consumer;
		this.retryScheduler = retryScheduler;
		this.clock = (retryScheduler != null) ? retryScheduler.getClock() : Clock.systemDefaultZone();
		this.backoffUntil = this.clock.instant();
	}

	/**
	 * Pause a partition until {@link #resumeAll}.
	 * @param topicPartition the partition
	 */
	void pause(TopicPartition topicPartition) {
		if (this.paused.add(topicPartition)) {
			this.pauses.pause(topicPartition, PartitionPauses.Reason.TRANSACTION);
		}
	}

	/**
	 * Pause every partition assigned to the consumer until {@link #resumeAll}.
	 */
	void pauseAll() {
		this.consumer.assignment().forEach(this::pause);
	}

	/**
	 * Send a poll's partitions back to its first records, and pause them.
	 * @param records the poll's records
	 */
	void putBack(ConsumerRecords<Object, Object> records) {
		SeekBack.toFirstRecords(this.consumer, records);
		records.partitions().forEach(this::pause);
	}

	/**
	 * Move a partition's position, unless it is no longer assigned.
	 * @param topicPartition the partition
	 * @param offset the offset to fetch next
	 */
	void seek(TopicPartition topicPartition, long offset) {
		SeekBack.to(this.consumer, topicPartition, offset);
	}

	/**
	 * Wait before the next unit. The consumer waits in a poll of paused partitions: it is
	 * woken when the back-off ends, so the records run again then rather than after the
	 * poll timeout.
	 * @param wait how long
	 */
	void backOff(Duration wait) {
		this.backoffUntil = this.clock.instant().plus(wait);
		TaskScheduler scheduler = this.retryScheduler;
		if (scheduler != null && !wait.isZero()) {
			scheduler.schedule(this.consumer::wakeup, this.backoffUntil);
		}
	}

	/**
	 * Return whether a back-off lasts.
	 * @return true until the back-off ends
	 */
	boolean backingOff() {
		return this.clock.instant().isBefore(this.backoffUntil);
	}

	/**
	 * Resume every partition paused here, unless a back-off lasts.
	 */
	void resumeAll() {
		if (this.paused.isEmpty() || backingOff()) {
			return;
		}
		for (TopicPartition topicPartition : this.paused) {
			this.pauses.resume(topicPartition, PartitionPauses.Reason.TRANSACTION);
		}
		this.paused.clear();
	}

	/**
	 * Forget a partition that left the consumer.
	 * @param topicPartition the partition
	 */
	void forget(TopicPartition topicPartition) {
		this.paused.remove(topicPartition);
	}

}
