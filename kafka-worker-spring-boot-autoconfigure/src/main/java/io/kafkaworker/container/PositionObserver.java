package io.kafkaworker.container;

import java.time.Duration;
import java.util.Collection;
import java.util.OptionalLong;

import io.kafkaworker.offset.PartitionOffsets;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Reads the position and log end of a consumer's partitions into their progress for the
 * read model (lag, health), at most a few times a second. Both are local to the consumer:
 * no request to the broker. Runs on the consumer thread.
 */
final class PositionObserver {

	private static final long INTERVAL_NANOS = Duration.ofMillis(500).toNanos();

	private final Consumer<?, ?> consumer;

	private long lastObservedNanos;

	PositionObserver(Consumer<?, ?> consumer) {
		this.consumer = consumer;
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
		for (PartitionOffsets partition : partitions) {
			try {
				long position = this.consumer.position(partition.topicPartition(), Duration.ZERO);
				OptionalLong lag = this.consumer.currentLag(partition.topicPartition());
				partition.observe(position, lag.isPresent() ? position + lag.getAsLong() : -1);
			}
			catch (RuntimeException ex) {
				// Unknown yet, or moving: the read model keeps its last view.
			}
		}
	}

}
