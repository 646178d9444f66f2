package io.kafkaworker.delivery;

import java.util.Map;

import io.kafkaworker.event.ReaderFinishedEvent.ReadPartition;
import org.apache.kafka.common.TopicPartition;

/**
 * Hears where a consumer of a reader starts and ends, and that it reached the end of its
 * partitions.
 */
@FunctionalInterface
public interface ReaderEnd {

	/**
	 * A consumer of the reader took its partitions: where each starts and, with an end,
	 * ends (-1 for a reader without one). Called on its thread.
	 * @param partitions the start and end of each partition, nothing read yet
	 */
	default void started(Map<TopicPartition, ReadPartition> partitions) {
	}

	/**
	 * A consumer of the reader handled every record below the end offsets of its
	 * partitions. Called once per consumer, on its thread.
	 * @param partitions what it read of each partition
	 */
	void reached(Map<TopicPartition, ReadPartition> partitions);

}
