package io.kafkaworker.container;

import java.time.Duration;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.Set;

import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads the position and log end of a consumer's partitions into their progress for the
 * read model (lag, health), at most a few times a second. Both are local to the consumer,
 * which learns the log end from its fetches; for paused partitions, which it does not
 * fetch, it asks the broker every few seconds without waiting for the answer. Runs on the
 * consumer thread.
 */
final class PositionObserver {

	private static final long INTERVAL_NANOS = Duration.ofMillis(500).toNanos();

	// At most one request for paused partitions' log ends in this time: nothing tracks
	// whether the last one was answered (a partition without a leader keeps it waiting),
	// and an exactly-once worker pauses its partitions for every unit.
	private static final long PAUSED_END_INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();

	private final Consumer<?, ?> consumer;

	private long lastObservedNanos;

	private long lastPausedEndsNanos;

	PositionObserver(Consumer<?, ?> consumer) {
		this.consumer = consumer;
		this.lastPausedEndsNanos = System.nanoTime() - PAUSED_END_INTERVAL_NANOS;
	}

	/**
	 * Observe the partitions' positions, if the interval passed since the last time.
	 * @param partitions the partitions' progress
	 */
	void observe(Collection<PartitionOffsets> partitions) {
		long now = System.nanoTime();
		if (now - this.lastObservedNanos < INTERVAL_NANOS) {
			return;
		}
		this.lastObservedNanos = now;
		if (now - this.lastPausedEndsNanos >= PAUSED_END_INTERVAL_NANOS) {
			this.lastPausedEndsNanos = now;
			refreshPausedEnds();
		}
		for (PartitionOffsets partition : partitions) {
			try {
				long position = this.consumer.position(partition.topicPartition(), Duration.ZERO);
				OptionalLong lag = this.consumer.currentLag(partition.topicPartition());
				partition.observe(position, lag.isPresent() ? position + lag.getAsLong() : -1);
			}
			catch (RuntimeException ex) {
				// Unknown yet, or moving: the read model keeps its last view.
				rearm(ex);
			}
		}
	}

	// A paused partition is not fetched, so nothing moves its log end for currentLag (a
	// frozen or operator-paused worker would show its lag stuck): ask for it without
	// waiting. A zero timeout queues a ListOffsets and returns at once, on both consumer
	// implementations; the answer updates the consumer's high watermark (or last stable
	// offset under read_committed) for the next observation.
	private void refreshPausedEnds() {
		try {
			Set<TopicPartition> paused = this.consumer.paused();
			if (!paused.isEmpty()) {
				this.consumer.endOffsets(paused, Duration.ZERO);
			}
		}
		catch (RuntimeException ex) {
			// Unanswered now; the next observation asks again.
			rearm(ex);
		}
	}

	// A wake-up meant for the poll (a lane asking for an exactly-once commit, a resumed
	// partition) that a call here spent: ask again, or the poll waits its timeout.
	private void rearm(RuntimeException ex) {
		if (ex instanceof WakeupException) {
			this.consumer.wakeup();
		}
	}

}
